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
from loandesk.core.decisions import in_effect as decision_in_effect
from loandesk.core.industries import industry_name
from loandesk.core.products import products

from .numbers import money_text, number_text, rate_text, variable_kind
from .template import MemoTemplate

__all__ = ["build_content", "canonical_json", "content_sha256", "facts_sha256", "money_text", "rate_text"]

FORMAT = "loandesk-memo/2"
# Every field of ``Store.application_record`` that a memo prints or derives something from.
FACT_FIELDS = (
    "ref", "enterprise_ref", "enterprise_name", "credit_code", "entity_type", "industry", "size_class",
    "region_code", "registered_on", "legal_rep_name", "legal_rep_id", "legal_rep_phone", "employees",
    "annual_revenue", "total_assets", "tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
    "social_insurance_headcount", "abnormal_operation", "dishonest_debtor", "has_loan_history", "product",
    "requested_amount", "term_months", "purpose", "guarantee_mode", "consent_given", "consent_date",
    "consent_scope", "site_notes", "officer",
)  # fmt: skip


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
    variable = item.get("variable")
    return {"label": label, "value": value, "points": item.get("points"), "variable": variable,
            "kind": item.get("kind") or variable_kind(variable)}  # fmt: skip


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


def facts_sha256(record: dict, decision: dict | None, override: dict | None, template: MemoTemplate,
                 basis: dict, approval: dict | None = None, attachments: list[dict] | None = None) -> str:
    """A language-neutral fingerprint of everything a memo says, whatever its language.

    Two memos with the same fingerprint were built from the same application data, the same
    decision and confirmed override, the same officer's words (``basis``: officer, conclusion and
    conditions as given, the memo date) and the same substance of the template (its standard
    conditions, sections and privacy choice): they differ only in the language of the labels.
    """
    facts = {
        "record": {k: record.get(k) for k in FACT_FIELDS},
        "decision": decision.get("id") if decision else None,
        "override": override.get("id") if override else None,
        "basis": basis,
        "template": {k: template.data.get(k) for k in ("conditions", "sections", "privacy")},
    }
    if approval and approval.get("id"):  # the approver's decision (absent from memos made before it existed)
        facts["approval"] = approval["id"]
    if record.get("consent_record"):  # the consent the memo prints (memos from before records: none)
        facts["consent"] = record["consent_record"]
    if attachments:  # only when there are any: a memo issued before attachments were printed still matches
        facts["attachments"] = sorted((a.get("doc_type"), a.get("file_name"), a.get("sha256")) for a in attachments)
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(b"loandesk-memo-facts\0" + text.encode("utf-8")).hexdigest()


def approval_record(approval: dict | None) -> dict | None:
    """The approver's decision (``core.decisions.in_effect``'s shape) from a memo's approval block;
    None for no approval, or for a block from before approvers decided (a name and a date only)."""
    if not approval or "decision" not in approval:
        return None
    return {"outcome": approval["decision"], "limit_amount": approval.get("limit"),
            "term_months": approval.get("term_months"), "rate": approval.get("rate"),
            "conditions": approval.get("conditions") or [], "reason": approval.get("reason"),
            "approver": approval.get("approved_by"), "decided_at": approval.get("approved_on")}  # fmt: skip


def effective(decision: dict | None, override: dict | None,
              approval: dict | None = None) -> tuple[str | None, int | float | None]:  # fmt: skip
    """(decision, limit) in effect: the approver's, else a confirmed override's, else the model's
    (``core.decisions.in_effect``; ``approval`` is a memo's approval block)."""
    if decision is None:
        return None, None
    now = decision_in_effect(decision, override, approval_record(approval))
    return now["decision"], now["limit"]  # an override's limit of None: for the approver to set


def _override_section(override: dict | None) -> dict | None:
    if override is None:
        return None
    keys = ("id", "from_decision", "to_decision", "to_limit", "reason", "officer", "approver", "approver_note",
            "decided_at")  # fmt: skip
    return {k: override.get(k) for k in keys}


def decision_section(decision: dict | None, lang: str, override: dict | None = None,
                     approval: dict | None = None) -> dict | None:  # fmt: skip
    """The decision as printed: the model's result, any confirmed override, and what is in effect
    (the approver's decision when there is one: ``approval`` is the memo's approval block)."""
    if decision is None:
        return None
    result = decision.get("result") or {}
    in_effect, limit = effective(decision, override, approval)
    now = decision_in_effect(decision, override, approval_record(approval))
    knockouts = _unique(say(k, lang) for k in result.get("knockouts", []))
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
        "knockouts": knockouts,
        # A knock-out is usually also the first reason: it is printed once, as the knock-out.
        "reasons": _unique(r for r in (say(r, lang) for r in result.get("reasons", [])) if r not in knockouts),
        "what_would_change": [say(w, lang) for w in result.get("what_would_change", [])],
        "override": _override_section(override),
        "effective": {"decision": in_effect, "limit": limit, "source": now["source"], "by": now["by"],
                      "term_months": now["term_months"], "rate": now["rate"]},
    }


def _unique(lines) -> list[str]:
    """The lines in order, each once."""
    return list(dict.fromkeys(line for line in lines if line))


