"""Issuing, re-issuing, approving and verifying memos against the store.

A memo is built from the stored application, its current stored decision and that decision's
confirmed override, if any (an application never scored is scored first with the pack in force,
when the scoring package is there). Once issued it never changes: the PDF bytes, the SHA-256 of
those bytes and the SHA-256 of the canonical content are stored together in the encrypted store.

One memo number per decision: the Chinese and English memos of one version are two renditions of
the same memo (the same number and version, each with its own content and file hash), and asking
for the other language never supersedes anything. Re-issuing or approving the same decision makes
a new version under the same number, superseding the renditions in force in both languages; a new
decision (a rescore, a newly confirmed override, or an approver's decision that changes the
decision or the limit in effect) gets a new memo number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json

from loandesk.core import clock, ids
from loandesk.core.i18n import pick
from loandesk.core.permissions import acting_name
from loandesk.storage import Store, approvals
from loandesk.storage import memos as repo
from loandesk.storage.decisions import confirmed_override
from loandesk.storage.store import now

from . import qr
from .content import build_content, canonical_json, content_sha256, effective, facts_sha256
from .template import MemoTemplate, template_for
from .verify import Verification, scan_qr, verify_code, verify_file, verify_pdf, zbar_available

# Verification lives in ``memo.verify``; its names stay importable from here for the CLI and the GUI.
__all__ = [
    "MemoError", "Verification", "issue_memo", "memo_for_output", "memo_in_force", "memo_pdf",
    "pending_application_ids", "scan_qr", "stored_content", "verify_code", "verify_file", "verify_pdf",
    "zbar_available",
]  # fmt: skip

ISSUED_STAGE = "memo_issued"


class MemoError(Exception):
    """A memo cannot be issued (unknown application, not scored, bad approver), said in the user's language."""


def _scoring_service():
    try:
        return importlib.import_module("loandesk.scoring.service")
    except ModuleNotFoundError as exc:
        if exc.name not in ("loandesk.scoring.service", "loandesk.scoring"):
            raise
        return None


def decision_for(store: Store, application_id: str, *, score_if_missing: bool = True) -> dict | None:
    """The current stored decision; scores the application first when it has none."""
    decision = repo.current_decision(store, application_id)
    if decision is None and score_if_missing:
        scoring = _scoring_service()
        if scoring is None or not hasattr(scoring, "score_application"):
            raise MemoError(pick("the application has not been scored and scoring is not available here",
                                 "该申请尚未评分，且本机无法评分"))  # fmt: skip
        from loandesk.core.consent import ConsentRefused

        try:
            scoring.score_application(store, application_id)
        except ConsentRefused as exc:  # no memo without a scoring; a batch goes on with the next one
            raise MemoError(pick(f"not scored, so no memo: {exc.message('en')}",
                                 f"未评分，无法出具报告：{exc.message('zh')}")) from None  # fmt: skip
        decision = repo.current_decision(store, application_id)
    return decision


def _application(store: Store, key: str) -> dict:
    record = store.application_record(key)
    if record is None:
        raise MemoError(pick(f"no application {key!r} in this data home", f"本数据目录中没有申请 {key!r}"))
    if store.has_m011:  # the consent on record, as the memo prints it: the giver masked, always
        from loandesk.storage import consents

        consent = consents.latest(store, record["id"])
        record["consent_record"] = {k: v for k, v in consent.summary().items() if k in CONSENT_PRINTED} \
            if consent else None  # fmt: skip
    return record


CONSENT_PRINTED = ("given_by", "given_on", "expires_on", "scope", "revoked_on")


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise MemoError(pick(f"unsupported language {lang!r}: zh or en", f"不支持的语言 {lang!r}：请用 zh 或 en"))


def _override(store: Store, decision: dict | None) -> dict | None:
    """The approver-confirmed override that puts another decision (and limit) in effect, if any."""
    return confirmed_override(store, decision["id"]) if decision else None


def _approval(store: Store, decision: dict | None) -> dict | None:
    """The approver's decision on ``decision``, if one was made (``storage.approvals``)."""
    return approvals.for_decision(store, decision["id"]) if decision else None


