"""Verifying a memo file, a scanned printout or a printed code against the memos issued here.

A QR code is not secret: anyone can copy a genuine memo's code onto a forged page. So only a file
whose bytes are exactly those of an issued memo rendition is *verified* (exit 0). A scan, an edited
or re-saved file, or a typed code proves only that such a memo exists: the answer says so, gives
the stored memo's key facts (borrower, amount, decision, limit, approver, date) to compare with the
paper, and exits 3. A code or file that matches nothing exits 1; a malformed code or a file that
is not a PDF exits 2. A memo that was superseded is genuine but no longer in force: exit 1, with
what replaced it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from loandesk.core.decisions import DECISION_WORDS
from loandesk.core.i18n import pick
from loandesk.storage import Store
from loandesk.storage import memos as repo

from . import qr

MEMO_NO = re.compile(r"M-[A-Z0-9]{2,8}-[A-Z0-9]{4}-\d{6}")
EXIT_CODES = {"verified": 0, "exists": 3, "unreadable": 2}  # anything else: 1, the answer is "no"
NOT_IN_FORCE = ("superseded", "cancelled", "withdrawn")  # genuine, but no longer what the bank stands by


@dataclass(frozen=True)
class Verification:
    status: str  # verified / exists / superseded / cancelled / withdrawn / unknown / unreadable
    memo_no: str | None
    message_en: str
    message_zh: str
    memo: dict | None = None
    how: str = "file"  # file (its exact bytes) / copy (a file that is not the issued one) / code / scan
    facts: dict = field(default_factory=dict)  # the stored memo's key facts, {"en": [...], "zh": [...]}

    @property
    def ok(self) -> bool:
        """Verified: these are the issued bytes of a memo in force."""
        return self.status == "verified"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 1)

    def message(self, lang: str | None = None) -> str:
        return pick(self.message_en, self.message_zh, lang)

    def fact_lines(self, lang: str | None = None) -> list[str]:
        return list(pick(self.facts.get("en", []), self.facts.get("zh", []), lang)) if self.facts else []


_DECISION_WORDS = DECISION_WORDS  # code -> (English, Chinese): one word per decision everywhere
_STATUS = {"approved": ("approved", "已审批"), "issued": ("issued, awaiting approval", "已签发，待审批"),
           "superseded": ("superseded", "已被替代"), "cancelled": ("cancelled", "已作废"),
           "withdrawn": ("withdrawn", "已撤回"),
           "declined": ("declined by the approver", "审批人已否决")}  # fmt: skip


def _money(amount, lang: str) -> str:
    return f"¥{amount:,.2f}" if lang == "zh" else f"CNY {amount:,.2f}"


def key_facts(row: dict) -> dict:
    """The facts a reader compares with a printout, as the memo prints them, in both languages."""
    content = row["content"] if isinstance(row.get("content"), dict) else json.loads(row.get("content") or "{}")
    dec = content.get("decision") or {}
    eff = dec.get("effective") or {}
    in_effect, limit = eff.get("decision", dec.get("decision")), eff.get("limit", dec.get("limit"))
    approval = content.get("approval") or {}
    approver = approval.get("approved_by") or row.get("approved_by")
    if approval.get("decision"):  # the approver's own decision (and limit), when the approval records one
        in_effect, limit = approval["decision"], approval.get("limit", limit)
    requested = (content.get("application") or {}).get("requested_amount")
    borrower = (content.get("borrower") or {}).get("enterprise_name") or "?"
    out = {}
    for lang in ("en", "zh"):
        word = _DECISION_WORDS.get(in_effect, (in_effect or "?", in_effect or "?"))[lang == "zh"]
        none = pick("none", "无", lang)
        amount = _money(requested, lang) if isinstance(requested, int | float) else none
        lim = _money(limit, lang) if isinstance(limit, int | float) and limit and in_effect != "decline" else none
        comma = "，" if lang == "zh" else ", "
        signed = (comma.join(x for x in (approver, approval.get("approved_on")) if x) if approver
                  else pick("not approved yet", "尚未审批", lang))  # fmt: skip
        labels = (("Borrower", "借款人"), ("Amount requested", "申请金额"), ("Decision", "结论"),
                  ("Limit", "额度"), ("Approver", "审批人"), ("Memo date", "报告日期"))  # fmt: skip
        values = (borrower, amount, word, lim, signed, content.get("issued_on", "?"))
        sep = "：" if lang == "zh" else ": "
        out[lang] = [f"{label[lang == 'zh']}{sep}{value}" for label, value in zip(labels, values, strict=True)]
    return out


def _head(row: dict) -> tuple[str, str]:
    lang_en, lang_zh = {"zh": ("Chinese", "中文"), "en": ("English", "英文")}.get(row["lang"], (row["lang"],) * 2)
    return (f"memo {row['memo_no']} (version {row['version']}, {lang_en})",
            f"报告 {row['memo_no']}（第 {row['version']} 版，{lang_zh}版）")  # fmt: skip


def _standing(store: Store, row: dict, how: str) -> Verification:
    """The answer for a stored memo rendition that a file, scan or code matches."""
    head_en, head_zh = _head(row)
    facts = key_facts(row)
    if row["status"] in NOT_IN_FORCE[1:]:
        state_en, state_zh = _STATUS[row["status"]]
        return Verification(row["status"], row["memo_no"],
                            f"{head_en} was issued here but has been {state_en}: it is not in force",
                            f"{head_zh}确由本机签发，但{state_zh}，不再有效", row, how, facts)  # fmt: skip
    if row["status"] == "superseded":
        newer = repo.superseded_by(store, row["id"])
        by_en = f"{newer['memo_no']} version {newer['version']}" if newer else "a later version"
        by_zh = f"{newer['memo_no']} 第 {newer['version']} 版" if newer else "后续版本"
        return Verification("superseded", row["memo_no"],
                            f"{head_en} was issued here but is superseded by {by_en}: it is no longer in force",
                            f"{head_zh}确由本机签发，但已被 {by_zh} 替代，不再有效", row, how, facts)  # fmt: skip
    state_en, state_zh = _STATUS.get(row["status"], (row["status"], row["status"]))
    if how == "file":
        return Verification("verified", row["memo_no"],
                            f"this file is {head_en} exactly as issued (byte for byte); {state_en}",
                            f"本文件与已签发的{head_zh}逐字节一致；{state_zh}", row, how, facts)  # fmt: skip
    what_en, what_zh = {
        "code": ("This code", "该核验码"),
        "scan": ("The QR code on this scan", "扫描件上的二维码"),
        "copy": ("This file is not the issued file (its bytes differ: edited, re-saved, scanned or forged); the code "
                 "it carries", "本文件不是签发的原件（字节不同：被编辑、另存、扫描或伪造），其携带的核验码"),
    }[how]  # fmt: skip
    return Verification(
        "exists", row["memo_no"],
        f"{what_en} names {head_en}, which exists ({state_en}). A code is not secret and proves "
        "only that such a memo exists, not that this paper is it: compare the paper with the stored memo.",
        f"{what_zh}对应{head_zh}，该报告确实存在（{state_zh}）。核验码不保密，只能证明存在这样一份报告，"
        "不能证明手中的纸面就是它：请将纸面与存档报告逐项核对。",
        row, how, facts,
    )  # fmt: skip


def _by_code(store: Store, memo_no: str, digest: str, how: str) -> Verification:
    row = repo.by_code(store, memo_no, digest)
    if row is not None:
        return _standing(store, row, how)
    if repo.number_exists(store, memo_no):
        return Verification("unknown", memo_no,
                            f"no memo issued here has this code: memo {memo_no} exists, but none of its versions "
                            "has this content hash (the code was altered or copied wrongly)",
                            f"本机签发的报告中没有该核验码：报告 {memo_no} 存在，但其各版本的内容摘要均与之不符"
                            "（核验码被改动或抄录有误）", how=how)  # fmt: skip
    return Verification("unknown", memo_no, f"no memo issued here has this code: memo {memo_no} was never issued here",
                        f"本机签发的报告中没有该核验码：本数据目录从未签发报告 {memo_no}", how=how)  # fmt: skip


def verify_code(store: Store, code: str) -> Verification:
    """Check a code typed or scanned off a printed memo: exactly the printed code, nothing around it
    (only the ends are trimmed; letter case is free, for barcode readers under Caps Lock)."""
    found = qr.parse_code(code or "")
    if found is None:
        return Verification("unreadable", None,
                            "not a Loan Desk memo code: give exactly the code printed under the memo's QR code, "
                            "LOANDESK-MEMO:M-…;SHA256:… (64 hex digits), with nothing before or after it",
                            "不是信贷工作台的报告核验码：请只输入报告二维码下方印出的核验码"
                            "LOANDESK-MEMO:M-…;SHA256:…（64 位十六进制），前后不要带其他文字", how="code")  # fmt: skip
    return _by_code(store, *found, how="code")


def _claimed_code(pdf: bytes) -> tuple[tuple[str, str] | None, str | None, bool]:
    """(code found, memo number named, has text?) in a PDF: its metadata (the QR payload), else its text."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        meta = reader.metadata or {}
        found = qr.parse_payload(str(meta.get("/Subject", "")))
        if found:
            return found, found[0], True
        text = "".join((page.extract_text() or "") for page in reader.pages[:2])
    except Exception:  # a damaged file: look at its raw bytes
        text = pdf[:200_000].decode("latin-1", errors="ignore")
    text = re.sub(r"\s+", "", text)
    found = qr.parse_payload(text)  # the code is printed under the QR code too
    if found:
        return found, found[0], True
    match = MEMO_NO.search(text)
    return None, (match.group(0) if match else None), bool(text)


