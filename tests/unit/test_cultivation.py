"""The cultivation path: stage rules, events moving stages, assignments (one and bulk), visits with
encrypted photos, pre-qualification marks."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from loandesk.core import cultivation as rules
from loandesk.core.cultivation import EnterpriseFilter, StageRefused
from loandesk.core.permissions import SYSTEM, Actor, PermissionDenied
from loandesk.demo import demo_record
from loandesk.scoring.prequalify import prequalify
from loandesk.storage import cultivation as cv
from loandesk.storage import cultivation_lists as lists

TODAY = dt.date(2026, 11, 23)


def listed(store, n: int = 12, seed: int = 7, **changes) -> list[str]:
    """n enterprises from a regulator's list (no loan history); their references, oldest first."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        rec = demo_record(rng, i, today=TODAY)
        rec.update(has_loan_history=False, **changes)
        records.append(rec)
    store.import_enterprises(records)
    return [r[0] for r in store.db.execute("SELECT ref FROM enterprises ORDER BY seq")]


def stage_of(store, ref: str) -> str:
    return store.db.execute("SELECT cultivation_stage FROM enterprises WHERE ref = ?", (ref,)).fetchone()[0]


# ---- the rules -------------------------------------------------------------------------------
def test_manual_moves_need_a_reason_and_follow_the_path():
    assert rules.check_manual("no_loan", "contacted", "电话联系").to_stage == "contacted"
    assert rules.check_manual("declined", "contacted", "重新接触").source == "manual"
    with pytest.raises(StageRefused, match="reason is required"):
        rules.check_manual("no_loan", "contacted", "  ")
    with pytest.raises(StageRefused, match="cannot move from no loan to partner"):
        rules.check_manual("no_loan", "partner", "直接")
    with pytest.raises(StageRefused) as refused:
        rules.check_manual("partner", "no_loan", "回退")
    assert "伙伴客户" in refused.value.message("zh") and "无贷户" in refused.value.message("zh")
    with pytest.raises(StageRefused, match="already at stage contacted"):
        rules.check_manual("contacted", "contacted", "x")


def test_stage_names_in_both_languages_are_understood():
    assert rules.parse_stage("首贷户") == "first_loan"
    assert rules.parse_stage("first loan") == "first_loan"
    assert rules.parse_stage("need-identified") == "need_identified"
    with pytest.raises(StageRefused, match="unknown stage"):
        rules.parse_stage("vip")


def test_events_only_move_forward():
    assert rules.event_move("no_loan", "visit").to_stage == "contacted"
    assert rules.event_move("no_loan", "visit", need=True).to_stage == "need_identified"
    assert rules.event_move("first_loan", "visit", need=True) is None  # a late visit never undoes a loan
    assert rules.event_move("not_interested", "visit") is None  # the officer's "not interested" stands
    assert rules.event_move("not_interested", "visit", need=True).to_stage == "need_identified"
    assert rules.event_move("need_identified", "approval", approved_count=1).to_stage == "first_loan"
    move = rules.event_move("first_loan", "approval", approved_count=2)
    assert (move.to_stage, move.source) == ("partner", "second_loan")
    assert rules.event_move("partner", "approval", approved_count=3) is None