def approval_block(approval: dict | None) -> dict | None:
    """The memo's approval block: who decided and when, and what (approve: limit, term, rate, conditions;
    decline: the reason)."""
    if approval is None:
        return None
    return {"id": approval["id"], "approved_by": approval["approver"], "approved_on": approval["decided_at"][:10],
            "decision": approval["outcome"], "limit": approval["limit_amount"], "term_months": approval["term_months"],
            "rate": approval["rate"], "conditions": approval["conditions"], "reason": approval["reason"]}  # fmt: skip


def _same_basis(memo: dict, decision: dict | None, override: dict | None, approval: dict | None = None) -> bool:
    """Is this memo (with parsed ``content``) for this decision, confirmed override and approver's decision?"""
    printed = (memo["content"].get("decision") or {}).get("override") or {}
    signed = (memo["content"].get("approval") or {}).get("id")
    return memo["decision_id"] == (decision["id"] if decision else None) and printed.get("id") == (
        override["id"] if override else None
    ) and signed == (approval["id"] if approval else None)


def _same_memo_number(live: list[dict], decision: dict | None, override: dict | None,
                      in_effect: tuple) -> str | None:  # fmt: skip
    """The number of the memo in force when the new one is for the same decision: the same stored
    decision and confirmed override, and the same decision and limit in effect (an approver's
    decision that changes either is a new decision). None: the new memo needs a new number."""
    for memo in live:
        printed = memo["content"].get("decision") or {}
        same_decision = memo["decision_id"] == (decision["id"] if decision else None) and (
            (printed.get("override") or {}).get("id") == (override["id"] if override else None))
        effect = printed.get("effective") or {}
        if same_decision and (effect.get("decision"), effect.get("limit")) == in_effect:
            return memo["memo_no"]  # the approver's record may differ: approving as it stands keeps the number
    return None


def _lang_name(lang: str, in_lang: str) -> str:
    names = {"zh": ("Chinese", "中文"), "en": ("English", "英文")}[lang]
    return pick(*names, in_lang)


def _store_memo(store: Store, record: dict, decision: dict | None, content: dict, template: MemoTemplate, *,
                supersedes: list[dict], approved_by: str | None, approved_at: str | None) -> dict:  # fmt: skip
    """Render, hash and store one memo (inside the caller's transaction); returns the stored row."""
    from .build import render_pdf  # reportlab is heavy: import it only when a memo is made

    digest = content_sha256(content)
    pdf = render_pdf(content, template, qr.payload(content["memo_no"], digest))
    row = {
        "id": ids.new_id(),
        "memo_no": content["memo_no"],
        "application_id": record["id"],
        "decision_id": decision["id"] if decision else None,
        "version": content["version"],
        "supersedes": supersedes[0]["id"] if supersedes else None,
        "lang": content["lang"],
        "content": canonical_json(content),
        "content_sha256": digest,
        "file_sha256": hashlib.sha256(pdf).hexdigest(),
        "pdf": pdf,
        "status": "approved" if approved_by else "issued",
        "officer": content["officer"],
        "approved_by": approved_by,
        "approved_at": approved_at,
        "issued_at": now(),
    }
    repo.insert_memo(store, row, [m["id"] for m in supersedes])
    return row


