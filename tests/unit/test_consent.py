"""Consent records: scoring needs a valid authorisation for the data the rule pack uses (issue 8).

Real encrypted stores; the clock is the pinned one (tests/conftest.py), so every date here is relative
to it and nothing depends on the day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from loandesk.core import clock
from loandesk.core.consent import ConsentRefused, default_expiry, judge, needed_scopes, parse_scope
from loandesk.core.intake import validate_intake
from loandesk.core.validation import ValidationFailed
from loandesk.demo import demo_record
from loandesk.scoring import service
from loandesk.scoring.consent_gate import inputs_used, needed
from loandesk.storage import Store, consents
from loandesk.storage import decisions as repo


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home")
    yield s
    s.close()


def today() -> dt.date:
    return clock.today()


def saved(store, **changes) -> str:
    record = demo_record(random.Random(4), 5)
    record.update(changes)
    result = validate_intake(record, require_consent=False)
    assert result.ok, [f.describe("en") for f in result.errors]
    return store.save_intake(result.values)[1].id


def unconsented(store) -> str:
    return saved(store, consent_given=False, consent_date=None, consent_scope=None)


def nothing_scored(store, app_id) -> None:
    assert repo.current_decision(store, app_id) is None
    assert store.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    assert store.application(app_id).stage == "submitted"


def test_the_intake_records_its_consent_given_by_the_legal_representative_for_a_year(store):
    app_id = saved(store)
    (consent,) = consents.for_application(store, app_id)
    record = store.application_record(app_id)
    assert consent.given_by == record["legal_rep_name"]
    assert consent.given_on.isoformat() == record["consent_date"]
    assert consent.expires_on == default_expiry(consent.given_on)
    assert consent.scope == {"tax", "credit"}
    # saving the same consent again does not make a second record
    store.save_intake(validate_intake(demo_record(random.Random(4), 5)).values, application_id=app_id)
    assert len(consents.for_application(store, app_id)) == 1


def test_scoring_without_a_consent_is_refused_and_stores_nothing(store):
    app_id = unconsented(store)
    with pytest.raises(ConsentRefused) as caught:
        service.score_application(store, app_id)
    ref = store.application(app_id).ref
    assert caught.value.code == "missing"
    assert caught.value.message("en") == f"{ref}: no recorded consent to query tax and credit data"
    assert caught.value.message("zh") == f"{ref}：没有已记录的涉税及征信信息查询授权"
    nothing_scored(store, app_id)


def test_an_expired_consent_is_refused_with_its_date(store):
    app_id = unconsented(store)
    given = today() - dt.timedelta(days=400)
    consents.record(store, app_id, given_by="王伟", given_on=given.isoformat(), scope="tax,credit")
    with pytest.raises(ConsentRefused) as caught:
        service.score_application(store, app_id)
    assert caught.value.code == "expired"
    assert f"consent expired on {default_expiry(given)}" in caught.value.message("en")
    assert f"授权已于 {default_expiry(given)} 过期" in caught.value.message("zh")
    nothing_scored(store, app_id)


def test_a_consent_is_valid_up_to_the_day_before_it_expires(store):
    app_id = unconsented(store)
    given = today() - dt.timedelta(days=30)
    consents.record(store, app_id, given_by="王伟", given_on=given.isoformat(), scope="tax,credit",
                    expires_on=(today() + dt.timedelta(days=1)).isoformat())  # fmt: skip
    assert service.score_application(store, app_id, as_of=today())["decision"]
    with pytest.raises(ConsentRefused, match="expired"):
        service.score_application(store, app_id, as_of=today() + dt.timedelta(days=1))
    with pytest.raises(ConsentRefused, match="after the scoring date"):
        service.score_application(store, app_id, as_of=given - dt.timedelta(days=1))


def test_a_revoked_consent_is_refused_and_says_who_revoked_it(store):
    app_id = saved(store)
    (revoked,) = consents.revoke(store, app_id)
    assert revoked.revoked_on == today() and revoked.revoked_by == "system"
    with pytest.raises(ConsentRefused) as caught:
        service.score_application(store, app_id)
    assert caught.value.code == "revoked" and f"revoked on {today()}" in caught.value.message("en")
    nothing_scored(store, app_id)
    with pytest.raises(ConsentRefused, match="no consent on record to revoke"):
        consents.revoke(store, app_id)
    # the applicant authorises again: scoring works again
    consents.record(store, app_id, given_by="王伟", given_on=today().isoformat(), scope="tax,credit")
    assert service.score_application(store, app_id)["decision"]


def test_a_consent_without_the_tax_scope_is_refused_by_a_pack_using_tax_data(store):
    app_id = unconsented(store)
    consents.record(store, app_id, given_by="王伟", given_on=today().isoformat(), scope="credit")
    pack = service.pack_in_force(store)
    # the shipped pack reads tax data (grade, tax paid, invoices) and no credit-report field
    assert {"tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m"} <= inputs_used(pack)
    assert not {"has_loan_history", "prior_default"} & inputs_used(pack) or "credit" in needed(pack)
    assert "tax" in needed(pack)
    with pytest.raises(ConsentRefused) as caught:
        service.score_application(store, app_id)
    assert caught.value.code == "scope"
    assert "does not cover tax data" in caught.value.message("en") and "涉税信息" in caught.value.message("zh")
    nothing_scored(store, app_id)
    # a second consent adding the tax scope completes it
    consents.record(store, app_id, given_by="王伟", given_on=today().isoformat(), scope="tax")
    assert service.score_application(store, app_id)["decision"]


def test_scopes_needed_follow_the_inputs_a_pack_reads():
    assert needed_scopes({"tax_grade", "employees"}) == {"tax"}
    assert needed_scopes({"has_loan_history"}) == {"credit"}
    assert needed_scopes({"employees", "industry"}) == set()
    tax_only = [consents_record("tax")]
    refused = judge(tax_only, {"tax", "credit"}, today())
    assert refused.code == "scope" and refused.message("en") == (
        "the consent does not cover the credit report, which the rule pack uses")
    assert judge(tax_only, {"tax"}, today()) is None
    # a pack that reads neither needs no consent for them; one valid record of any scope is enough then
    assert judge([], set(), today()) is not None  # ...but with no record at all it is still refused


def consents_record(scope: str):
    from loandesk.core.consent import Consent

    return Consent("c1", "a1", "王伟", today() - dt.timedelta(days=1), today() + dt.timedelta(days=300),
                   frozenset(scope.split(",")), "李明", clock.stamp())  # fmt: skip


@pytest.mark.parametrize(("raw", "field", "code"), [
    ({"consent_given_by": "", "consent_date": "2026-11-01", "consent_scopes": "tax"}, "consent_given_by", "required"),
    ({"consent_given_by": "王伟", "consent_date": "2099-01-01", "consent_scopes": "tax"}, "consent_date",
     "future_date"),
    ({"consent_given_by": "王伟", "consent_date": "2026-11-01", "consent_scopes": "salary"}, "consent_scopes",
     "consent_scope_word"),
    ({"consent_given_by": "王伟", "consent_date": "2026-11-01", "consent_scopes": "tax",
      "consent_expires": "2026-11-01"}, "consent_expires", "consent_expiry_order"),
    ({"consent_given_by": "王伟", "consent_date": "2026-11-01", "consent_scopes": "tax",
      "consent_expires": "2207-11-01"}, "consent_expires", "consent_expiry_far"),
])  # fmt: skip
def test_a_bad_consent_is_refused_naming_the_field_and_nothing_is_written(store, raw, field, code):
    app_id = unconsented(store)
    before = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(ValidationFailed) as caught:
        consents.record(store, app_id, given_by=raw["consent_given_by"], given_on=raw["consent_date"],
                        scope=raw["consent_scopes"], expires_on=raw.get("consent_expires"))  # fmt: skip
    assert [(f.field, f.code) for f in caught.value.findings] == [(field, code)]
    assert consents.for_application(store, app_id) == []
    assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == before


def test_scope_words_in_both_languages():
    assert parse_scope("tax,credit") == parse_scope("征信、税务") == parse_scope("both") == {"tax", "credit"}
    assert parse_scope(" credit ") == {"credit"}


def test_record_and_revoke_are_audited_without_the_givers_name(store):
    app_id = unconsented(store)
    consents.record(store, app_id, given_by="欧阳娜娜", given_on=today().isoformat(), scope="tax,credit")
    consents.revoke(store, app_id)
    from loandesk.storage import audit

    actions = [r["action"] for r in audit.records(store.db)]
    assert actions[-2:] == ["consent_recorded", "consent_revoked"]
    assert all("欧阳" not in str(r) for r in audit.records(store.db))


def test_the_evidence_is_kept_encrypted_and_reads_back(store, tmp_path):
    from loandesk.storage.attachments import read_attachment

    app_id = unconsented(store)
    form = tmp_path / "signed-consent.pdf"
    form.write_bytes("%PDF-1.4 signed by 王伟".encode())
    consent = consents.record(store, app_id, given_by="王伟", given_on=today().isoformat(), scope="tax",
                              evidence=form)  # fmt: skip
    assert read_attachment(store, consent.evidence_id) == form.read_bytes()
    blobs = [p for p in (store.home / "attachments").rglob("*") if p.is_file()]
    assert blobs and all("王伟".encode() not in p.read_bytes() and b"%PDF" not in p.read_bytes() for p in blobs)


def test_memo_building_and_the_approval_preview_pass_the_same_check(store):
    from loandesk.approvals import service as approvals
    from loandesk.memo.service import MemoError, issue_memo

    app_id = unconsented(store)
    with pytest.raises(ConsentRefused):
        approvals.preview(store, app_id)
    with pytest.raises(MemoError) as caught:
        issue_memo(store, app_id, "zh", officer="李明")  # never scored: the memo would score it first
    assert "no recorded consent" in str(caught.value) or "没有已记录的" in str(caught.value)
    assert store.db.execute("SELECT count(*) FROM memos").fetchone()[0] == 0
    nothing_scored(store, app_id)


def test_rescore_leaves_out_applications_without_a_valid_consent(store):
    from loandesk.scoring.replay import compare

    good, bad = saved(store), unconsented(store)
    service.score_application(store, good)
    report = compare(store, repo.current_decisions(store), service.pack_in_force(store), [bad])
    assert [r["application"] for r in report["rows"]] == [store.application(good).ref]
    assert [r["application"] for r in report["consent_refused"]] == [store.application(bad).ref]
    consents.revoke(store, good)
    report = compare(store, repo.current_decisions(store), service.pack_in_force(store), [bad])
    assert report["rows"] == [] and len(report["consent_refused"]) == 2


def test_an_upgraded_home_turns_each_inline_consent_into_a_record(tmp_path):
    from test_migrations import make_v1_home

    home = tmp_path / "old"
    make_v1_home(home)
    store = Store.open(home)
    try:
        rows = consents.listing(store)
        assert [(ref, c.given_by, c.given_on.isoformat(), c.expires_on.isoformat(), sorted(c.scope), c.note)
                for ref, c in rows] == [
            ("A-HZ01-AAAA-000001", "陈静", "2025-01-01", "2026-01-01", ["credit", "tax"], "征信、纳税"),
            ("A-HZ01-AAAA-000002", "欧阳娜娜", "2025-01-02", "2026-01-02", ["credit", "tax"], "征信、纳税"),
        ]  # fmt: skip
        # judged on the day of scoring: a year after 2025-01-01 they have expired, with their date
        with pytest.raises(ConsentRefused, match="consent expired on 2026-01-01"):
            consents.require_valid(store, "a1", {"tax"}, today())
        assert consents.require_valid(store, "a1", {"tax", "credit"}, dt.date(2025, 6, 1)).given_by == "陈静"
        assert {r[1] for r in store.db.execute("PRAGMA table_info(approvals)")} >= {"set_aside_at", "set_aside_by"}
    finally:
        store.close()