def zbar_available() -> bool:
    """Can scanned (image-only) memos have their QR code read? Needs ``zbarimg`` (Debian: zbar-tools)."""
    return bool(shutil.which("zbarimg") and shutil.which("pdftoppm"))


def scan_qr(pdf: bytes, max_pages: int = 4) -> str | None:
    """The Loan Desk code from a QR code on a PDF's pages (rendered by pdftoppm, read by zbarimg);
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
    """Is this file a memo issued here, unaltered? See the module's docstring for the answers."""
    if not pdf.startswith(b"%PDF"):
        return Verification("unreadable", None, "not a PDF file", "不是 PDF 文件")
    row = repo.by_file_sha256(store, hashlib.sha256(pdf).hexdigest())
    if row is not None:
        return _standing(store, row, "file")
    found, memo_no, has_text = _claimed_code(pdf)
    if found:
        return _by_code(store, *found, how="copy")
    code = scan_qr(pdf)  # a scan, or a page with a QR code pasted on it
    if code:
        return _by_code(store, *qr.parse_payload(code), how="scan" if not has_text else "copy")
    if memo_no:
        return Verification("unknown", memo_no,
                            f"not a memo file issued here: it names memo {memo_no} but carries no readable "
                            "verification code; verify the code printed on the paper with verify-memo --code",
                            f"不是本机签发的报告文件：文件中写有报告编号 {memo_no}，但没有可读的核验码；"
                            "请用 verify-memo --code 核验纸面上的核验码")  # fmt: skip
    if not has_text and not zbar_available():
        return Verification("unknown", None,
                            "not a memo file issued here, and no memo code found in it; if it is a scan, type the "
                            "code printed under its QR code into verify-memo --code (reading QR codes off scans "
                            "needs zbarimg, from the zbar-tools package)",
                            "不是本机签发的报告文件，文件中也没有找到核验码；如为扫描件，"
                            "请用 verify-memo --code 输入二维码下方的核验码"
                            "（识别扫描件上的二维码需安装 zbar-tools 中的 zbarimg）")  # fmt: skip
    return Verification("unknown", None,
                        "not a Loan Desk memo: no memo issued here has these bytes, and no memo code was found in it",
                        "不是信贷工作台的报告：本机签发的报告中没有与之一致的文件，文件中也没有核验码")  # fmt: skip


def verify_file(store: Store, path: str | Path) -> Verification:
    return verify_pdf(store, Path(path).read_bytes())
