"""The applicant's authorisation to query tax and credit data (PIPL; domain.md §8), as a record.

A consent says who gave it (the legal representative or a person they authorised), on which day,
for what (tax data, the credit report, or both) and until when (one year after it was given unless
the form says otherwise), who recorded it, and whether it was revoked. Scoring with tax or credit
data needs a consent that is valid on the day of scoring and covers the data the rule pack uses;
``judge`` says which consent allows it or why none does. Pure: no SQL, no Qt.

Validity: a consent is valid from ``given_on`` up to the day before ``expires_on``: on its expiry
date it has expired ("consent expired on 2027-11-23"), so the default expiry is exactly one year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .codes import mask_name
from .i18n import pick
from .validation import Finding, error
from .values import ValueProblem, is_blank, parse_date

SCOPES = ("tax", "credit")  # tax data (银税互动), the credit report (征信报告)
SCOPE_WORDS: dict[str, tuple[str, str]] = {"tax": ("tax data", "涉税信息"), "credit": ("the credit report", "征信报告")}
MAX_GIVEN_BY = 40
MAX_YEARS = 5  # a longer authorisation is a typo (2207 for 2027), not a bank's form

# The inputs that come from each source: a rule pack using one of them needs that scope.
TAX_INPUTS = frozenset({"tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m"})
CREDIT_INPUTS = frozenset({"has_loan_history", "prior_default"})


class ConsentRefused(Exception):
    """Scoring refused for want of a valid consent; ``code``: missing / expired / revoked / not_yet / scope."""

    def __init__(self, code: str, en: str, zh: str, ref: str | None = None):
        self.code, self.en, self.zh, self.ref = code, en, zh, ref
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        text = pick(self.en, self.zh, lang)
        if self.ref:
            return f"{self.ref}: {text}" if pick("en", "zh", lang) == "en" else f"{self.ref}：{text}"
        return text

    def for_application(self, ref: str) -> ConsentRefused:
        return ConsentRefused(self.code, self.en, self.zh, ref)


@dataclass(frozen=True)
class Consent:
    id: str
    application_id: str
    given_by: str  # personal data: shown masked unless the user may unmask
    given_on: dt.date
    expires_on: dt.date
    scope: frozenset[str]
    recorded_by: str
    recorded_at: str
    evidence_id: str | None = None  # the signed form, an encrypted attachment
    revoked_on: dt.date | None = None
    revoked_by: str | None = None
    note: str | None = None  # e.g. the free-text scope an upgraded home had

    @property
    def scope_code(self) -> str:
        """As stored: ``tax``, ``credit`` or ``tax,credit``."""
        return ",".join(s for s in SCOPES if s in self.scope)

    def valid_on(self, day: dt.date) -> bool:
        return self.revoked_on is None and self.given_on <= day < self.expires_on

    def summary(self, lang: str | None = None, *, unmasked: bool = False) -> dict:
        """What a list, the memo or the panel shows (the giver masked unless ``unmasked``)."""
        return {"id": self.id, "given_by": self.given_by if unmasked else mask_name(self.given_by),
                "given_on": self.given_on.isoformat(), "expires_on": self.expires_on.isoformat(),
                "scope": sorted(self.scope), "scope_text": scope_text(self.scope, lang),
                "recorded_by": self.recorded_by, "recorded_at": self.recorded_at,
                "evidence": bool(self.evidence_id),
                "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
                "revoked_by": self.revoked_by}  # fmt: skip


def scope_text(scope: Iterable[str], lang: str | None = None) -> str:
    words = [pick(*SCOPE_WORDS[s], lang) for s in SCOPES if s in set(scope)]
    return pick(" and ", "、", lang).join(words)


def parse_scope(raw) -> frozenset[str]:
    """``tax,credit`` / ``tax`` / ``征信`` / a set; raises ValueProblem for anything else (or nothing)."""
    if isinstance(raw, (set, frozenset, list, tuple)):
        parts = [str(p) for p in raw]
    else:
        parts = [p for p in re.split(r"[,，、;；+\s]+", str(raw or "")) if p]
    aliases = {"tax": "tax", "税务": "tax", "涉税": "tax", "涉税信息": "tax", "税务数据": "tax",
               "credit": "credit", "征信": "credit", "征信报告": "credit", "both": "both", "all": "both"}  # fmt: skip
    found: set[str] = set()
    for part in parts:
        key = aliases.get(part.strip().lower())
        if key is None:
            raise ValueProblem("consent_scope_word", value=part)
        found |= set(SCOPES) if key == "both" else {key}
    if not found:
        raise ValueProblem("consent_scope_none")
    return frozenset(found)


def default_expiry(given_on: dt.date) -> dt.date:
    """One year after it was given (29 February gives 28 February)."""
    try:
        return given_on.replace(year=given_on.year + 1)
    except ValueError:
        return given_on.replace(year=given_on.year + 1, day=28)


def check(raw: Mapping, today: dt.date) -> tuple[dict, list[Finding]]:
    """A consent as typed (``consent_given_by``, ``consent_date``, ``consent_scopes``, ``consent_expires``)
    -> typed values and findings, keyed by those field names. The giver and the date are required."""
    findings: list[Finding] = []
    values: dict = {"consent_given_by": None, "consent_date": None, "consent_scopes": None, "consent_expires": None}
    given_by = "" if is_blank(raw.get("consent_given_by")) else str(raw.get("consent_given_by")).strip()
    if not given_by:
        findings.append(error("consent_given_by", "required"))
    elif len(given_by) > MAX_GIVEN_BY:
        findings.append(error("consent_given_by", "too_long", max=MAX_GIVEN_BY))
    else:
        values["consent_given_by"] = given_by
    given_on = None
    if is_blank(raw.get("consent_date")):
        findings.append(error("consent_date", "required"))
    else:
        try:
            given_on = dt.date.fromisoformat(parse_date(raw["consent_date"], today))
            values["consent_date"] = given_on.isoformat()
        except ValueProblem as problem:
            findings.append(error("consent_date", problem.code, **problem.params))
    try:
        values["consent_scopes"] = ",".join(s for s in SCOPES if s in parse_scope(raw.get("consent_scopes")))
    except ValueProblem as problem:
        findings.append(error("consent_scopes", problem.code, **problem.params))
    if not is_blank(raw.get("consent_expires")):
        try:
            expires = dt.date.fromisoformat(parse_date(raw["consent_expires"], dt.date.max))
        except ValueProblem as problem:
            findings.append(error("consent_expires", problem.code, **problem.params))
        else:
            if given_on and expires <= given_on:
                findings.append(error("consent_expires", "consent_expiry_order", given=given_on.isoformat()))
            elif given_on and expires > default_expiry(given_on).replace(year=given_on.year + MAX_YEARS):
                findings.append(error("consent_expires", "consent_expiry_far", years=MAX_YEARS))
            else:
                values["consent_expires"] = expires.isoformat()
    elif given_on:
        values["consent_expires"] = default_expiry(given_on).isoformat()
    return values, findings


def needed_scopes(inputs: Iterable[str]) -> frozenset[str]:
    """The scopes a rule pack needs, from the input fields it reads."""
    names = set(inputs)
    return frozenset({"tax"} if names & TAX_INPUTS else set()) | frozenset(
        {"credit"} if names & CREDIT_INPUTS else set())


def judge(consents: Iterable[Consent], needed: Iterable[str], day: dt.date) -> ConsentRefused | None:
    """None when the consents valid on ``day`` cover every needed scope; else why not, in the words a
    teller reads: no recorded consent / expired on its date / revoked / not yet given / scope missing."""
    needed = frozenset(needed)
    records = list(consents)
    valid = [c for c in records if c.valid_on(day)]
    covered = frozenset().union(*(c.scope for c in valid)) if valid else frozenset()
    if valid and needed <= covered:
        return None
    if valid:
        missing = [s for s in SCOPES if s in needed - covered]
        en = " and ".join(SCOPE_WORDS[s][0] for s in missing)
        zh = "、".join(SCOPE_WORDS[s][1] for s in missing)
        return ConsentRefused("scope", f"the consent does not cover {en}, which the rule pack uses",
                              f"授权范围不含评分规则使用的{zh}")  # fmt: skip
    if not records:
        return ConsentRefused("missing", "no recorded consent to query tax and credit data",
                              "没有已记录的涉税及征信信息查询授权")  # fmt: skip
    latest = max(records, key=lambda c: (c.given_on, c.recorded_at))
    if latest.revoked_on is not None:
        return ConsentRefused("revoked", f"the consent was revoked on {latest.revoked_on} by {latest.revoked_by}",
                              f"授权已于 {latest.revoked_on} 由{latest.revoked_by}撤销")  # fmt: skip
    if latest.given_on > day:
        return ConsentRefused("not_yet", f"the consent is given on {latest.given_on}, after the scoring date {day}",
                              f"授权日期 {latest.given_on} 晚于评分日期 {day}")  # fmt: skip
    return ConsentRefused("expired", f"consent expired on {latest.expires_on}", f"授权已于 {latest.expires_on} 过期")


def from_form(values: Mapping, today: dt.date) -> Consent | None:
    """The consent an intake form holds (``validate_intake`` values), as it will be recorded on save;
    None when the form records none (not ticked, or not complete enough to record)."""
    if not values.get("consent_given") or not values.get("consent_date"):
        return None
    raw = {"consent_given_by": values.get("consent_given_by") or values.get("legal_rep_name"),
           "consent_date": values["consent_date"], "consent_expires": values.get("consent_expires"),
           "consent_scopes": values.get("consent_scopes") or "tax,credit"}  # fmt: skip
    checked, findings = check(raw, today)
    if findings:
        return None
    return Consent("form", values.get("id") or "", checked["consent_given_by"],
                   dt.date.fromisoformat(checked["consent_date"]), dt.date.fromisoformat(checked["consent_expires"]),
                   frozenset(checked["consent_scopes"].split(",")), "", "")  # fmt: skip

