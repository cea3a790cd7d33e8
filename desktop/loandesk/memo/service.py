"""Issuing, re-issuing, approving and verifying memos against the store.

A memo is built from the stored application, its current stored decision and that decision's
confirmed override, if any (an application never scored is scored first with the pack in force,
when the scoring package is there). Once issued it never changes: the PDF bytes, the SHA-256 of
those bytes and the SHA-256 of the canonical content are stored together in the encrypted store.

There is one memo per (decision in effect, language): the Chinese and English memos of one
version are siblings that say the same, and asking for the other language never supersedes
anything. Re-issuing or approving makes a new version, which supersedes the memos in force in
both languages; a new decision (or a newly confirmed override) gets a new version too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import io
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from loandesk.core import clock, ids
from loandesk.core.decisions import DECISION_WORDS
from loandesk.core.i18n import pick
from loandesk.storage import Store, approvals
from loandesk.storage import memos as repo
from loandesk.storage.decisions import confirmed_override
from loandesk.storage.store import now

from . import qr
from .content import build_content, canonical_json, content_sha256, facts_sha256
from .template import MemoTemplate, load_template

MEMO_NO = re.compile(r"M-[A-Z0-9]{2,8}-[A-Z0-9]{4}-\d{6}")
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
        scoring.score_application(store, application_id)
        decision = repo.current_decision(store, application_id)
    return decision


def _application(store: Store, key: str) -> dict:
    record = store.application_record(key)
    if record is None:
        raise MemoError(pick(f"no application {key!r} in this data home", f"本数据目录中没有申请 {key!r}"))
    return record


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
) -> dict:
    """Issue a new version of the application's memo in ``lang``, for an application id or reference.

    The new version supersedes every memo of the application still in force, in both languages (they
    are for an older decision, or are replaced on purpose). When an approver has decided on the
    decision in effect (``storage.approvals``; see ``loandesk.approvals``), the memo is issued as
    approved: no DRAFT watermark, the approver's name, date and decision in the approval block, the
    approver's decision in effect throughout. A memo already approved for that decision is superseded
    only on purpose (``reissue=True``); otherwise this refuses. Returns the stored memo row (without
    the PDF; see ``memo_pdf``).
    """
    _check_lang(lang)
    record = _application(store, application)
    template = template or load_template(store.home)
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
        memo_no = store.next_ref("memo")
        approval = approval_block(decided)
        approver = decided["approver"] if decided else None
        content = build_content(
            record, decision, template, memo_no=memo_no, version=previous["version"] + 1 if previous else 1,
            lang=lang, issued_on=today, supersedes=", ".join(m["memo_no"] for m in replaced) or None,
            officer=officer, conclusion=conclusion, conditions=conditions, approval=approval, override=override,
        )  # fmt: skip
        _store_memo(store, record, decision, content, template, supersedes=replaced, approved_by=approver,
                    approved_at=decided["decided_at"] if decided else None)  # fmt: skip
        # The application's status follows the approver's decision once there is one (approved / declined).
        repo.set_stage(store, record["id"], approvals.STAGE_FOR[decided["outcome"]] if decided else ISSUED_STAGE)
    return repo.memo(store, memo_no)


def _language_copy(store: Store, record: dict, decision: dict | None, override: dict | None, live: list[dict],
                   lang: str, template: MemoTemplate) -> dict | None:  # fmt: skip
    """The same memo in ``lang``, next to the one(s) in force in the other language; None when the
    application changed since, so that a copy would not say the same (a new version is due then).

    One memo per (decision, language): the languages are siblings, not a chain. The copy takes the
    original's memo date, version, officer, conclusion and conditions; it supersedes nothing and
    leaves the application's stage alone.
    """
    sibling = next((m for m in live if m["status"] == "approved"), live[0])
    basis = sibling["content"].get("basis")  # None on memos issued before language copies existed
    same_facts = False
    if basis is not None:
        given = {k: v for k, v in basis.items() if k != "facts_sha256"}
        signed = sibling["content"].get("approval")
        same_facts = facts_sha256(record, decision, override, template, given, signed) == basis["facts_sha256"]
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
        # The approval carries over because the copy says exactly what the approver signed: the
        # facts fingerprint above proves the same application data, decision and confirmed
        # override, the same officer's words and memo date and the same template substance; only
        # the language of the labels differs. The copy names the memo the approver signed.
        signed = sibling["content"]["approval"]
        approval = {**signed, "memo_no": signed.get("memo_no") or sibling["memo_no"]}
    memo_no = store.next_ref("memo")
    content = build_content(
        record, decision, template, memo_no=memo_no, version=sibling["version"], lang=lang,
        issued_on=dt.date.fromisoformat(basis["issued_on"]), officer=basis["officer"],
        conclusion=basis["conclusion"], conditions=basis["conditions"], approval=approval, override=override,
        copy_of=sibling["memo_no"],
    )  # fmt: skip
    row = _store_memo(store, record, decision, content, template, supersedes=[],
                      approved_by=sibling["approved_by"] if approval else None,
                      approved_at=sibling["approved_at"] if approval else None)  # fmt: skip
    return repo.memo(store, row["memo_no"])


def memo_for_output(store: Store, application: str, lang: str = "zh", **kwargs) -> tuple[dict, bool]:
    """The memo to hand out for an application in ``lang``. Returns (memo row, newly issued?).

    - the memo in force for the decision in effect in this language, when there is one;
    - else the same memo in this language, next to the one in force in the other language (an
      approved memo's copy is approved too; see ``_language_copy``); nothing is superseded;
    - else a new version (``issue_memo``): the decision in effect has no memo yet.
    Options for ``issue_memo`` (officer, conclusion, conditions, reissue) ask for a new version.
    """
    _check_lang(lang)
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
            return repo.memo(store, mine["memo_no"]), False
        if live:
            template = kwargs.get("template") or load_template(store.home)
            copy = _language_copy(store, record, decision, override, live, lang, template)
            if copy is not None:
                return copy, True
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
    how: str = "file"  # file (the exact bytes) / code (the QR code's text) / scan (a QR code read off a scan)

    def message(self, lang: str | None = None) -> str:
        return pick(self.message_en, self.message_zh, lang)


_DECISION_WORDS = {code: (en.lower(), zh) for code, (en, zh) in DECISION_WORDS.items()}


def _what_it_says(row: dict) -> tuple[str, str]:
    """The few facts a reader compares with a printout: borrower, application, date, decision, limit."""
    content = json.loads(row["content"]) if isinstance(row.get("content"), str) else {}
    dec = content.get("decision") or {}
    in_effect = (dec.get("effective") or {}).get("decision", dec.get("decision"))
    limit = (dec.get("effective") or {}).get("limit", dec.get("limit"))
    word_en, word_zh = _DECISION_WORDS.get(in_effect, (in_effect or "?", in_effect or "?"))
    name = (content.get("borrower") or {}).get("enterprise_name") or "?"
    ref, date = (content.get("application") or {}).get("ref", "?"), content.get("issued_on", "?")
    amount = f"{limit:,.0f}" if isinstance(limit, int | float) else "—"
    return (f"{name}, application {ref}, dated {date}, decision {word_en}, limit {amount} yuan",
            f"{name}，申请 {ref}，日期 {date}，结论{word_zh}，额度 {amount} 元")  # fmt: skip


def _standing(store: Store, row: dict, how: str) -> Verification:
    """The answer for a memo the file or code matches: valid, or superseded by a later version."""
    memo_no = row["memo_no"]
    if row["status"] == "superseded":
        newer = repo.superseded_by(store, row["id"])
        newer_no = newer["memo_no"] if newer else "?"
        return Verification(False, "superseded", memo_no,
                            f"memo {memo_no} is authentic but superseded by {newer_no}",
                            f"报告 {memo_no} 真实，但已被 {newer_no} 替代", row, how)  # fmt: skip
    state_en = "approved" if row["status"] == "approved" else "issued, awaiting approval"
    state_zh = "已审批" if row["status"] == "approved" else "已签发，待审批"
    head_en, head_zh = f"memo {memo_no} (version {row['version']})", f"报告 {memo_no}（第 {row['version']} 版）"
    if how == "file":
        return Verification(True, "valid", memo_no, f"{head_en} matches the stored memo byte for byte: {state_en}",
                            f"{head_zh}与存档逐字节一致：{state_zh}", row, how)  # fmt: skip
    says_en, says_zh = _what_it_says(row)
    where_en, where_zh = ("code", "核验码") if how == "code" else ("QR code on this scanned copy", "扫描件上的二维码")
    return Verification(
        True, "valid", memo_no,
        f"the {where_en} matches {head_en} as issued: {state_en}. The code proves which memo this is, not "
        f"what the paper shows: check that it reads {says_en}.",
        f"{where_zh}与已签发的{head_zh}一致：{state_zh}。核验码只证明是哪一份报告，不能证明纸面内容，"
        f"请核对纸面：{says_zh}。", row, how,
    )  # fmt: skip


def verify_code(store: Store, code: str, *, how: str = "code") -> Verification:
    """Check a memo's verification code (the QR code's text: ``LOANDESK-MEMO:M-...;SHA256:...``,
    as a phone scanner shows it or a USB barcode reader types it) against the stored memos."""
    found = qr.parse_payload(code or "")
    if found is None:
        return Verification(False, "unreadable", None,
                            "not a Loan Desk memo code: expected LOANDESK-MEMO:M-…;SHA256:… (64 hex digits)",
                            "不是信贷工作台的报告核验码：应为 LOANDESK-MEMO:M-…;SHA256:…（64 位十六进制）",
                            how=how)  # fmt: skip
    memo_no, digest = found
    row = repo.memo(store, memo_no, with_pdf=True)
    if row is None:
        return Verification(False, "unknown", memo_no, f"memo {memo_no} was never issued from this data home",
                            f"本数据目录从未签发报告 {memo_no}", how=how)  # fmt: skip
    if digest != row["content_sha256"]:
        return Verification(False, "altered", memo_no,
                            f"the code names memo {memo_no} but not its content as issued: the code was altered, "
                            "or copied wrongly",
                            f"核验码中的报告编号为 {memo_no}，但内容摘要与已签发的报告不符：核验码被改动或抄录有误",
                            row, how)  # fmt: skip
    return _standing(store, row, how)


def _pdf_text(pdf: bytes) -> str | None:
    """The PDF's text without white space, or None when it cannot be read."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        return re.sub(r"\s+", "", "".join((page.extract_text() or "") for page in reader.pages))
    except Exception:
        return None


