"""Issuing, re-issuing, approving and verifying memos against the store.

A memo is built from the stored application and its current stored decision (an
application never scored is scored first with the pack in force, when the scoring
package is there). Once issued it never changes: the PDF bytes, the SHA-256 of those
bytes and the SHA-256 of the canonical content are stored together in the encrypted
store. Re-issuing or approving makes a new version that points to the one it replaces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from loandesk.core import ids
from loandesk.core.i18n import pick
from loandesk.storage import Store
from loandesk.storage import memos as repo
from loandesk.storage.store import now

from . import qr
from .content import build_content, canonical_json, content_sha256
from .template import MemoTemplate, load_template

MEMO_NO = re.compile(r"M-[A-Z0-9]{2,8}-[A-Z0-9]{4}-\d{6}")
ISSUED_STAGE, APPROVED_STAGE = "memo_issued", "approved"


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
        scoring.score_application(store, application_id)
        decision = repo.current_decision(store, application_id)
    return decision


def _application(store: Store, key: str) -> dict:
    record = store.application_record(key)
    if record is None:
        raise MemoError(pick(f"no application {key!r} in this data home", f"本数据目录中没有申请 {key!r}"))
    return record


def issue_memo(
    store: Store,
    application: str,
    lang: str = "zh",
    *,
    officer: str | None = None,
    conclusion: str | None = None,
    conditions: list[str] | None = None,
    approver: str | None = None,
    template: MemoTemplate | None = None,
    today: dt.date | None = None,
) -> dict:
    """Issue a new memo (a new version when one exists) for an application id or reference.

    With ``approver`` the memo is issued as approved: no DRAFT watermark, the approver's name and
    date in the approval block, and the application's stage set to 'approved'. Returns the stored
    memo row (without the PDF; see ``memo_pdf``).
    """
    if lang not in ("zh", "en"):
        raise MemoError(pick(f"unsupported language {lang!r}: zh or en", f"不支持的语言 {lang!r}：请用 zh 或 en"))
    from .build import render_pdf  # reportlab is heavy: import it only when a memo is made

    record = _application(store, application)
    template = template or load_template(store.home)
    decision = decision_for(store, record["id"])
    officer = officer or record.get("officer") or ""
    if approver is not None:
        approver = approver.strip()
        if not approver:
            raise MemoError(pick("the approver's name is empty", "审批人姓名为空"))
        if officer and approver == officer:
            raise MemoError(pick("the approver must be someone other than the officer who wrote the memo",
                                 "审批人不能是撰写报告的客户经理本人"))  # fmt: skip
    today = today or dt.date.today()
    with store.db.atomic():
        previous = repo.latest_memo(store, record["id"])
        memo_no = store.next_ref("memo")
        version = previous["version"] + 1 if previous else 1
        approval = {"approved_by": approver, "approved_on": today.isoformat()} if approver else None
        content = build_content(
            record, decision, template, memo_no=memo_no, version=version, lang=lang, issued_on=today,
            supersedes=previous["memo_no"] if previous else None, officer=officer, conclusion=conclusion,
            conditions=conditions, approval=approval,
        )  # fmt: skip
        digest = content_sha256(content)
        pdf = render_pdf(content, template, qr.payload(memo_no, digest))
        row = {
            "id": ids.new_id(),
            "memo_no": memo_no,
            "application_id": record["id"],
            "decision_id": decision["id"] if decision else None,
            "version": version,
            "supersedes": previous["id"] if previous else None,
            "lang": lang,
            "content": canonical_json(content),
            "content_sha256": digest,
            "file_sha256": hashlib.sha256(pdf).hexdigest(),
            "pdf": pdf,
            "status": "approved" if approver else "issued",
            "officer": officer,
            "approved_by": approver,
            "approved_at": now() if approver else None,
            "issued_at": now(),
        }
        repo.insert_memo(store, row, previous["id"] if previous else None)
        repo.set_stage(store, record["id"], APPROVED_STAGE if approver else ISSUED_STAGE)
    return repo.memo(store, memo_no)


def memo_for_output(store: Store, application: str, lang: str = "zh", **kwargs) -> tuple[dict, bool]:
    """The memo to hand out for an application: the stored one when it is for the current decision
    in this language, else a newly issued one. Returns (memo row, newly issued?)."""
    record = _application(store, application)
    latest = repo.latest_memo(store, record["id"])
    decision = repo.current_decision(store, record["id"])
    if latest and latest["lang"] == lang and decision and latest["decision_id"] == decision["id"]:
        return latest, False
    return issue_memo(store, record["id"], lang, **kwargs), True


def memo_pdf(store: Store, memo_no: str) -> bytes:
    row = repo.memo(store, memo_no, with_pdf=True)
    if row is None:
        raise MemoError(pick(f"no memo {memo_no}", f"没有报告 {memo_no}"))
    return bytes(row["pdf"])


def pending_application_ids(store: Store) -> list[str]:
    """Applications whose current decision has no memo yet (including applications never scored)."""
    return repo.pending_application_ids(store)


# ---- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    ok: bool
    status: str  # valid / superseded / altered / unknown / unreadable
    memo_no: str | None
    message_en: str
    message_zh: str
    memo: dict | None = None

    def message(self, lang: str | None = None) -> str:
        return pick(self.message_en, self.message_zh, lang)


def _claimed_identity(pdf: bytes) -> tuple[str | None, str | None]:
    """(memo number, content hash) the file claims: from its metadata (the QR payload), else its text."""
    import pypdf

    try:
        reader = pypdf.PdfReader(__import__("io").BytesIO(pdf), strict=False)
        meta = reader.metadata or {}
        found = qr.parse_payload(str(meta.get("/Subject", "")))
        if found:
            return found
        text = "".join((page.extract_text() or "") for page in reader.pages[:2])
    except Exception:
        text = pdf[:200_000].decode("latin-1", errors="ignore")
    match = MEMO_NO.search(re.sub(r"\s+", "", text))
    return (match.group(0) if match else None), None


def verify_pdf(store: Store, pdf: bytes) -> Verification:
    """Does this file match a memo issued from this data home, byte for byte?"""
    if not pdf.startswith(b"%PDF"):
        return Verification(False, "unreadable", None, "not a PDF file", "不是 PDF 文件")
    memo_no, claimed = _claimed_identity(pdf)
    if memo_no is None:
        return Verification(False, "unknown", None, "no Loan Desk memo number found in this file",
                            "文件中没有找到信贷工作台的报告编号")  # fmt: skip
    row = repo.memo(store, memo_no)
    if row is None:
        return Verification(False, "unknown", memo_no, f"memo {memo_no} was never issued from this data home",
                            f"本数据目录从未签发报告 {memo_no}")  # fmt: skip
    digest = hashlib.sha256(pdf).hexdigest()
    if digest != row["file_sha256"] or (claimed is not None and claimed != row["content_sha256"]):
        return Verification(False, "altered", memo_no,
                            f"the file does not match memo {memo_no} as issued: it has been altered",
                            f"文件与已签发的报告 {memo_no} 不一致：已被改动", row)  # fmt: skip
    if row["status"] == "superseded":
        newer = repo.superseded_by(store, row["id"])
        newer_no = newer["memo_no"] if newer else "?"
        return Verification(False, "superseded", memo_no,
                            f"memo {memo_no} is authentic but superseded by {newer_no}",
                            f"报告 {memo_no} 真实，但已被 {newer_no} 替代", row)  # fmt: skip
    state_en = "approved" if row["status"] == "approved" else "issued, awaiting approval"
    state_zh = "已审批" if row["status"] == "approved" else "已签发，待审批"
    return Verification(True, "valid", memo_no,
                        f"memo {memo_no} (version {row['version']}) matches the stored memo: {state_en}",
                        f"报告 {memo_no}（第 {row['version']} 版）与存档一致：{state_zh}", row)  # fmt: skip


def verify_file(store: Store, path: str | Path) -> Verification:
    return verify_pdf(store, Path(path).read_bytes())


def stored_content(store: Store, memo_no: str) -> dict | None:
    row = repo.memo(store, memo_no, with_pdf=True)
    return json.loads(row["content"]) if row else None