def issue_memo(
    store: Store,
    application: str,
    lang: str = "zh",
    *,
    officer: str | None = None,
    conclusion: str | None = None,
    conditions: list[str] | None = None,
    template: MemoTemplate | None = None,
    today: dt.date | None = None,
    reissue: bool = False,
    new_number: bool = False,
    as_approver: bool = False,
) -> dict:
    """Issue a new version of the application's memo in ``lang``, for an application id or reference.

    The new version supersedes every memo of the application still in force, in both languages (they
    are for an older decision, or are replaced on purpose). When an approver has decided on the
    decision in effect (``storage.approvals``; see ``loandesk.approvals``), the memo is issued as
    approved: no DRAFT watermark, the approver's name, date and decision in the approval block, the
    approver's decision in effect throughout. A memo already approved for that decision is superseded
    only on purpose (``reissue=True``); otherwise this refuses. The memo keeps the number of the memo
    in force when that one is for the same decision (the same stored decision and confirmed override,
    the same decision and limit in effect: a new version of the same memo); otherwise, or with
    ``new_number``, it gets a new number. Returns the stored memo row (without the PDF; see ``memo_pdf``).
    """
    _check_lang(lang)
    if not as_approver:  # the approved memo comes with the approver's decision (approvals.service.decide)
        store.actor.require("draft_memo")
        officer = acting_name(store.actor, officer, "--officer") or officer
    record = _application(store, application)
    template = template or template_for(store)  # the branch's names from its settings
    decision = decision_for(store, record["id"])
    override = _override(store, decision)
    decided = _approval(store, decision)
    officer = officer or record.get("officer") or ""
    today = today or clock.today()
    with store.db.atomic():
        live = repo.live_memos(store, record["id"])
        signed = [m for m in live if m["status"] == "approved" and _same_basis(m, decision, override, decided)]
        if signed and not reissue:
            no = signed[0]["memo_no"]
            raise MemoError(pick(f"memo {no} is approved for this decision; re-issue it on purpose (--reissue) "
                                 "to replace it",
                                 f"报告 {no} 已就当前结论审批；如确需替换，请明确重新签发（--reissue）"))  # fmt: skip
        previous = repo.latest_memo(store, record["id"])
        replaced = sorted(live, key=lambda m: (m["lang"] != lang, m["memo_no"]))  # same language first
        approval = approval_block(decided)
        approver = decided["approver"] if decided else None
        in_effect = effective(decision, override, approval)
        memo_no = None if new_number else _same_memo_number(live, decision, override, in_effect)
        memo_no = memo_no or store.next_ref("memo")
        superseded = sorted({f"{m['memo_no']} v{m['version']}" for m in replaced})
        content = build_content(
            record, decision, template, memo_no=memo_no, version=previous["version"] + 1 if previous else 1,
            lang=lang, issued_on=today, supersedes=", ".join(superseded) or None,
            officer=officer, conclusion=conclusion, conditions=conditions, approval=approval, override=override,
            attachments=repo.attachments_of(store, record["id"]),
        )  # fmt: skip
        row = _store_memo(store, record, decision, content, template, supersedes=replaced, approved_by=approver,
                          approved_at=decided["decided_at"] if decided else None)  # fmt: skip
        # The application's status follows the approver's decision once there is one (approved / declined).
        repo.set_stage(store, record["id"], approvals.STAGE_FOR[decided["outcome"]] if decided else ISSUED_STAGE)
        store.audit("memo_issued", memo_no, {"version": row["version"], "lang": lang, "application": record["ref"]})
    return repo.memo(store, row["id"])


def _language_copy(store: Store, record: dict, decision: dict | None, override: dict | None, live: list[dict],
                   lang: str, template: MemoTemplate) -> dict | None:  # fmt: skip
    """The same memo rendered in ``lang``, beside the rendition in force in the other language; None
    when the application changed since, so that it would not say the same (a new version is due then).

    One memo number per decision: the rendition has the memo's number and version, its own content
    and file hash. It takes the original's memo date, officer, conclusion and conditions; it
    supersedes nothing and leaves the application's stage alone.
    """
    sibling = next((m for m in live if m["status"] == "approved"), live[0])
    if "consent_record" not in (sibling["content"].get("application") or {}):
        # issued before consent records: its rendition says what it said (the inline consent)
        record = {k: v for k, v in record.items() if k != "consent_record"}
    basis = sibling["content"].get("basis")  # None on memos issued before language copies existed
    same_facts = False
    if basis is not None:
        given = {k: v for k, v in basis.items() if k != "facts_sha256"}
        signed = sibling["content"].get("approval")
        attached = repo.attachments_of(store, record["id"])
        same_facts = (facts_sha256(record, decision, override, template, given, signed, attached)
                      == basis["facts_sha256"])  # fmt: skip
    if not same_facts:
        if sibling["status"] == "approved":
            no, other = sibling["memo_no"], _lang_name(lang, "en")
            raise MemoError(pick(
                f"memo {no} was approved, and the application or template has changed since: a {other} copy "
                f"would not say what was approved. Re-issue it (--reissue) or approve again to print it in {other}.",
                f"报告 {no} 已审批，此后申请资料或模板有变动，{_lang_name(lang, 'zh')}版无法与已审批内容一致。"
                f"如需{_lang_name(lang, 'zh')}版，请重新签发（--reissue）或重新审批。"))  # fmt: skip
        return None
    approval = None
    if sibling["status"] == "approved":
        # The approval carries over because the rendition says exactly what the approver signed: the
        # facts fingerprint above proves the same application data, decision and confirmed
        # override, the same officer's words and memo date and the same template substance; only
        # the language of the labels differs. The rendition says in which language it was signed.
        signed = sibling["content"]["approval"]
        approval = {**signed, "signed_lang": signed.get("signed_lang") or sibling["lang"]}
        approval.pop("memo_no", None)
    content = build_content(
        record, decision, template, memo_no=sibling["memo_no"], version=sibling["version"], lang=lang,
        issued_on=dt.date.fromisoformat(basis["issued_on"]), officer=basis["officer"],
        conclusion=basis["conclusion"], conditions=basis["conditions"], approval=approval, override=override,
        rendition_of=sibling["lang"], supersedes=sibling["content"].get("supersedes"), attachments=attached,
    )  # fmt: skip
    row = _store_memo(store, record, decision, content, template, supersedes=[],
                      approved_by=sibling["approved_by"] if approval else None,
                      approved_at=sibling["approved_at"] if approval else None)  # fmt: skip
    return repo.memo(store, row["id"])


