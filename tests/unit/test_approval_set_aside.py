"""Editing an application after the approver decided sets that decision aside (issue 7): the list, the
state the score panel shows and the memo stop saying "approved", and the approver decides again on a
new scoring."""

from __future__ import annotations

import random

import pytest

from loandesk.approvals import service
from loandesk.core.decisions import ApprovalRefused
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.memo.service import memo_for_output, memo_pdf, verify_pdf
from loandesk.scoring.service import score_application
from loandesk.storage import Store, approvals, audit

OFFICER = "周建华"


def values(**changes) -> dict:
    record = demo_record(random.Random(4), 5)
    record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                  invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                  registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False,
                  has_loan_history=False, requested_amount=300_000, officer=OFFICER)  # fmt: skip
    record.update(changes)
    result = validate_intake(record)
    assert result.ok, [f.describe("en") for f in result.errors]
    return result.values


@pytest.fixture
def approved(tmp_path):
    store = Store.open(tmp_path / "home")
    app_id = store.save_intake(values())[1].id
    score_application(store, app_id, officer=OFFICER)
    approval, memo = service.decide(store, app_id, "approve", "陈静", limit=200_000, conditions=["每季度回访"])
    yield store, app_id, approval, memo
    store.close()


def row_of(store, app_id) -> dict:
    return next(r for r in store.application_rows() if r["id"] == app_id)


def test_an_edit_after_approval_sets_it_aside_everywhere(approved):
    store, app_id, approval, memo = approved
    approved_pdf = memo_pdf(store, memo["id"])
    assert verify_pdf(store, approved_pdf).ok
    store.save_intake(values(purpose="采购原材料及支付货款"), application_id=app_id)

    row = row_of(store, app_id)
    assert row["stage"] == "scored" and row["decided_by"] is None and row["approval_id"] is None
    assert row["decision_limit"] != 200_000  # the model's limit again, not the approver's
    now = approvals.state(store, app_id)
    assert now["approval"] is None and now["in_effect"]["source"] == "model"
    assert now["set_aside"]["id"] == approval["id"] and now["set_aside"]["set_aside_reason"] == "edited"
    # the approved memo is no longer what the bank stands by, and a memo now is a draft, not approved
    assert verify_pdf(store, approved_pdf).status == "superseded"
    draft, new = memo_for_output(store, app_id, "zh")
    assert new and draft["status"] == "issued" and draft["approved_by"] is None
    # approving the old scoring again is refused: the figures changed since it was made
    with pytest.raises(ApprovalRefused) as caught:
        service.decide(store, app_id, "approve", "陈静", limit=200_000)
    assert "score it again" in caught.value.message("en") and "重新评分" in caught.value.message("zh")
    assert [r["action"] for r in audit.records(store.db)].count("approval_set_aside") == 1
    # scored again: the approver decides on the new scoring, and the memo is approved again
    score_application(store, app_id, officer=OFFICER)
    _again, memo2 = service.decide(store, app_id, "approve", "陈静", limit=150_000)
    assert memo2["status"] == "approved" and row_of(store, app_id)["decision_limit"] == 150_000
    assert approvals.state(store, app_id)["set_aside"] is None


def test_saving_without_a_change_keeps_the_approval(approved):
    store, app_id, _approval, memo = approved
    store.save_intake(values(), application_id=app_id)
    row = row_of(store, app_id)
    assert row["stage"] == "approved" and row["decided_by"] == "陈静" and row["decision_limit"] == 200_000
    assert verify_pdf(store, memo_pdf(store, memo["id"])).ok


def test_a_decline_is_set_aside_too(tmp_path):
    store = Store.open(tmp_path / "home")
    try:
        app_id = store.save_intake(values())[1].id
        score_application(store, app_id, officer=OFFICER)
        service.decide(store, app_id, "decline", "陈静", reason="经营场所无法核实")
        assert row_of(store, app_id)["stage"] == "declined"
        store.save_intake(values(annual_revenue=6_000_000), application_id=app_id)
        row = row_of(store, app_id)
        assert row["stage"] == "scored" and row["decision"] == "approve" and row["decided_by"] is None
    finally:
        store.close()