def _risks_and_mitigants(fin: dict, years: float | None, dec: dict | None, t: MemoTemplate, lang: str):
    knockouts = list(dec["knockouts"]) if dec else []
    if not knockouts:
        risks = [t.text("risk_none", lang)]
    elif "scoring" in t.sections:  # printed under the scoring result already: point there, not again
        risks = [t.text("risk_knockouts", lang, n=len(knockouts))]
    else:
        risks = knockouts
    mitigants = []
    if years is not None and years < 2:
        risks.append(t.text("risk_young", lang, years=t.text("years", lang, n=number_text(years))))
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
    if dec and dec["override"]:
        ov = dec["override"]
        risks.append(t.text("risk_override", lang, model=t.enum("decision", ov["from_decision"], lang),
                            decision=t.enum("decision", ov["to_decision"], lang), reason=ov["reason"]))  # fmt: skip
    # The limit is the model's multiple of tax paid only when no override set another one.
    if dec and dec["effective"]["decision"] == "approve" and dec["effective"]["limit"] == dec["limit"]:
        mitigants.append(t.text("mit_limit", lang))
    return _unique(risks), _unique(mitigants)


def _join(parts: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


def _recommendation(dec: dict | None, app: dict, t: MemoTemplate, lang: str) -> str:
    """What the memo proposes, following the decision in effect (a confirmed override's, if any)."""
    if dec is None:
        return t.text("unknown", lang)
    in_effect, limit = dec["effective"]["decision"], dec["effective"]["limit"]
    ov = dec["override"]
    by_approver = dec["effective"].get("source") == "approval"
    if by_approver:  # the approver decided: the memo says so, not "for the approver to decide"
        basis = t.text("rec_basis_approval", lang, model=t.enum("decision", dec["decision"], lang),
                       decision=t.enum("decision", in_effect, lang), approver=dec["effective"]["by"] or "")  # fmt: skip
    elif ov:
        basis = t.text("rec_basis_override", lang, model=t.enum("decision", ov["from_decision"], lang),
                       decision=t.enum("decision", in_effect, lang), approver=ov["approver"] or "")  # fmt: skip
    else:
        basis = t.text("rec_basis", lang, decision=t.enum("decision", in_effect, lang))
    fields = {
        "limit": money_text(limit, t, lang) if limit else t.text("limit_to_set", lang),
        "term": t.text("months", lang, n=(dec["effective"].get("term_months") if by_approver else None)
                       or app["term_months"]),
        "rate": rate_text(dec["effective"].get("rate") if by_approver else dec["rate"], t, lang),
        "mode": t.enum("guarantee_mode", app["guarantee_mode"], lang),
    }
    if in_effect == "approve":
        key = "rec_approve" if limit else "rec_approve_no_limit"
    else:
        key = "rec_refer" if in_effect == "refer" else "rec_decline"
    return _join([basis, t.text(key, lang, **fields)], lang)


def default_conclusion(site_notes: str, in_effect: str | None, t: MemoTemplate, lang: str) -> str:
    """The standard conclusion, claiming an on-site visit only when the officer recorded one."""
    visit = "visit" if site_notes.strip() else "novisit"
    outcome = in_effect if in_effect in ("approve", "refer") else "decline"
    return t.text(f"conclusion_{visit}_{outcome}", lang)


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
    override: dict | None = None,
    rendition_of: str | None = None,
    attachments: list[dict] | None = None,
) -> dict:
    """The memo as data. ``record``: ``Store.application_record`` (full personal data, masked here).

    ``approval``: the approver's decision for an approved memo (``memo.service.approval_block``: id,
    approved_by, approved_on, decision, limit, term_months, rate, conditions, reason), else None; it
    is the decision in effect throughout (a rendition's approval also names ``"signed_lang"``, the
    language of the rendition the approver signed).
    ``override``: the decision's confirmed override (``storage.decisions.confirmed_override``), if any.
    ``rendition_of``: for a rendition in a second language, the language the memo was first issued in
    (same number, same version). ``attachments``: the application's attached documents
    (``storage.attachments.attachments_for`` rows); only type, file name and SHA-256 are printed.
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
    if "consent_record" in record:  # given by (masked), on, scope, expiry (memo.service); None: none on record
        app["consent_record"] = record["consent_record"]
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
    dec = decision_section(decision, lang, override, approval)
    risks, mitigants = _risks_and_mitigants(fin, years, dec, t, lang)
    in_effect = dec["effective"]["decision"] if dec else None
    officer = officer or record.get("officer") or ""
    # What the officer gave, kept so that the other-language copy says the same (see service).
    basis = {"officer": officer, "conclusion": conclusion or None, "conditions": list(conditions) if conditions
             else None, "issued_on": issued_on.isoformat()}  # fmt: skip
    if conditions:
        printed_conditions = list(conditions)
    else:  # standard lending conditions make no sense under a decline
        printed_conditions = [] if in_effect == "decline" else t.conditions(lang)
    if in_effect != "decline":  # the approver's own conditions come after the officer's (or the standard ones)
        printed_conditions += [c for c in (approval or {}).get("conditions") or [] if c not in printed_conditions]
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
        "officer": officer,
        "rendition_of": rendition_of,
        "basis": {**basis, "facts_sha256": facts_sha256(record, decision, override, t, basis, approval, attachments)},
        "application": app,
        "borrower": borrower,
        "financials": fin,
        "sources": sources,
        "decision": dec,
        "risks": risks,
        "mitigants": mitigants,
        "conclusion": conclusion or default_conclusion(app["site_notes"], in_effect, t, lang),
        "recommendation": _recommendation(dec, app, t, lang),
        "conditions": printed_conditions,
        "conditions_apply": in_effect != "decline" or bool(conditions),
        "site_visit_recorded": bool(app["site_notes"].strip()),
        "approval": approval,
        "attachments": [{"doc_type": a.get("doc_type"), "file_name": a.get("file_name"), "sha256": a.get("sha256")}
                        for a in attachments or []],
    }