def memo_for_output(store: Store, application: str, lang: str = "zh", **kwargs) -> tuple[dict, bool]:
    """The memo to hand out for an application in ``lang``. Returns (memo row, newly issued?).

    - the memo in force for the decision in effect in this language, when there is one;
    - else the same memo in this language, next to the one in force in the other language (an
      approved memo's copy is approved too; see ``_language_copy``); nothing is superseded;
    - else a new version (``issue_memo``): the decision in effect has no memo yet.
    Options for ``issue_memo`` (officer, conclusion, conditions, reissue) ask for a new version.
    """
    _check_lang(lang)
    store.actor.require("print_memo")
    if any(kwargs.get(k) for k in ("officer", "conclusion", "conditions", "reissue")):
        return issue_memo(store, application, lang, **kwargs), True
    record = _application(store, application)
    decision = decision_for(store, record["id"])
    override = _override(store, decision)
    decided = _approval(store, decision)
    with store.db.atomic():
        live = [m for m in repo.live_memos(store, record["id"]) if _same_basis(m, decision, override, decided)]
        mine = next((m for m in live if m["lang"] == lang), None)
        if mine is not None:
            return repo.memo(store, mine["id"]), False
        if live:
            template = kwargs.get("template") or template_for(store)
            copy = _language_copy(store, record, decision, override, live, lang, template)
            if copy is not None:
                return copy, True
        return issue_memo(store, record["id"], lang, **kwargs), True


def memo_in_force(store: Store, application_id: str, lang: str) -> dict | None:
    """The application's memo in ``lang`` for the decision in effect, if one was issued (never issues)."""
    decision = repo.current_decision(store, application_id)
    override = _override(store, decision)
    decided = _approval(store, decision)
    live = [m for m in repo.live_memos(store, application_id) if _same_basis(m, decision, override, decided)]
    mine = next((m for m in live if m["lang"] == lang), None)
    return repo.memo(store, mine["id"]) if mine else None


def memo_pdf(store: Store, key: str, lang: str | None = None) -> bytes:
    """The issued PDF bytes of a memo rendition: by row id, or by memo number (and language)."""
    row = repo.memo(store, key, with_pdf=True, lang=lang)
    if row is None:
        raise MemoError(pick(f"no memo {key}", f"没有报告 {key}"))
    return bytes(row["pdf"])


def pending_application_ids(store: Store) -> list[str]:
    """Applications whose current decision has no memo yet (including applications never scored)."""
    return repo.pending_application_ids(store)


def stored_content(store: Store, key: str) -> dict | None:
    """The content a memo rendition was built from, by row id (or memo number: the one in force)."""
    row = repo.memo(store, key, with_pdf=True)
    return json.loads(row["content"]) if row else None
