"""The approver's decision: the rules it must meet, the decision in effect, and what the list and memo say."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from loandesk.approvals import service
from loandesk.core.decisions import DECISION_WORDS, ApprovalRefused, in_effect, pending_text
from loandesk.core.intake import validate_intake
from loandesk.demo import demo_record
from loandesk.memo.service import MemoError, stored_content
from loandesk.scoring.service import score_application
from loandesk.storage import Store, approvals
from loandesk.storage import decisions as repo

TODAY = dt.date(2026, 11, 23)
OFFICER = "周建华"


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
                  has_loan_history=False, requested_amount=300_000, officer=OFFICER)  # fmt: skip
    record.update(changes)
    result = validate_intake(record, today=TODAY)
    assert result.ok, [f.describe("en") for f in result.errors]
    return store.save_intake(result.values)[1].id


def scored(store, **changes) -> tuple[str, dict]:
    app_id = saved(store, **changes)
    return app_id, score_application(store, app_id, officer=OFFICER, as_of=TODAY)


def refused(store, app_id, *args, **kwargs) -> ApprovalRefused:
    before = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    stage = store.application(app_id).stage
    with pytest.raises(ApprovalRefused) as caught:
        service.decide(store, app_id, *args, **kwargs)
    # nothing written: no approval, no memo, no outbox record, the status unchanged
    assert store.db.execute("SELECT count(*) FROM approvals").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM memos").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == before
    assert store.application(app_id).stage == stage
    return caught.value


def row_of(store, app_id) -> dict:
    return next(r for r in store.application_rows() if r["id"] == app_id)


def test_an_approval_puts_its_limit_and_conditions_in_effect_in_the_list_and_the_memo(store):
    app_id, decision = scored(store)
    assert decision["decision"] == "approve" and decision["limit_amount"] == 300_000
    approval, memo = service.decide(store, app_id, "approve", "陈静", limit=200_000, conditions=["每季度回访"])
    assert (approval["limit_amount"], approval["term_months"], approval["rate"]) == (200_000, 12, decision["rate"])
    assert approval["officers"] == [OFFICER]
    row = row_of(store, app_id)
    assert (row["stage"], row["decision"], row["decision_limit"], row["decided_by"]) == (
        "approved", "approve", 200_000, "陈静")
    assert row["decided_on"] == approval["decided_at"][:10]
    content = stored_content(store, memo["memo_no"])
    assert memo["status"] == "approved" and memo["approved_by"] == "陈静"
    assert content["decision"]["effective"]["decision"] == "approve"
    assert content["decision"]["effective"]["limit"] == 200_000 and content["decision"]["effective"]["by"] == "陈静"
    assert content["approval"]["conditions"] == ["每季度回访"] and "每季度回访" in content["conditions"]
    assert "200,000" in content["recommendation"] and "陈静" in content["recommendation"]
    summary = service.summary(store, app_id)
    assert summary["in_effect"]["source"] == "approval" and summary["memo"]["memo_no"] == memo["memo_no"]


def test_a_refer_is_decided_by_the_approver_and_the_memo_no_longer_asks_them_to(store):
    # A thin tax record puts the model at "refer": the approver decides, and the memo says who did.
    app_id, decision = scored(store, tax_grade="B", tax_paid_12m=5_000, tax_paid_24m=12_000,
                              invoice_sales_12m=1_000_000, social_insurance_headcount=2)  # fmt: skip
    assert decision["decision"] == "refer", decision["result"]["reasons"]
    _, memo = service.decide(store, app_id, "approve", "陈静", limit=50_000)
    content = stored_content(store, memo["memo_no"])
    assert content["decision"]["decision"] == "refer"  # the model's, kept on record
    assert content["decision"]["effective"]["decision"] == "approve"
    assert "转审批" in content["recommendation"] and "由审批人决定" not in content["recommendation"]
    assert "审批人陈静的审批结论为同意" in content["recommendation"]
    assert "转审批" not in content["conclusion"]  # the default conclusion follows the decision in effect


def test_a_decline_needs_a_reason_and_declines_the_application(store):
    app_id, _ = scored(store)
    problem = refused(store, app_id, "decline", "陈静", reason="  ")
    assert (problem.field, problem.message("zh"), problem.message("en")) == ("reason", "拒绝须填写理由",
                                                                             "a decline needs a reason")
    approval, memo = service.decide(store, app_id, "decline", "陈静", reason="经营场所已搬迁，无法核实")
    assert approval["limit_amount"] is None and approval["reason"] == "经营场所已搬迁，无法核实"
    row = row_of(store, app_id)
    assert (row["stage"], row["decision"], row["decision_limit"]) == ("declined", "decline", None)
    content = stored_content(store, memo["memo_no"])
    assert content["decision"]["effective"]["decision"] == "decline" and content["conditions"] == []
    assert content["conditions_apply"] is False


@pytest.mark.parametrize(("limit", "field", "zh"), [
    (3_000_001, "limit", "额度 3,000,001 元超过产品“银税互动首贷信用贷”上限 3,000,000 元"),
    (5_000, "limit", "额度 5,000 元低于产品“银税互动首贷信用贷”下限 10,000 元"),
    (300_001, "limit", "额度 300,001 元超过申请金额 300,000 元"),
    (None, "limit", "同意须填写授信额度（大于 0 元）"),
])  # fmt: skip
def test_a_limit_outside_the_product_or_the_request_is_refused(store, limit, field, zh):
    app_id, _ = scored(store)
    problem = refused(store, app_id, "approve", "陈静", limit=limit)
    assert (problem.field, problem.message("zh")) == (field, zh)


def test_term_and_rate_must_be_within_the_product(store):
    app_id, _ = scored(store)
    assert refused(store, app_id, "approve", "陈静", limit=100_000, term_months=13).message("zh") == (
        "期限 13 个月超过产品上限 12 个月")
    assert refused(store, app_id, "approve", "陈静", limit=100_000, rate=385).field == "rate"


def test_the_approver_is_never_an_officer_of_the_application(store):
    app_id, decision = scored(store)
    problem = refused(store, app_id, "approve", " 周建华 ", limit=100_000)
    assert problem.field == "approver" and "maker-checker" in problem.message("en")
    assert problem.message("zh") == "周建华是本申请的经办人（评分或发起人），审批人须为另一人（双人复核）"
    assert refused(store, app_id, "approve", "", limit=100_000).message("zh") == "须填写审批人姓名"
    # whoever asked for an override of the decision is an officer of it too
    ov = repo.request_override(store, decision, "refer", "新签订单待核实", "李明")
    repo.decide_override(store, ov["id"], "王五", True)
    assert refused(store, app_id, "decline", "李明", reason="x").field == "approver"
    service.decide(store, app_id, "decline", "陈静", reason="订单无法核实")


def test_a_knock_out_cannot_be_approved_but_can_be_declined(store):
    app_id, decision = scored(store, dishonest_debtor=True)
    assert decision["decision"] == "decline" and decision["result"]["knockouts"]
    problem = refused(store, app_id, "approve", "陈静", limit=100_000)
    assert problem.field == "outcome" and problem.message("zh").startswith("命中准入否决项，不能同意：")
    assert "dishonest" in problem.message("en")
    approval, _ = service.decide(store, app_id, "decline", "陈静", reason="失信被执行人")
    assert approval["outcome"] == "decline"


def test_a_decline_in_effect_is_approved_only_after_a_confirmed_override(store):
    # Declined on points, not by a knock-out: an officer asks, another approver confirms, then it can be approved.
    app_id, decision = scored(store, tax_grade="B", tax_paid_12m=5_000, tax_paid_24m=12_000,
                              invoice_sales_12m=1_000_000, social_insurance_headcount=2,
                              requested_amount=3_000_000)  # fmt: skip
    assert (decision["decision"], decision["result"]["knockouts"]) == ("decline", [])
    assert "推翻" in refused(store, app_id, "approve", "陈静", limit=100_000).message("zh")
    ov = repo.request_override(store, decision, "refer", "新签大额订单", "李明")
    problem = refused(store, app_id, "approve", "陈静", limit=100_000)  # waiting for the override's approver
    assert problem.message("zh") == "该申请有待复核的推翻申请：请先确认或驳回"
    repo.decide_override(store, ov["id"], "王五", True)
    assert row_of(store, app_id)["decision"] == "refer"
    service.decide(store, app_id, "approve", "陈静", limit=100_000)
    assert (row_of(store, app_id)["decision"], row_of(store, app_id)["decision_limit"]) == ("approve", 100_000)


def test_one_decision_per_scoring_and_a_new_scoring_sets_it_aside(store):
    app_id, _ = scored(store)
    service.decide(store, app_id, "approve", "陈静", limit=100_000)
    with pytest.raises(ApprovalRefused, match="already decided"):
        service.decide(store, app_id, "decline", "王五", reason="改变主意")
    preview = service.preview(store, app_id, TODAY)
    assert preview["approval"]["approver"] == "陈静"  # the confirmation says what recording sets aside
    score_application(store, app_id, officer=OFFICER, as_of=TODAY)
    row = row_of(store, app_id)
    assert (row["stage"], row["decision"], row["decided_by"]) == ("scored", "approve", None)
    assert row["decision_limit"] == 300_000  # the model's again, until the approver decides on this scoring
    service.decide(store, app_id, "approve", "陈静", limit=150_000)
    assert len(approvals.approvals_for(store, app_id)) == 2


def test_the_approval_and_its_memo_are_stored_together_or_not_at_all(store):
    app_id, _ = scored(store)
    with pytest.raises(MemoError):
        service.decide(store, app_id, "approve", "陈静", limit=100_000, lang="fr")  # the memo cannot be made
    assert approvals.approvals_for(store, app_id) == []
    assert store.application(app_id).stage == "scored"


def test_the_database_refuses_an_approval_without_a_limit_or_a_decline_without_a_reason(store):
    import sqlite3

    import sqlcipher3

    app_id, decision = scored(store)
    row = {"id": "x", "application_id": app_id, "decision_id": decision["id"], "approver": "陈静",
           "decided_at": "2026-11-23T10:00:00"}  # fmt: skip
    for bad in ({"outcome": "approve", "limit_amount": 0}, {"outcome": "decline", "reason": " "}):
        with pytest.raises((sqlite3.IntegrityError, sqlcipher3.dbapi2.IntegrityError)):
            store.db["approvals"].insert({**row, **bad})


def test_preview_scores_without_storing(store):
    app_id = saved(store)
    preview = service.preview(store, app_id, TODAY)
    assert preview["result"]["decision"] == "approve" and preview["result"]["limit"] == 300_000
    assert repo.current_decision(store, app_id) is None and store.application(app_id).stage == "submitted"
    stored = service.record(store, app_id, officer=OFFICER, as_of=TODAY)
    assert (stored["decision"], stored["score"]) == (preview["result"]["decision"], preview["result"]["score"])


def test_in_effect_is_the_approvers_else_the_confirmed_overrides_else_the_models():
    decision = {"decision": "refer", "limit_amount": 120_000, "rate": 3.6, "result": {"term_months": 12}}
    assert in_effect(decision)["decision"] == "refer" and in_effect(decision)["source"] == "model"
    override = {"to_decision": "approve", "to_limit": None, "approver": "王五", "decided_at": "2026-11-20T09:00"}
    now = in_effect(decision, override)
    assert (now["decision"], now["limit"], now["source"], now["by"]) == ("approve", 120_000, "override", "王五")
    declined = in_effect(decision, {**override, "to_decision": "decline"})
    assert (declined["decision"], declined["limit"]) == ("decline", None)
    approval = {"outcome": "approve", "limit_amount": 80_000, "term_months": 6, "rate": 4.1, "conditions": ["回访"],
                "approver": "陈静", "decided_at": "2026-11-23T10:00"}  # fmt: skip
    now = in_effect(decision, override, approval)
    assert (now["decision"], now["limit"], now["term_months"], now["rate"], now["by"], now["on"]) == (
        "approve", 80_000, 6, 4.1, "陈静", "2026-11-23")
    assert in_effect(decision, None, {**approval, "outcome": "decline", "reason": "x"})["limit"] is None
    assert in_effect(None)["decision"] is None


def test_one_word_per_decision_in_the_domain():
    assert {code: zh for code, (_en, zh) in DECISION_WORDS.items()} == {
        "approve": "同意", "refer": "转审批", "decline": "拒绝"}
    assert pending_text("refer", "approve") == "转审批（申请改为同意，待复核）"
    assert json.dumps(DECISION_WORDS, ensure_ascii=False).count("批准") == 0