# ---- stage events in the store ---------------------------------------------------------------
def test_a_manual_move_is_an_event_with_who_when_why_and_an_outbox_row(store):
    refs = listed(store, 3)
    before = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    event = cv.set_stage(store, refs[0], "contacted", "电话联系，有意向")
    assert stage_of(store, refs[0]) == "contacted"
    events = cv.stage_events(store, refs[0])
    assert [(e["from_stage"], e["to_stage"], e["source"], e["reason"]) for e in events] == [
        ("no_loan", "contacted", "manual", "电话联系，有意向")]
    assert events[0]["on_date"] == TODAY.isoformat() and event["user"] == "system"
    ops = store.db.execute("SELECT entity, op, payload FROM outbox ORDER BY seq").fetchall()[before:]
    assert [(e, o) for e, o, _ in ops] == [("enterprise", "stage")]
    assert json.loads(ops[0][2])["cultivation_stage"] == "contacted"
    audit = store.db.execute("SELECT action, target FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert audit == ("stage_changed", refs[0])


def test_a_refused_move_writes_nothing(store):
    refs = listed(store, 2)
    before = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(StageRefused):
        cv.set_stage(store, refs[0], "first_loan", "想直接跳到首贷")
    with pytest.raises(cv.CultivationError, match="no enterprise E-NOPE"):
        cv.set_stage(store, "E-NOPE", "contacted", "x")
    assert stage_of(store, refs[0]) == "no_loan"
    assert store.db.execute("SELECT count(*) FROM stage_events").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == before


def test_officers_move_their_own_enterprises_admins_any(store):
    refs = listed(store, 3)
    cv.assign(store, "wang", keys=[refs[0]])
    cv.assign(store, "li", keys=[refs[1]])
    store.actor = Actor("li", "officer", "李明")
    with pytest.raises(PermissionDenied, match="assigned to wang"):
        cv.set_stage(store, refs[0], "contacted", "电话联系")
    cv.set_stage(store, refs[1], "contacted", "电话联系")  # li's own
    store.actor = Actor("teller1", "teller")
    with pytest.raises(PermissionDenied, match="may not change cultivation stages"):
        cv.set_stage(store, refs[2], "contacted", "x")
    store.actor = Actor("boss", "admin", "王管理")
    cv.set_stage(store, refs[0], "not_interested", "企业表示暂无融资计划")
    assert [stage_of(store, r) for r in refs] == ["not_interested", "contacted", "no_loan"]
    assert cv.stage_events(store, refs[0])[0]["user"] == "王管理"


# ---- assignments -----------------------------------------------------------------------------
def test_bulk_assignment_by_region_and_industry_and_by_filter(store):
    refs = listed(store, 40)
    by_region = store.db.execute("SELECT count(*) FROM enterprises WHERE region_code LIKE '3302%'").fetchone()[0]
    assert by_region > 0
    assert cv.assign(store, "wang", where=EnterpriseFilter(region="3302")) == by_region
    retail = store.db.execute("SELECT count(*) FROM enterprises WHERE industry = 'RET'").fetchone()[0]
    assert cv.assign(store, "li", where=EnterpriseFilter(industry="RET")) == retail
    both = store.db.execute("SELECT count(*) FROM enterprises WHERE industry = 'RET' AND region_code LIKE '3302%'"
                            ).fetchone()[0]  # fmt: skip
    # the later assignment replaces the earlier: retail in Ningbo is li's now
    assert lists.count(store, EnterpriseFilter(officer="wang")) == by_region - both
    assert lists.count(store, EnterpriseFilter(officer="li")) == retail
    unassigned = lists.count(store, EnterpriseFilter(officer=""))
    assert unassigned == 40 - (by_region - both) - retail
    assert cv.assign(store, "zhao", where=EnterpriseFilter(officer="")) == unassigned
    assert lists.count(store, EnterpriseFilter(officer="")) == 0
    outbox = store.db.execute("SELECT count(*) FROM outbox WHERE op = 'assign'").fetchone()[0]
    assert outbox == by_region + retail + unassigned  # one per enterprise moved, so the hub sees each
    assert len(refs) == 40


def test_only_officers_can_be_assigned_on_a_home_with_users(tmp_path):
    from users_support import open_store, with_demo_users

    store = open_store(with_demo_users(tmp_path / "home"))
    try:
        refs = listed(store, 2)
        store.actor = Actor("admin", "admin", "王管理")
        with pytest.raises(cv.CultivationError, match="teller is not an officer"):
            cv.assign(store, "teller", keys=refs)
        assert cv.assign(store, "officer", keys=refs) == 2
        assert cv.officers(store) == ["officer"]
        store.actor = Actor("officer", "officer", "李明")
        with pytest.raises(PermissionDenied, match="may not assign account managers"):
            cv.assign(store, "officer", keys=refs)
    finally:
        store.close()


# ---- visits ----------------------------------------------------------------------------------
def visit(ref, **changes) -> cv.Visit:
    values = dict(enterprise=ref, visited_on=TODAY, findings="门店正常营业，老板有扩店计划", need=True,
                  need_amount=500_000, next_step="收集近两年纳税证明", next_on=TODAY + dt.timedelta(days=7))
    values.update(changes)
    return cv.Visit(**values)


def test_a_visit_with_a_need_moves_the_stage_plans_the_next_action_and_syncs(store):
    refs = listed(store, 3)
    store.actor = Actor("li", "officer", "李明")
    saved = cv.record_visit(store, visit(refs[0]))
    assert saved["stage"] == "need_identified" and saved["officer"] == "li"
    assert cv.stage_events(store, refs[0])[0]["source"] == "visit"
    assert cv.stage_events(store, refs[0])[0]["source_id"] == saved["id"]
    row = lists.my_list(store, "li")[0]  # an unassigned enterprise visited becomes the officer's
    assert (row["ref"], row["next_step"], row["next_on"]) == (refs[0], "收集近两年纳税证明", "2026-11-30")
    cv.record_visit(store, visit(refs[1], need=False, need_amount=None, next_step=None, next_on=None))
    assert stage_of(store, refs[1]) == "contacted"
    ops = [r[0] for r in store.db.execute("SELECT entity || ':' || op FROM outbox ORDER BY seq")]
    assert ops[-4:] == ["visit:insert", "enterprise:stage", "visit:insert", "enterprise:stage"]


def test_bad_visits_are_refused_with_the_field_and_nothing_is_written(store, tmp_path):
    refs = listed(store, 1)
    cases = [
        (dict(visited_on=TODAY + dt.timedelta(days=1)), "Visit date must not be in the future"),
        (dict(findings=" "), "Findings is required"),
        (dict(need=False), "is given but no financing need"),
        (dict(next_on=TODAY - dt.timedelta(days=3)), "Next step date is before the visit"),
        (dict(lat=30.2), "needs both latitude and longitude"),
        (dict(lat=130.0, lon=120.1), "is not a place on Earth"),
        (dict(photos=(tmp_path / "missing.jpg",)), "missing.jpg is not a readable file"),
    ]
    for changes, message in cases:
        with pytest.raises(cv.CultivationError, match=message):
            cv.record_visit(store, visit(refs[0], **changes))
    with pytest.raises(cv.CultivationError) as refused:
        cv.record_visit(store, visit(refs[0], findings=""))
    assert refused.value.message("zh") == "走访情况必填"
    assert store.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert stage_of(store, refs[0]) == "no_loan"


def test_visit_photos_are_encrypted_on_disk_and_read_back(store, home, tmp_path):
    refs = listed(store, 1)
    marker = b"PREMISES-PHOTO-" + bytes(range(256)) * 40
    photo = tmp_path / "shopfront.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + marker)
    saved = cv.record_visit(store, visit(refs[0], photos=(photo,), lat=30.27, lon=120.15))
    assert saved["photos"] == 1
    (row,) = cv.visit_photos(store, saved["id"])
    assert row["file_name"] == "shopfront.jpg" and row["size"] == photo.stat().st_size
    assert cv.read_photo(store, row["id"]) == photo.read_bytes()
    for path in home.rglob("*"):  # the photo's bytes are nowhere in the home folder in clear
        if path.is_file():
            assert marker[:64] not in path.read_bytes(), path
    payload = json.loads(store.db.execute("SELECT payload FROM outbox WHERE entity = 'visit'").fetchone()[0])
    assert payload["photos"][0]["sha256"] == row["sha256"] and payload["lat"] == 30.27


def test_visits_need_the_visit_permission(store):
    refs = listed(store, 1)
    store.actor = Actor("zhang", "teller")
    with pytest.raises(PermissionDenied, match="may not record visits"):
        cv.record_visit(store, visit(refs[0]))


# ---- my list ---------------------------------------------------------------------------------
def test_declining_takes_the_planned_visit_off_the_officers_list(store):
    refs = listed(store, 2)
    cv.assign(store, "li", keys=refs)
    store.actor = Actor("li", "officer", "李明")
    cv.record_visit(store, visit(refs[0], visited_on=TODAY - dt.timedelta(days=9),
                                 next_on=TODAY - dt.timedelta(days=1)))  # overdue  # fmt: skip
    assert lists.count(store, EnterpriseFilter(officer="li", due_by=TODAY.isoformat())) == 1
    cv.set_stage(store, refs[0], "declined", "客户暂无意向")
    row = next(r for r in lists.my_list(store, "li") if r["ref"] == refs[0])
    assert (row["stage"], row["next_step"], row["next_on"]) == ("declined", None, None)  # nothing due any more
    assert lists.count(store, EnterpriseFilter(officer="li", due_by=TODAY.isoformat())) == 0
    assert [v["next_on"] for v in cv.visits_for(store, refs[0])] == [(TODAY - dt.timedelta(days=1)).isoformat()]


def test_my_list_puts_overdue_first_then_due_then_the_rest(store):
    refs = listed(store, 6)
    cv.assign(store, "li", keys=refs[:5])
    store.actor = Actor("li", "officer")
    cv.record_visit(store, visit(refs[0], next_on=TODAY + dt.timedelta(days=10)))
    cv.record_visit(store, visit(refs[1], visited_on=TODAY - dt.timedelta(days=20),
                                 next_on=TODAY - dt.timedelta(days=5)))  # overdue  # fmt: skip
    cv.record_visit(store, visit(refs[2], next_on=TODAY + dt.timedelta(days=1)))
    store.actor = SYSTEM
    order = [r["ref"] for r in lists.my_list(store, "li")]
    assert order == [refs[1], refs[2], refs[0], refs[4], refs[3]]
    assert [r["ref"] for r in lists.my_list(store, "li", offset=2, limit=2)] == [refs[0], refs[4]]
    assert lists.count(store, EnterpriseFilter(officer="li", due_by=TODAY.isoformat())) == 1


def test_filters_count_by_stage(store):
    refs = listed(store, 10)
    cv.set_stage(store, refs[0], "contacted", "电话")
    cv.set_stage(store, refs[1], "declined", "银行不予准入")
    counts = lists.stage_counts(store)
    assert counts["no_loan"] == 8 and counts["contacted"] == 1 and counts["declined"] == 1
    assert lists.count(store, EnterpriseFilter(stage="contacted")) == 1
    assert [r["ref"] for r in lists.rows(store, EnterpriseFilter(stage="declined"))] == [refs[1]]


# ---- pre-qualification -----------------------------------------------------------------------
def test_prequalification_marks_the_likely_eligible_with_score_and_reasons(store):
    good = dict(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False)  # fmt: skip
    listed(store, 4, **good)
    listed(store, 3, seed=9, **{**good, "tax_grade": "D"})  # knocked out: tax grade D
    listed(store, 2, seed=11, **{**good, "dishonest_debtor": True})
    result = prequalify(store, as_of=TODAY, lang="en")
    assert result == {"scored": 9, "eligible": 4, "pack": "bank-tax-first-loan 2026.2"}
    rows = {r["ref"]: r for r in lists.rows(store, limit=20)}
    eligible = [r for r in rows.values() if r["eligible"]]
    assert len(eligible) == 4 and all(r["score"] >= 620 and r["size_class"] == "micro" for r in eligible)
    grade_d = [r for r in rows.values() if r["tax_grade"] == "D"]
    assert len(grade_d) == 3 and all("tax credit grade is C or D" in r["pre_reasons"] for r in grade_d)
    assert all(not r["eligible"] and r["pre_decision"] == "decline" for r in grade_d)
    assert lists.count(store, EnterpriseFilter(eligible=True)) == 4
    assert lists.count(store, EnterpriseFilter(size_class="micro")) == 9
    # a filter of the list: only the retail ones in one region are scored again
    again = prequalify(store, EnterpriseFilter(tax_grade="D"), as_of=TODAY)
    assert again["scored"] == 3 and again["eligible"] == 0


def test_prequalification_needs_its_permission(store):
    listed(store, 1)
    store.actor = Actor("zhang", "teller")
    with pytest.raises(PermissionDenied):
        prequalify(store, as_of=TODAY)
    assert store.db.execute("SELECT count(*) FROM prequalifications").fetchone()[0] == 0


def test_a_photo_with_gps_tags_gives_the_visit_its_location(store, tmp_path):
    from PIL import Image

    refs = listed(store, 1)
    photo = tmp_path / "gps.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 16.0, 12.0), 3: "E", 4: (120.0, 9.0, 0.0)})
    Image.new("RGB", (8, 8), "white").save(photo, exif=exif)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (8, 8), "white").save(plain)
    saved = cv.record_visit(store, visit(refs[0], photos=(plain, photo)))
    assert (saved["lat"], saved["lon"]) == (30.27, 120.15)
    typed = cv.record_visit(store, visit(refs[0], photos=(photo,), lat=29.0, lon=121.0))
    assert (typed["lat"], typed["lon"]) == (29.0, 121.0)  # what the officer typed wins
    none = cv.record_visit(store, visit(refs[0], photos=(plain,)))
    assert (none["lat"], none["lon"]) == (None, None)
