"""Shared helpers for the memo tests: a real encrypted store with demo data and stored decisions."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from loandesk.core import ids
from loandesk.demo import populate
from loandesk.storage import Store
from loandesk.storage.store import now

FACTORS = [
    {"variable": "tax_grade", "label": {"zh": "纳税信用等级", "en": "Tax credit grade"}, "value": "A", "points": 42},
    {"variable": "years_operating", "label": {"zh": "经营年限", "en": "Years operating"}, "value": 3.2, "points": 27},
    {"variable": "tax_paid_12m", "label": {"zh": "近12个月纳税额", "en": "Tax paid, 12 months"},
     "value": 186000, "points": 35},
]


def make_store(tmp_path: Path, count: int = 3) -> tuple[Store, list[str]]:
    store = Store.open(tmp_path / "home", branch="HZ01")
    return store, populate(store, count, seed=7)


def add_decision(store: Store, application_id: str, decision: str = "approve", *, factors=None,
                 knockouts=None, limit: int = 280_000, rate: float = 3.85, score: float = 655.0) -> str:
    """Store a decision row as the scoring package does (table ``decisions``)."""
    result = {
        "factors": FACTORS if factors is None else factors,
        "knockouts": knockouts or [],
        "reasons": [{"zh": "经营年限不足五年", "en": "Under five years in business"}],
        "what_would_change": [{"zh": "纳税额增加一成可提高额度", "en": "Ten percent more tax paid raises the limit"}],
    }
    decision_id = ids.new_id()
    row = {"id": decision_id, "application_id": application_id, "pack_id": "first-loan-default",
           "pack_version": "2026.11", "pack_hash": "9f" * 32, "inputs": "{}", "as_of": now()[:10],
           "result": json.dumps(result, ensure_ascii=False), "score": score, "grade": "B",
           "decision": decision, "limit_amount": limit, "rate": rate, "is_current": 1, "created_at": now()}
    columns = store.db["decisions"].columns_dict  # the scoring package owns the table: fill what it has
    with store.db.atomic():
        store.db.execute("UPDATE decisions SET is_current = 0 WHERE application_id = ?", (application_id,))
        store.db["decisions"].insert({k: v for k, v in row.items() if k in columns}, pk="id")
    return decision_id


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def words_by_page(path: Path, tmp: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Word boxes per page from ``pdftotext -bbox``."""
    out = tmp / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", str(path), str(out)], check=True)
    pages = []
    for page in out.read_text(encoding="utf-8").split("<page")[1:]:
        pages.append([
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)
        ])
    return pages


def confirm_override(store: Store, application_id: str, to_decision: str, to_limit: int | None = None,
                     reason: str = "企业新签大额订单，经营性现金流可覆盖", officer: str = "李明",
                     approver: str = "陈静", note: str = "") -> dict:
    """Ask for an override of the current decision and have an approver confirm it (maker-checker)."""
    from loandesk.storage import decisions

    current = decisions.current_decision(store, application_id)
    asked = decisions.request_override(store, current, to_decision, reason, officer, to_limit)
    return decisions.decide_override(store, asked["id"], approver, True, note)


def write_pdf(store: Store, memo_no: str, path: Path) -> Path:
    from loandesk.memo import service

    path.write_bytes(service.memo_pdf(store, memo_no))
    return path


def approve(store: Store, application_id: str, approver: str = "王审批", lang: str = "zh", *,
            limit: int | None = None, conditions: list[str] | None = None) -> dict:
    """The approver approves the current decision (its limit, within the amount asked) and the approved memo
    is issued: ``loandesk.approvals.service.decide``. Returns the memo row."""
    from loandesk.approvals.service import decide
    from loandesk.storage import decisions

    if limit is None:
        current = decisions.current_decision(store, application_id)
        limit = min(current["limit_amount"], store.application(application_id).requested_amount)
    return decide(store, application_id, "approve", approver, limit=limit, conditions=conditions, lang=lang)[1]
