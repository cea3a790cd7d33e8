"""Overrides (maker-checker): what an officer may ask for, and what a confirmed one puts in effect."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.scoring import service
from loandesk.storage import Store
from loandesk.storage import decisions as repo

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home")
    yield s
    s.close()


def saved(store, **changes) -> str:
    record = demo_record(random.Random(4), 5)
    record.update(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
                  invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
                  registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False,
                  has_loan_history=False, requested_amount=300_000)  # fmt: skip
    record.update(changes)
    result = validate_intake(record, today=TODAY)
    assert result.ok, [f.describe("en") for f in result.errors]
    return store.save_intake(result.values)[1].id


def test_a_knock_out_cannot_be_overridden_to_approve_but_may_be_referred(store):
    app_id = saved(store, dishonest_debtor=True)
    decision = service.score_application(store, app_id, as_of=TODAY)
    assert decision["decision"] == "decline"
    with pytest.raises(repo.OverrideRefused) as refused:
        repo.request_override(store, decision, "approve", "客户已履行法院判决", "李明", 100_000)
    assert refused.value.message("zh").startswith("命中准入否决项的申请不能推翻为同意：")
    assert "dishonest" in refused.value.message("en")
    referred = repo.request_override(store, decision, "refer", "已履行判决，请审批人复核", "李明")
    assert referred["status"] == "pending"


def test_approving_a_zero_limit_needs_a_limit_and_the_confirmed_one_is_in_effect(store):
    # Declined on points (thin tax record, few insured staff), not by an eligibility knock-out.
    app_id = saved(store, tax_grade="B", tax_paid_12m=5_000, tax_paid_24m=12_000, invoice_sales_12m=1_000_000,
                   social_insurance_headcount=2, requested_amount=3_000_000)  # fmt: skip
    decision = service.score_application(store, app_id, as_of=TODAY)
    assert (decision["decision"], decision["limit_amount"], decision["result"]["knockouts"]) == ("decline", 0, [])
    row = next(r for r in store.application_rows() if r["id"] == app_id)
    assert (row["decision"], row["model_decision"]) == ("decline", "decline")
    with pytest.raises(repo.OverrideRefused) as refused:
        repo.request_override(store, decision, "approve", "新签大额订单", "李明")
    assert refused.value.message("en") == "approving needs a limit: give the new limit"
    with pytest.raises(repo.OverrideRefused):
        repo.request_override(store, decision, "approve", "新签大额订单", "李明", -1)
    ov = repo.request_override(store, decision, "approve", "新签大额订单，回款有保障", "李明", 200_000)
    row = next(r for r in store.application_rows() if r["id"] == app_id)
    assert row["decision"] == "decline"  # pending: the model's decision stands
    repo.decide_override(store, ov["id"], "陈静", True, "同意")
    row = next(r for r in store.application_rows() if r["id"] == app_id)
    assert (row["decision"], row["decision_limit"], row["model_decision"]) == ("approve", 200_000, "decline")
    assert repo.confirmed_override(store, decision["id"])["approver"] == "陈静"


def test_a_rejected_override_leaves_the_model_decision(store):
    app_id = saved(store)
    decision = service.score_application(store, app_id, as_of=TODAY)
    ov = repo.request_override(store, decision, "decline", "现场发现已停业", "李明")
    repo.decide_override(store, ov["id"], "陈静", False, "证据不足")
    row = next(r for r in store.application_rows() if r["id"] == app_id)
    assert row["decision"] == decision["decision"] and row["override_id"] is None
    assert repo.confirmed_override(store, decision["id"]) is None
