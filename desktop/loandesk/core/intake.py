"""Validate an intake record (enterprise + legal representative + loan request + consent).

``validate_intake`` takes what a form or a file row holds (strings or numbers,
keyed by the data dictionary's names) and returns typed values plus every
finding. Errors block a save; warnings are shown; a credit-code check-character
warning blocks until the officer gives an override reason (domain.md §2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from loandesk.core import clock

from . import codes
from .dictionary import FIELDS, TAX_GRADES, parse_guarantee
from .industries import parse_industry
from .products import default_product, products
from .validation import Finding, Level, error
from .values import ValueProblem, check_bounds, is_blank, parse_date, parse_int, parse_money, parse_yes_no

ENTERPRISE_REQUIRED = ("enterprise_name", "credit_code", "industry", "registered_on")
PERSON_REQUIRED = ("legal_rep_name", "legal_rep_id", "legal_rep_phone")
APPLICATION_REQUIRED = ("requested_amount", "term_months", "purpose", "guarantee_mode")
TEXT_LIMITS = {"enterprise_name": 100, "legal_rep_name": 40, "purpose": 200, "consent_scope": 200,
               "site_notes": 4000, "officer": 40}
# Free text the officer adds beside the data dictionary's fields (the memo prints them).
EXTRA_KINDS = {"consent_date": "date"}
EXTRA_TEXT = ("product", "consent_scope", "consent_date", "code_override_reason", "site_notes", "officer")
OLDEST_REGISTRATION = dt.date(1949, 10, 1)


@dataclass
class IntakeResult:
    values: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_field(self, name: str) -> list[Finding]:
        return [f for f in self.findings if f.field == name]


def _read(name: str, raw, unit_wan: bool, today: dt.date):
    kind = FIELDS[name].kind if name in FIELDS else EXTRA_KINDS.get(name, "text")
    return parse_value(kind, raw, unit_wan=unit_wan, today=today)


def parse_value(kind: str, raw, *, unit_wan: bool = False, today: dt.date | None = None):
    """One value of a data dictionary kind (``FieldSpec.kind``); raises ValueProblem when it is not one."""
    if kind == "money":
        return parse_money(raw, unit_wan)
    if kind == "int":
        return parse_int(raw)
    if kind == "date":
        return parse_date(raw, today)
    if kind == "yesno":
        return parse_yes_no(raw)
    if kind == "grade":
        grade = str(raw).strip().upper()
        if grade not in TAX_GRADES:
            raise ValueProblem("choice", choices="/".join(TAX_GRADES), value=raw)
        return grade
    if kind == "industry":
        code = parse_industry(str(raw))
        if code is None:
            raise ValueProblem("choice", choices="AGR IND CON WHS RET …", value=raw)
        return code
    if kind == "guarantee":
        mode = parse_guarantee(raw)
        if mode is None:
            raise ValueProblem("choice", choices="credit/guarantee/collateral/insurance", value=raw)
        return mode
    if kind == "region":
        text = str(raw).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not re.fullmatch(r"\d{6}", text):
            raise ValueProblem("region_format")
        return text
    if kind == "code":
        return codes.normalise_credit_code(str(raw))
    if kind == "id":
        return codes.normalise_id_number(str(raw))
    if kind == "phone":
        return codes.normalise_phone(str(raw))
    return str(raw).strip()


def validate_intake(
    raw: Mapping,
    *,
    units_wan: frozenset[str] = frozenset(),
    require: tuple[str, ...] = ENTERPRISE_REQUIRED + PERSON_REQUIRED + APPLICATION_REQUIRED,
    require_consent: bool = True,
    today: dt.date | None = None,
) -> IntakeResult:
    today = today or clock.today()
    result = IntakeResult()
    values = result.values
    add = result.findings.append

    for name in [*FIELDS, *EXTRA_TEXT]:
        value = raw.get(name)
        if is_blank(value):
            values[name] = None
            if name in require:
                add(error(name, "required"))
            continue
        try:
            # the same plausible bounds as batch scoring (resources/input_bounds.toml)
            values[name] = check_bounds(name, _read(name, value, name in units_wan, today), value)
        except ValueProblem as problem:
            values[name] = None
            add(error(name, problem.code, **problem.params))
        limit = TEXT_LIMITS.get(name)
        if limit and isinstance(values[name], str) and len(values[name]) > limit:
            add(error(name, "too_long", max=limit))

    # Identifiers: format errors, check-character findings.
    if values["credit_code"]:
        found = codes.check_credit_code(values["credit_code"])
        result.findings.extend(found)
        check_failed = any(f.code in ("uscc_check", "uscc_org_check") for f in found)
        if check_failed and not values["code_override_reason"]:
            add(error("code_override_reason", "uscc_override_reason"))
        if not any(f.is_error for f in found):
            values["entity_type"] = codes.entity_type_of(values["credit_code"])
            if not values["region_code"]:
                region = codes.region_of(values["credit_code"])
                values["region_code"] = region if region.isdigit() else None
    if values["legal_rep_id"]:
        result.findings.extend(codes.check_id_number(values["legal_rep_id"], today=today))
    if values["legal_rep_phone"]:
        result.findings.extend(codes.check_phone(values["legal_rep_phone"]))

    if values["registered_on"] and dt.date.fromisoformat(values["registered_on"]) < OLDEST_REGISTRATION:
        add(error("registered_on", "date_too_old", min=OLDEST_REGISTRATION.isoformat()))
    t12, t24 = values["tax_paid_12m"], values["tax_paid_24m"]
    if t12 is not None and t24 is not None and t24 < t12:
        add(error("tax_paid_24m", "tax_24_lt_12"))

    # The request, within the chosen product's bounds.
    product = products().get(values.get("product") or "", default_product())
    values["product"] = product.id
    amount, term = values["requested_amount"], values["term_months"]
    if amount is not None:
        if amount < product.min_amount:
            add(error("requested_amount", "below_min", min=f"{product.min_amount:,}"))
        elif amount > product.max_amount:
            add(error("requested_amount", "above_max", max=f"{product.max_amount:,}"))
    if term is not None:
        if term < product.min_term_months:
            add(error("term_months", "below_min", min=product.min_term_months))
        elif term > product.max_term_months:
            add(error("term_months", "above_max", max=product.max_term_months))
    mode = values["guarantee_mode"]
    if mode and mode not in product.guarantee_modes:
        add(error("guarantee_mode", "choice", choices="/".join(product.guarantee_modes), value=mode))

    # Consent (PIPL): recorded with who gave it, its date, scope and expiry before tax and credit data
    # are used (core.consent; the save records it). A giver left blank is the legal representative.
    values["consent_given"] = bool(raw.get("consent_given"))
    for name in CONSENT_FIELDS:
        values[name] = None
    if values["consent_given"]:
        from .consent import check as check_consent

        given = {**raw, "consent_given_by": raw.get("consent_given_by") or values.get("legal_rep_name") or "",
                 "consent_scopes": raw.get("consent_scopes") or "tax,credit"}  # fmt: skip
        checked, found = check_consent(given, today)
        values.update({k: checked[k] for k in CONSENT_FIELDS})
        if require_consent:  # the date's own findings are made above, with the other fields
            result.findings.extend(f for f in found if f.field != "consent_date")
    if require_consent:
        if not values["consent_given"]:
            add(error("consent_given", "consent_missing"))
        elif is_blank(raw.get("consent_date")):  # a bad date has its own finding already
            add(error("consent_date", "required"))
        elif not values["consent_scope"]:
            add(error("consent_scope", "required"))
    return result


CONSENT_FIELDS = ("consent_given_by", "consent_scopes", "consent_expires")
