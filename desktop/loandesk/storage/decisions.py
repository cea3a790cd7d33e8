"""Repository for scoring decisions, installed rule packs and overrides (tables in scoring_schema.py).

Functions take a ``Store``; each write is one transaction with its outbox record. Callers that
need several writes in one transaction (``scoring.service.score_application``) open
``store.db.atomic()`` themselves: the nested calls then join it (SQLite savepoints).
"""

from __future__ import annotations

import json

from loandesk.core import ids
from loandesk.core.permissions import acting_name

from .store import Store, now


class OverrideRefused(ValueError):
    """An override or confirmation the maker-checker rules do not allow; carries (en, zh)."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _decision(row: dict | None) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    for key in ("inputs", "result", "flags"):
        out[key] = json.loads(out[key]) if out.get(key) else None
    out["is_current"] = bool(out["is_current"])
    return out


def save_decision(store: Store, application_id: str, credit_code: str | None, result: dict, inputs: dict,
                  as_of: str, flags: list, officer: str | None = None) -> dict:  # fmt: skip
    """Store a decision as the current one for the application; older ones stop being current."""
    decision_id = ids.new_id()
    row = {
        "id": decision_id, "application_id": application_id, "credit_code": credit_code,
        "pack_id": result["pack_id"], "pack_version": result["pack_version"], "pack_hash": result["pack_hash"],
        "inputs": json.dumps(inputs, ensure_ascii=False, sort_keys=True), "as_of": as_of,
        "result": json.dumps(result, ensure_ascii=False), "score": result["score"], "grade": result["grade"],
        "decision": result["decision"], "limit_amount": result["limit"], "rate": result["rate"],
        "flags": json.dumps(flags, ensure_ascii=False), "officer": officer, "is_current": 1, "created_at": now(),
    }  # fmt: skip
    with store.db.atomic():
        store.db.execute("UPDATE decisions SET is_current = 0 WHERE application_id = ? AND is_current = 1",
                         (application_id,))  # fmt: skip
        store.db["decisions"].insert(row)
        summary = {k: row[k] for k in ("application_id", "pack_id", "pack_version", "pack_hash", "score", "grade",
                                        "decision", "limit_amount", "rate", "as_of")}  # fmt: skip
        store._outbox("decision", decision_id, "insert", {**summary, "flags": flags})
    return get_decision(store, decision_id)


def get_decision(store: Store, decision_id: str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM decisions WHERE id = ?", [decision_id]))
    return _decision(rows[0]) if rows else None


def current_decision(store: Store, application_id: str) -> dict | None:
    rows = list(store.db.query(
        "SELECT * FROM decisions WHERE application_id = ? AND is_current = 1 ORDER BY created_at DESC LIMIT 1",
        [application_id]))  # fmt: skip
    return _decision(rows[0]) if rows else None


def decisions_for(store: Store, application_id: str) -> list[dict]:
    return [_decision(r) for r in store.db.query(
        "SELECT * FROM decisions WHERE application_id = ? ORDER BY created_at", [application_id])]  # fmt: skip


def current_decisions(store: Store) -> list[dict]:
    return [_decision(r) for r in store.db.query("SELECT * FROM decisions WHERE is_current = 1 ORDER BY created_at")]


def recent_for_credit_code(store: Store, credit_code: str, since_iso: str) -> list[dict]:
    return [_decision(r) for r in store.db.query(
        "SELECT * FROM decisions WHERE credit_code = ? AND created_at >= ? ORDER BY created_at",
        [credit_code, since_iso])]  # fmt: skip


def flag_count(store: Store, flag_code: str) -> int:
    """How many stored decisions carry a flag (e.g. 'reentry')."""
    return sum(
        any(f.get("code") == flag_code for f in json.loads(r[0]))
        for r in store.db.execute("SELECT flags FROM decisions WHERE flags != '[]'")
    )


# ---- rule packs -------------------------------------------------------------------------------------
def remember_pack(store: Store, pack_hash: str, pack_id: str, version: str, source: str, text: str,
                  card_text: str | None) -> None:  # fmt: skip
    store.db.execute(
        """INSERT INTO rule_packs(hash, pack_id, version, source, text, card_text, installed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING""",
        (pack_hash, pack_id, version, source, text, card_text, now()),
    )


def install_pack(store: Store, pack_hash: str, pack_id: str, version: str, source: str, text: str,
                 card_text: str | None) -> None:  # fmt: skip
    """Make an (already checked) pack the one in force."""
    with store.db.atomic():
        remember_pack(store, pack_hash, pack_id, version, source, text, card_text)
        store.set_setting("rule_pack", pack_hash)
        store._outbox("rule_pack", pack_hash, "install", {"pack_id": pack_id, "version": version})


def stored_pack(store: Store, pack_hash: str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM rule_packs WHERE hash = ?", [pack_hash]))
    return rows[0] if rows else None


def packs_named(store: Store, pack_id: str, version: str) -> list[dict]:
    """Every stored pack (installed or used by a decision) with this id and version."""
    return list(store.db.query("SELECT hash, pack_id, version, source, installed_at FROM rule_packs "
                               "WHERE pack_id = ? AND version = ?", [pack_id, version]))  # fmt: skip


# ---- overrides (maker-checker) ----------------------------------------------------------------------
def request_override(store: Store, decision: dict, to_decision: str, reason: str, officer: str,
                     to_limit: int | None = None) -> dict:  # fmt: skip
    if not (reason or "").strip():
        raise OverrideRefused("an override needs a reason", "推翻决定须填写理由")
    store.actor.require("request_override")
    officer = acting_name(store.actor, officer, "--officer")
    if not (officer or "").strip():
        raise OverrideRefused("an override needs the officer's name", "须填写发起人")
    if to_decision not in ("approve", "refer", "decline"):
        raise OverrideRefused(f"'{to_decision}' is not approve/refer/decline", f"“{to_decision}”不是有效决定")
    if to_decision == decision["decision"] and to_limit in (None, decision["limit_amount"]):
        raise OverrideRefused("the override changes nothing", "推翻后的决定与原决定相同")
    if not decision["is_current"]:
        raise OverrideRefused("only the current decision can be overridden", "只能推翻当前决定")
    if to_limit is not None and to_limit < 0:
        raise OverrideRefused("the limit cannot be negative", "额度不能为负数")
    if to_decision == "approve":
        knockouts = (decision.get("result") or {}).get("knockouts") or []
        if knockouts:  # eligibility rules (e.g. a dishonest debtor) are not the officer's to waive
            raise OverrideRefused(
                "a knock-out cannot be overridden to approve: " + "; ".join(k.get("en", k.get("code", ""))
                                                                           for k in knockouts),
                "命中准入否决项的申请不能推翻为同意：" + "；".join(k.get("zh", k.get("code", "")) for k in knockouts),
            )  # fmt: skip
        if (to_limit if to_limit is not None else decision.get("limit_amount") or 0) <= 0:
            raise OverrideRefused("approving needs a limit: give the new limit", "改为同意须填写新额度")
    override_id = ids.new_id()
    row = {"id": override_id, "decision_id": decision["id"], "application_id": decision["application_id"],
           "from_decision": decision["decision"], "to_decision": to_decision, "to_limit": to_limit,
           "reason": reason.strip(), "officer": officer.strip(), "requested_at": now(),
           "status": "pending"}  # fmt: skip
    with store.db.atomic():
        # Under the write lock: another process may have re-scored the application since ``decision`` was read.
        still = store.db.execute("SELECT is_current FROM decisions WHERE id = ?", (decision["id"],)).fetchone()
        if not (still and still[0]):
            raise OverrideRefused("the application was re-scored meanwhile: only the current decision can be "
                                  "overridden; look at the new decision and ask again",
                                  "该申请刚刚已重新评分：只能推翻当前决定，请查看新决定后重新申请")  # fmt: skip
        pending = store.db.execute(
            "SELECT count(*) FROM overrides WHERE decision_id = ? AND status = 'pending'", (decision["id"],)
        ).fetchone()[0]
        if pending:
            raise OverrideRefused("an override of this decision is already waiting for an approver",
                                  "该决定已有待审批的推翻申请")  # fmt: skip
        store.db["overrides"].insert(row)
        store._outbox("override", override_id, "insert", {k: v for k, v in row.items() if k != "reason"})
        store.audit("override_requested", override_id, {"decision": decision["id"], "to": to_decision})
    return get_override(store, override_id)


def decide_override(store: Store, override_id: str, approver: str, confirm: bool, note: str = "") -> dict:
    with store.db.atomic():
        ov = get_override(store, override_id)
        if ov is None:
            raise OverrideRefused(f"no override {override_id}", f"没有推翻申请 {override_id}")
        if ov["status"] != "pending":
            raise OverrideRefused(f"the override is already {ov['status']}", f"该推翻申请已处理（{ov['status']}）")
        store.actor.require_other_than(ov["officer"], "confirm_override")
        approver = acting_name(store.actor, approver, "--approver")
        if not (approver or "").strip():
            raise OverrideRefused("the approver must be named", "须填写审批人")
        if approver.strip() == ov["officer"]:
            raise OverrideRefused("the approver must be someone other than the officer who asked (maker-checker)",
                                  "审批人不能是发起人本人（双人复核）")  # fmt: skip
        status = "confirmed" if confirm else "rejected"
        store._update("overrides", override_id, {"status": status, "approver": approver.strip(),
                                                 "approver_note": note, "decided_at": now()})  # fmt: skip
        store._outbox("override", override_id, status, {"approver": approver.strip()})
        store.audit("override_" + status, override_id)
    return get_override(store, override_id)


def get_override(store: Store, override_id: str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM overrides WHERE id = ?", [override_id]))
    return rows[0] if rows else None


def confirmed_override(store: Store, decision_id: str) -> dict | None:
    """The override an approver confirmed for this decision (the newest), which puts its decision and
    limit in effect instead of the model's; None when the model's decision stands."""
    rows = list(store.db.query("SELECT * FROM overrides WHERE decision_id = ? AND status = 'confirmed' "
                               "ORDER BY decided_at DESC LIMIT 1", [decision_id]))  # fmt: skip
    return rows[0] if rows else None


def overrides_for(store: Store, application_id: str) -> list[dict]:
    return list(store.db.query("SELECT * FROM overrides WHERE application_id = ? ORDER BY requested_at",
                               [application_id]))  # fmt: skip


def override_counts(store: Store) -> dict[str, int]:
    counts = {"pending": 0, "confirmed": 0, "rejected": 0}
    for status, n in store.db.execute("SELECT status, count(*) FROM overrides GROUP BY status"):
        counts[status] = n
    counts["total"] = sum(counts.values())
    return counts