def _claimed_identity(pdf: bytes) -> tuple[str | None, str | None, bool]:
    """(memo number, content hash, has text?) the file claims: from its metadata (the QR payload), else its text."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        meta = reader.metadata or {}
        found = qr.parse_payload(str(meta.get("/Subject", "")))
        if found:
            return (*found, True)
        text = "".join((page.extract_text() or "") for page in reader.pages[:2])
    except Exception:
        text = pdf[:200_000].decode("latin-1", errors="ignore")
    text = re.sub(r"\s+", "", text)
    found = qr.parse_payload(text)  # the code is printed under the QR code too
    if found:
        return (*found, True)
    match = MEMO_NO.search(text)
    return (match.group(0) if match else None), None, bool(text)


def zbar_available() -> bool:
    """Can scanned (image-only) memos have their QR code read? Needs ``zbarimg`` (Debian: zbar-tools)."""
    return bool(shutil.which("zbarimg") and shutil.which("pdftoppm"))


def scan_qr(pdf: bytes, max_pages: int = 4) -> str | None:
    """The Loan Desk code from a QR code on a scanned PDF's pages (rendered by pdftoppm, read by zbarimg);
    None when there is none or the tools are not installed."""
    if not zbar_available():
        return None
    with tempfile.TemporaryDirectory(prefix="loandesk-scan-") as tmp:
        source = Path(tmp) / "scan.pdf"
        source.write_bytes(pdf)
        for page in range(1, max_pages + 1):
            out = Path(tmp) / f"p{page}"
            made = subprocess.run([shutil.which("pdftoppm"), "-r", "200", "-gray", "-png", "-singlefile", "-f",
                                   str(page), "-l", str(page), str(source), str(out)],
                                  capture_output=True, check=False)  # fmt: skip
            png = out.with_suffix(".png")
            if made.returncode != 0 or not png.is_file():
                break  # past the last page
            read = subprocess.run([shutil.which("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                                   str(png)], capture_output=True, text=True, check=False)  # fmt: skip
            found = qr.parse_payload(read.stdout)
            if found:
                return qr.payload(*found)
    return None


def verify_pdf(store: Store, pdf: bytes) -> Verification:
    """Does this file match a memo issued from this data home?

    A memo file verifies when its bytes are exactly those issued (and the memo is still in force).
    A file whose bytes differ never verifies; the answer says whether its text still reads as the
    issued memo (re-saved) or not (altered). A scanned copy (a PDF of page images, no text) is
    checked by the QR code on it when zbarimg is installed, as ``verify_code`` would.
    """
    if not pdf.startswith(b"%PDF"):
        return Verification(False, "unreadable", None, "not a PDF file", "不是 PDF 文件")
    memo_no, claimed, has_text = _claimed_identity(pdf)
    if memo_no is None:
        if not has_text:
            code = scan_qr(pdf)
            if code:
                return verify_code(store, code, how="scan")
            if not zbar_available():
                return Verification(False, "unknown", None,
                                    "no Loan Desk memo number found in this file; if it is a scan, type the code "
                                    "printed under its QR code into verify-memo --code (reading QR codes off scans "
                                    "needs zbarimg, from the zbar-tools package)",
                                    "文件中没有找到信贷工作台的报告编号；如为扫描件，"
                                    "请用 verify-memo --code 输入二维码下方的核验码"
                                    "（识别扫描件上的二维码需安装 zbar-tools 中的 zbarimg）")  # fmt: skip
        return Verification(False, "unknown", None,
                            "not a Loan Desk memo: no Loan Desk memo number or verification code found in this file",
                            "不是信贷工作台的报告：文件中没有找到报告编号或核验码")  # fmt: skip
    row = repo.memo(store, memo_no, with_pdf=True)
    if row is None:
        return Verification(False, "unknown", memo_no, f"memo {memo_no} was never issued from this data home",
                            f"本数据目录从未签发报告 {memo_no}")  # fmt: skip
    if hashlib.sha256(pdf).hexdigest() == row["file_sha256"]:
        return _standing(store, row, "file")
    same_text = claimed in (None, row["content_sha256"]) and _pdf_text(pdf) == _pdf_text(bytes(row["pdf"]))
    if same_text:
        return Verification(
            False, "altered", memo_no,
            f"the file bytes differ from the issued memo {memo_no}: the file was altered or re-saved. Its text "
            "still reads as the issued memo, but a changed file can carry changes text does not show, so it does "
            "not verify: use the stored copy, or verify the printed code (verify-memo --code)",
            f"文件字节与已签发的报告 {memo_no} 不一致：文件被改动或另存过。其文字与已签发报告相同，"
            "但改动过的文件可能含有文字以外的改动，故不予通过：请使用存档件，"
            "或核验纸面上的核验码（verify-memo --code）", row)  # fmt: skip
    return Verification(False, "altered", memo_no,
                        f"the file bytes differ from the issued memo {memo_no} and so does its text: it has been "
                        "altered (if this is a scan, verify the code printed on it with verify-memo --code)",
                        f"文件与已签发的报告 {memo_no} 不一致（字节和文字均不同）：已被改动（如为扫描件，请用 "
                        "verify-memo --code 核验纸面上的核验码）", row)  # fmt: skip


def verify_file(store: Store, path: str | Path) -> Verification:
    return verify_pdf(store, Path(path).read_bytes())


def stored_content(store: Store, memo_no: str) -> dict | None:
    row = repo.memo(store, memo_no, with_pdf=True)
    return json.loads(row["content"]) if row else None
