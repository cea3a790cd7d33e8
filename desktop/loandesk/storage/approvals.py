"""Repository for the approver's decisions (table in approval_schema.py, migration m008).

``record`` checks the decision against the rules (``core.decisions.check_approval``) with facts read
inside the same transaction that stores it, sets the application's status (approved / declined)
and appends the outbox record: a refused decision writes nothing.
"""

from __future__ import annotations

import json

from loandesk.core import ids
from loandesk.core.decisions import ApprovalFacts, ApprovalRefused, check_approval, in_effect
from loandesk.core.products import products

from . import decisions as scoring_repo
from .store import Store, now

STAGE_FOR = {"approve": "approved", "decline": "declined"}


def _approval(row: dict | None) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    out["conditions"] = json.loads(out.get("conditions") or "[]")
    out["officers"] = json.loads(out.get("officers") or "[]")
    return out


def for_decision(store: Store, decision_id: str) -> dict | None:
    """The approver's decision on this scoring decision, if one was made and still stands."""
    standing = " AND set_aside_at IS NULL" if store.has_m011 else ""
    rows = list(store.db.query(f"SELECT * FROM approvals WHERE decision_id = ?{standing}", [decision_id]))
    return _approval(rows[0]) if rows else None


def set_aside_for(store: Store, decision_id: str) -> dict | None:
    """The approver's decision on this scoring decision that an edit set aside, if any."""
    if not store.has_m011:
        return None
    rows = list(store.db.query("SELECT * FROM approvals WHERE decision_id = ? AND set_aside_at IS NOT NULL",
                               [decision_id]))  # fmt: skip
    return _approval(rows[0]) if rows else None


SET_ASIDE_STAGE = "scored"  # scored once, on figures since changed: to be scored and approved again


def set_aside(store: Store, application_id: str, reason: str) -> dict | None:
    """The application changed after the approver decided: their decision no longer stands (the list,
    the score panel and the memo stop showing it; a memo issued from now on is a draft), and the
    approver decides again on a new scoring. Call inside the saving transaction. Returns the approval
    set aside, or None when none stood."""
    decision = scoring_repo.current_decision(store, application_id)
    standing = for_decision(store, decision["id"]) if decision else None
    if standing is None:
        return None
    stamp = now()
    by = store.actor.shown if not store.actor.is_system else "system"
    store.db.execute("UPDATE approvals SET set_aside_at = ?, set_aside_by = ?, set_aside_reason = ? WHERE id = ?",
                     (stamp, by, reason, standing["id"]))  # fmt: skip
    store._update("applications", application_id, {"stage": SET_ASIDE_STAGE, "updated_at": stamp})
    # The approved memo no longer says what the bank stands by: verifying it says superseded, not approved.
    for (memo_id,) in store.db.execute("SELECT id FROM memos WHERE application_id = ? AND status = 'approved'",
                                       (application_id,)).fetchall():  # fmt: skip
        store.db.execute("UPDATE memos SET status = 'superseded' WHERE id = ?", (memo_id,))
        store._outbox("memo", memo_id, "update", {"status": "superseded"})
    # Its own record, not an update: an approval is written once (the hub refuses to change one).
    store._outbox("approval_set_aside", standing["id"], "insert", {
        "approval_id": standing["id"], "application_id": application_id, "set_aside_at": stamp,
        "set_aside_by": by, "set_aside_reason": reason})  # fmt: skip
    store._outbox("application", application_id, "stage", {"stage": SET_ASIDE_STAGE})
    ref = store.db.execute("SELECT ref FROM applications WHERE id = ?", (application_id,)).fetchone()[0]
    store.audit("approval_set_aside", ref, {"approval": standing["id"], "reason": reason})
    return {**standing, "set_aside_at": stamp, "set_aside_by": by, "set_aside_reason": reason}


