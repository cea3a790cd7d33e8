"""The canonical memo content: one plain dict built from the stored application and decision.

Everything printed comes from this dict, and its SHA-256 (over canonical JSON) is what the
QR code carries and the store keeps, so a memo's content can be checked independently of
the PDF bytes. Personal numbers are masked here, before anything is printed or hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from loandesk.core.codes import entity_type_of, mask_id, mask_name, mask_phone
from loandesk.core.industries import industry_name
from loandesk.core.products import products

from .template import MemoTemplate

FORMAT = "loandesk-memo/1"


def canonical_json(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_sha256(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def say(item, lang: str) -> str:
    """Text from a scoring result entry in whichever self-describing shape it was stored.

    Accepts a plain string, ``{"zh": .., "en": ..}``, ``{"message": {...}}`` / ``{"label": ...}`` /
    ``{"text": ...}``, or ``{"message_zh": .., "message_en": ..}``.
    """
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        if isinstance(item.get(lang), str):
            return item[lang]
        for key in ("message", "label", "text", "reason", "name"):
            if f"{key}_{lang}" in item:
                return str(item[f"{key}_{lang}"])
            if key in item:
                return say(item[key], lang)
        for key in ("code", "variable"):
            if key in item:
                return str(item[key])
    return str(item)


def _factor(item: dict, lang: str) -> dict:
    label = say({k: v for k, v in item.items() if k not in ("value", "points")}, lang) or item.get("variable", "")
    value = item.get("value")
    if isinstance(value, dict):
        value = say(value, lang)
    return {"label": label, "value": value, "points": item.get("points")}


def _years_between(start: str | None, end: dt.date) -> float | None:
    if not start:
        return None
    try:
        begun = dt.date.fromisoformat(start)
    except ValueError:
        return None
    return round((end - begun).days / 365.25, 1)


def _pct(a: float, b: float) -> str:
    return f"{abs(a - b) / b * 100:.0f}%"


def decision_section(decision: dict | None, lang: str) -> dict | None:
    if decision is None:
        return None
    result = decision.get("result") or {}
    return {
        "id": decision.get("id"),
        "pack_id": decision.get("pack_id"),
        "pack_version": decision.get("pack_version"),
        "pack_hash": decision.get("pack_hash"),
        "score": decision.get("score"),
        "grade": decision.get("grade"),
        "decision": decision.get("decision"),
        "limit": decision.get("limit_amount"),
        "rate": decision.get("rate"),
        "scored_at": decision.get("created_at"),
        "factors": [_factor(f, lang) for f in result.get("factors", []) if isinstance(f, dict)],
        "knockouts": [say(k, lang) for k in result.get("knockouts", [])],
        "reasons": [say(r, lang) for r in result.get("reasons", [])],
        "what_would_change": [say(w, lang) for w in result.get("what_would_change", [])],
    }


def _risks_and_mitigants(fin: dict, years: float | None, dec: dict | None, t: MemoTemplate, lang: str):
    risks = list(dec["knockouts"]) if dec else []
    if not risks:
        risks.append(t.text("risk_none", lang))
    mitigants = []
    if years is not None and years < 2:
        risks.append(t.text("risk_young", lang, years=t.text("years", lang, n=years)))
    if fin["has_loan_history"] is False:
        risks.append(t.text("risk_first_loan", lang))
    if fin["abnormal_operation"]:
        risks.append(t.text("risk_abnormal", lang))
    if fin["dishonest_debtor"]:
        risks.append(t.text("risk_dishonest", lang))
    last, prev = fin["tax_paid_12m"], fin["tax_paid_prev_12m"]
    if last is not None and prev:
        if last < prev * 0.9:
            risks.append(t.text("risk_tax_drop", lang, pct=_pct(last, prev)))
        elif last > prev * 1.1:
            mitigants.append(t.text("mit_tax_growth", lang, pct=_pct(last, prev)))
    if fin["tax_grade"] in ("A", "B", "M"):
        mitigants.append(t.text("mit_tax_grade", lang, grade=fin["tax_grade"]))
    if fin["social_insurance_headcount"]:
        mitigants.append(t.text("mit_social", lang, n=fin["social_insurance_headcount"]))
    if not fin["abnormal_operation"] and not fin["dishonest_debtor"]:
        mitigants.append(t.text("mit_clean", lang))
    if dec and dec["decision"] == "approve":
        mitigants.append(t.text("mit_limit", lang))
    return risks, mitigants


def money_text(amount: int | float | None, t: MemoTemplate, lang: str) -> str:
    """``300,000 元（30.00 万元）`` / ``300,000 yuan (30.00 10k yuan)``."""
    if amount is None:
        return t.text("unknown", lang)
    unit = "元" if lang == "zh" else " yuan"
    wan = f"{amount / 10_000:,.2f} {t.text('ten_thousand', lang)}"
    return f"{amount:,.0f}{unit}（{wan}）" if lang == "zh" else f"{amount:,.0f}{unit} ({wan})"


def rate_text(rate: float | None, t: MemoTemplate, lang: str) -> str:
    if rate is None:
        return t.text("unknown", lang)
    percent = rate * 100 if rate < 1 else rate  # stored as annual % (3.85); a fraction (0.0385) also reads right
    return f"{percent:.2f}%"


def _recommendation(dec: dict | None, app: dict, t: MemoTemplate, lang: str) -> str:
    if dec is None:
        return t.text("unknown", lang)
    fields = {
        "limit": money_text(dec["limit"], t, lang),
        "term": t.text("months", lang, n=app["term_months"]),
        "rate": rate_text(dec["rate"], t, lang),
        "mode": t.enum("guarantee_mode", app["guarantee_mode"], lang),
    }
    key = {"approve": "rec_approve", "refer": "rec_refer"}.get(dec["decision"], "rec_decline")
    return t.text(key, lang, **fields)


def build_content(
    record: dict,
    decision: dict | None,
    template: MemoTemplate,
    *,
    memo_no: str,
    version: int,
    lang: str,
    issued_on: dt.date,
    supersedes: str | None = None,
    officer: str | None = None,
    conclusion: str | None = None,
    conditions: list[str] | None = None,
    approval: dict | None = None,
) -> dict:
    """The memo as data. ``record``: ``Store.application_record`` (full personal data, masked here).

    ``approval``: ``{"approved_by": name, "approved_on": ISO date}`` for an approved memo, else None.
    """
    t = template
    years = _years_between(record.get("registered_on"), issued_on)
    tax_12, tax_24 = record.get("tax_paid_12m"), record.get("tax_paid_24m")
    prev = tax_24 - tax_12 if tax_12 is not None and tax_24 is not None else None
    invoice = record.get("invoice_sales_12m")
    product = products().get(record.get("product") or "")
    name = record.get("legal_rep_name") or ""
    fin = {
        "annual_revenue": record.get("annual_revenue"),
        "total_assets": record.get("total_assets"),
        "employees": record.get("employees"),
        "social_insurance_headcount": record.get("social_insurance_headcount"),
        "invoice_sales_12m": invoice,
        "tax_paid_12m": tax_12,
        "tax_paid_prev_12m": prev,
        "tax_grade": record.get("tax_grade"),
        "tax_burden": round(tax_12 / invoice * 100, 2) if tax_12 is not None and invoice else None,
        "has_loan_history": None if record.get("has_loan_history") is None else bool(record["has_loan_history"]),
        "abnormal_operation": None if record.get("abnormal_operation") is None else bool(record["abnormal_operation"]),
        "dishonest_debtor": None if record.get("dishonest_debtor") is None else bool(record["dishonest_debtor"]),
    }
    app = {
        "ref": record["ref"],
        "product": record.get("product"),
        "product_name": product.name(lang) if product else record.get("product"),
        "requested_amount": record.get("requested_amount"),
        "term_months": record.get("term_months"),
        "purpose": record.get("purpose"),
        "guarantee_mode": record.get("guarantee_mode"),
        "consent_given": bool(record.get("consent_given")),
        "consent_date": record.get("consent_date"),
        "consent_scope": record.get("consent_scope"),
        "site_notes": record.get("site_notes") or "",
    }
    code = record.get("credit_code") or ""
    borrower = {
        "enterprise_ref": record.get("enterprise_ref"),
        "enterprise_name": record.get("enterprise_name"),
        "credit_code": code,
        "entity_type": record.get("entity_type") or (entity_type_of(code) if code else None),
        "industry": record.get("industry"),
        "industry_name": industry_name(record["industry"], lang) if record.get("industry") else None,
        "size_class": record.get("size_class"),
        "registered_on": record.get("registered_on"),
        "years_operating": years,
        "region_code": record.get("region_code"),
        "legal_rep_name": mask_name(name) if t.mask_name else name,
        "legal_rep_id": mask_id(record.get("legal_rep_id") or ""),
        "legal_rep_phone": mask_phone(record.get("legal_rep_phone") or ""),
    }
    sources = [t.text("source_application", lang)]
    if fin["tax_grade"] or tax_12 is not None:
        sources.append(t.text("source_tax", lang))
    if record.get("registered_on") or fin["abnormal_operation"] is not None:
        sources.append(t.text("source_market", lang))
    if fin["dishonest_debtor"] is not None:
        sources.append(t.text("source_court", lang))
    if fin["social_insurance_headcount"] is not None:
        sources.append(t.text("source_social", lang))
    if fin["has_loan_history"] is not None:
        sources.append(t.text("source_credit", lang))
    dec = decision_section(decision, lang)
    risks, mitigants = _risks_and_mitigants(fin, years, dec, t, lang)
    return {
        "format": FORMAT,
        "memo_no": memo_no,
        "version": version,
        "supersedes": supersedes,
        "lang": lang,
        "issued_on": issued_on.isoformat(),
        "status": "approved" if approval else "draft",
        "bank": t.bank(lang),
        "branch": t.branch(lang),
        "officer": officer or record.get("officer") or "",
        "application": app,
        "borrower": borrower,
        "financials": fin,
        "sources": sources,
        "decision": dec,
        "risks": risks,
        "mitigants": mitigants,
        "conclusion": conclusion or t.text("conclusion_default", lang),
        "recommendation": _recommendation(dec, app, t, lang),
        "conditions": list(conditions) if conditions else t.conditions(lang),
        "approval": approval,
    }
