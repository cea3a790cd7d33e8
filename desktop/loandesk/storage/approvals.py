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
    """The approver's decision on this scoring decision, if one was made."""
    rows = list(store.db.query("SELECT * FROM approvals WHERE decision_id = ?", [decision_id]))
    return _approval(rows[0]) if rows else None


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
    from .sync_state import latest_hub_decision  # head office's word, pulled by sync (shown beside in_effect)

    return {"decision": decision, "override": override, "pending_override": pending, "approval": approval,
            "in_effect": in_effect(decision, override, approval),
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