def get(store: Store, approval_id: str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM approvals WHERE id = ?", [approval_id]))
    return _approval(rows[0]) if rows else None


def approvals_for(store: Store, application_id: str) -> list[dict]:
    return [_approval(r) for r in store.db.query(
        "SELECT * FROM approvals WHERE application_id = ? ORDER BY decided_at", [application_id])]  # fmt: skip


def state(store: Store, application_id: str) -> dict:
    """Everything that decides an application now: the current scoring decision, its confirmed and
    pending overrides, the approver's decision on it, and the decision in effect."""
    decision = scoring_repo.current_decision(store, application_id)
    override = scoring_repo.confirmed_override(store, decision["id"]) if decision else None
    pending = None
    if decision:
        pending = next((o for o in scoring_repo.overrides_for(store, application_id)
                        if o["decision_id"] == decision["id"] and o["status"] == "pending"), None)  # fmt: skip
    approval = for_decision(store, decision["id"]) if decision else None
    aside = set_aside_for(store, decision["id"]) if decision else None
    from .sync_state import latest_hub_decision  # head office's word, pulled by sync (shown beside in_effect)

    return {"decision": decision, "override": override, "pending_override": pending, "approval": approval,
            "set_aside": aside, "in_effect": in_effect(decision, override, approval),
            "head_office": latest_hub_decision(store, application_id)}  # fmt: skip


def facts(store: Store, record: dict, now_state: dict) -> ApprovalFacts:
    """The facts an approver's decision is checked against (``record``: ``Store.application_record``)."""
    decision = now_state["decision"]
    result = (decision or {}).get("result") or {}
    officers = {record.get("officer"), (decision or {}).get("officer")}
    if decision:
        officers |= {o["officer"] for o in scoring_repo.overrides_for(store, record["id"])
                     if o["decision_id"] == decision["id"]}  # fmt: skip
    product = products().get(record.get("product") or "")
    before = in_effect(decision, now_state["override"])  # what the approver decides on
    return ApprovalFacts(
        in_effect=before["decision"],
        knockouts=tuple((k.get("en", k.get("code", "")), k.get("zh", k.get("code", "")))
                        for k in result.get("knockouts") or []),
        officers=tuple(sorted(o for o in officers if o)),
        requested_amount=record.get("requested_amount"),
        min_amount=product.min_amount if product else None,
        max_amount=product.max_amount if product else None,
        max_term_months=product.max_term_months if product else None,
        product_name=f"“{product.name_zh}”" if product else "",
        pending_override=now_state["pending_override"] is not None,
        already=now_state["approval"],
    )  # fmt: skip


def record(store: Store, application: str, outcome: str, approver: str, *, limit: int | None = None,
           term_months: int | None = None, rate: float | None = None, conditions: list[str] | None = None,
           reason: str | None = None) -> dict:  # fmt: skip
    """Store the approver's decision on the application's current scoring decision; returns it.

    Raises ``ApprovalRefused`` (nothing written) when a rule forbids it. An approval without a term or
    rate takes the decision in effect's (the model's approved term and rate).
    """
    with store.db.atomic():
        rec = store.application_record(application)
        if rec is None:
            raise ApprovalRefused("application", f"no application {application}", f"没有申请 {application}")
        now_state = state(store, rec["id"])
        aside = now_state["set_aside"]
        if aside is not None:
            when = (aside["set_aside_at"] or "")[:10]
            raise ApprovalRefused("outcome",
                                  f"the application was changed on {when}, after {aside['approver']}'s decision: "
                                  "score it again, then the approver decides on the new scoring",
                                  f"申请资料已于 {when} 在审批人{aside['approver']}审批后修改：请重新评分，"
                                  "再由审批人就新的评分结论审批")  # fmt: skip
        known = facts(store, rec, now_state)
        check_approval(known, outcome, approver, limit=limit, term_months=term_months, rate=rate, reason=reason)
        decision, override = now_state["decision"], now_state["override"]
        before = now_state["in_effect"]
        approve = outcome == "approve"
        approval_id = ids.new_id()
        row = {
            "id": approval_id, "application_id": rec["id"], "decision_id": decision["id"],
            "override_id": override["id"] if override else None, "outcome": outcome,
            "limit_amount": int(limit) if approve else None,
            "term_months": (term_months or before["term_months"] or rec.get("term_months")) if approve else None,
            "rate": (rate if rate is not None else before["rate"]) if approve else None,
            "conditions": json.dumps([c.strip() for c in conditions or [] if c and c.strip()], ensure_ascii=False),
            "reason": (reason or "").strip() or None, "approver": approver.strip(),
            "officers": json.dumps(list(known.officers), ensure_ascii=False), "decided_at": now(),
        }  # fmt: skip
        store.db["approvals"].insert(row)
        stage = STAGE_FOR[outcome]
        store._update("applications", rec["id"], {"stage": stage, "updated_at": row["decided_at"]})
        store._outbox("approval", approval_id, "insert", {k: v for k, v in row.items() if k not in ("reason",)})
        store._outbox("application", rec["id"], "stage", {"stage": stage})
    return get(store, approval_id)
