"""What the faces call on the approval path.

``preview``   what recording a decision would store (score, grade, limit, reasons, re-entry flags),
              stored nowhere: the officer sees it and confirms before ``record`` stores it.
``record``    score the application with the pack in force and store the decision.
``summary``   everything that decides an application now, for the score panel and the approval dialog.
``decide``    the approver's decision and the approved memo it puts on file, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from loandesk.core import clock
from loandesk.core.decisions import ApprovalRefused
from loandesk.storage import Store, approvals
from loandesk.storage import memos as memo_repo


def _record(store: Store, application: str) -> dict:
    record = store.application_record(application)
    if record is None:
        raise ApprovalRefused("application", f"no application {application}", f"没有申请 {application}")
    return record


def preview(store: Store, application: str, as_of: dt.date | None = None) -> dict:
    """The decision ``record`` would store now, with what recording it would set aside (an approver's
    decision or a pending override on the current decision), without storing anything."""
    from loandesk.scoring import service as scoring

    record = _record(store, application)
    as_of = as_of or clock.today()
    pack = scoring.pack_in_force(store, as_of)
    from loandesk.scoring.consent_gate import require as require_consent

    require_consent(store, record["id"], pack, as_of)  # the same refusal ``record`` would give
    inputs = scoring.snapshot(record)
    result = scoring.score_record(inputs, pack, as_of)
    flags = scoring._reentry_flags(store, record, inputs, pack, as_of)  # the same check ``record`` makes
    now = approvals.state(store, record["id"])
    return {"application_id": record["id"], "ref": record["ref"], "enterprise_name": record.get("enterprise_name"),
            "result": result.to_dict(), "flags": flags, "current": now["decision"], "approval": now["approval"],
            "pending_override": now["pending_override"]}  # fmt: skip


def record(store: Store, application: str, officer: str | None = None, as_of: dt.date | None = None) -> dict:
    """Score and store the decision (``scoring.service.score_application``); returns the stored decision."""
    from loandesk.scoring.service import score_application

    return score_application(store, _record(store, application)["id"], officer=officer, as_of=as_of)


def summary(store: Store, application: str) -> dict:
    """The application, its current scoring decision, overrides, the approver's decision, the decision in
    effect, the memo on file and the facts the approver's decision is checked against."""
    record = _record(store, application)
    now = approvals.state(store, record["id"])
    live = memo_repo.live_memos(store, record["id"])
    memo = None
    if live:
        m = live[0]
        memo = {k: m[k] for k in ("memo_no", "version", "status", "lang")}
        memo["recommendation"] = m["content"].get("recommendation")
        memo["conclusion"] = m["content"].get("conclusion")
        memo["for_current_decision"] = m["decision_id"] == (now["decision"] or {}).get("id")
    application_keys = ("id", "ref", "enterprise_name", "requested_amount", "term_months", "product", "officer",
                        "stage")  # fmt: skip
    return {**now, "application": {k: record.get(k) for k in application_keys}, "memo": memo,
            "consent": consent_state(store, record["id"]),
            "facts": approvals.facts(store, record, now),
            "score_result": stored_result(now["decision"]) if now["decision"] else None}  # fmt: skip


def consent_state(store: Store, application_id: str) -> dict:
    """The consent to show beside a stored application: the newest (giver masked), and why it could not
    be scored today if it could not (no consent, expired, revoked). The scopes a pack needs are checked
    when it is scored; judging them here would load the scoring engine for every selection."""
    from loandesk.core.consent import judge
    from loandesk.core.i18n import language
    from loandesk.storage import consents

    if not store.has_m011:
        return {"consent": None, "refusal": None}
    found = consents.for_application(store, application_id)
    refused = judge(found, (), clock.today())
    shown = consents.latest(store, application_id)
    return {"consent": shown.summary(language()) if shown else None,
            "refusal": refused.message(language()) if refused else None}  # fmt: skip


class StoredResult:
    """A stored decision's result (``ScoreResult.to_dict()``) read back with the same attributes and
    ``texts()``, without importing the scoring engine (pandas): the score panel shows it."""

    _DEFAULTS: ClassVar[dict] = {"factors": [], "knockouts": [], "reasons": [], "what_would_change": [], "problems": [],
                 "warnings": [], "missing": [], "rate": None, "size_class": None, "revolving": False,
                 "validity_months": None, "term_months": 0, "lpr": {"1y": 0.0, "date": ""}, "flags": []}  # fmt: skip

    def __init__(self, data: dict) -> None:
        self.__dict__.update(self._DEFAULTS)
        self.__dict__.update(data)

    def texts(self, key: str, lang: str = "zh") -> list[str]:
        return [item[lang] for item in getattr(self, key, [])]


def stored_result(decision: dict) -> StoredResult:
    return StoredResult(decision.get("result") or {})


def decide(store: Store, application: str, outcome: str, approver: str, *, limit: int | None = None,
           term_months: int | None = None, rate: float | None = None, conditions: list[str] | None = None,
           reason: str | None = None, lang: str = "zh") -> tuple[dict, dict]:  # fmt: skip
    """Record the approver's decision and issue the approved memo in ``lang``: both or neither.

    Returns (the approver's decision, the memo row). Raises ``ApprovalRefused`` for a decision the
    rules forbid and ``memo.service.MemoError`` when the memo cannot be made; nothing is stored then.
    """
    from loandesk.core.permissions import acting_name
    from loandesk.memo import service as memo_service

    store.actor.require("approve")
    approver = acting_name(store.actor, approver, "--approver")
    with store.db.atomic():
        approval = approvals.record(store, application, outcome, approver, limit=limit, term_months=term_months,
                                    rate=rate, conditions=conditions, reason=reason)  # fmt: skip
        # Maker-checker on the signed-in user too (check_approval compares the names on the records).
        store.actor.require_other_than(_maker(store, approval), "approve")
        memo = memo_service.issue_memo(store, approval["application_id"], lang, as_approver=True)
        from loandesk.storage import cultivation

        cultivation.on_approval(store, approval)  # 首贷户 on the first approved loan, 伙伴客户 on the second
        store.audit("approved" if outcome == "approve" else "declined", memo["memo_no"],
                    {"approval": approval["id"], "application": approval["application_id"]})  # fmt: skip
    return approval, memo


def _maker(store: Store, approval: dict) -> str | None:
    """Who scored the decision the approver decided on (None when no one signed in did)."""
    row = store.db.execute("SELECT officer FROM decisions WHERE id = ?", (approval["decision_id"],)).fetchone()
    return row[0] if row else None
