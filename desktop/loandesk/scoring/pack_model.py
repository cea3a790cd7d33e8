"""What a rule pack holds once it is read: its bounds, its keys, ``PackError`` and the dataclasses.

Kept apart from reading (``pack``) and checking (``pack_checks``) so the engine, the explanations and
the checks share one vocabulary without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from loandesk.core.dictionary import GUARANTEE_MODES, TAX_GRADES
from loandesk.core.sizing import SizeClass

from .card import Card, Variable

DEFAULT_PACK_FILE = "bank_tax_first_loan.toml"
DECISIONS = ("approve", "refer", "decline")
SEVERITY = {"approve": 0, "refer": 1, "decline": 2}
# Bounds on what a pack may hold. A pack is read again whenever it is stored or replayed, and its
# figures drive every decision: sizes are bounded, and every figure must be plausible for the product.
MAX_PACK_BYTES = 1_000_000  # the shipped pack is ~8 KB
MAX_CARD_BYTES = 2_000_000  # an imported scorecard's CSV
MAX_FACTORS, MAX_BINS, MAX_KNOCKOUTS, MAX_BANDS, MAX_VALUES = 100, 200, 100, 50, 1000
MAX_POINTS = 10_000  # |points| of a bin, base points, missing/other points
MAX_RATE = 36.0  # annual %: far above any bank loan (36 % was the most courts upheld for any lending)
MAX_BP = 3_600  # a spread or discount in basis points: at most the whole lawful range
MAX_AMOUNT = 10_000_000_000  # yuan: caps, minimums and rounding steps
MAX_MULTIPLE = 100  # x average annual tax
MAX_MONTHS = 360
MAX_WINDOW_DAYS = 3650
MAX_TEXT = 64  # characters of an id or version
# Variables with a closed set of values: a knock-out or category naming anything else is a typo.
DOMAINS: dict[str, tuple[str, ...]] = {
    "tax_grade": TAX_GRADES,
    "size_class": tuple(s.value for s in SizeClass),
    "guarantee_mode": tuple(GUARANTEE_MODES),
}
# Every key a pack may hold, table by table: anything else (a misspelling such as ``monotonc`` or
# ``cap_at_requst``) is refused rather than silently ignored.
ALLOWED = {
    "": ("pack", "knockout", "factor", "scorecard", "grade", "decision", "limit", "pricing", "term"),
    "pack": ("id", "version", "name_zh", "name_en", "product", "effective", "expires", "base_points", "required",
             "reentry_window_days"),
    "knockout": ("code", "variable", "in", "not_in", "is_true", "below", "above", "optional", "reason_zh",
                 "reason_en", "fix_zh", "fix_en"),
    "factor": ("variable", "monotonic", "better", "missing_points", "other_points", "bins", "reason_zh", "reason_en",
               "fix_zh", "fix_en"),
    "bin": ("lower", "upper", "points", "values"),
    "scorecard": ("file", "special_codes"),
    "band": ("name", "lower", "upper"),
    "limit": ("product_cap", "tax_multiple", "revenue_share", "cap_at_request", "round_down_to", "minimum"),
    "pricing": ("lpr_1y", "lpr_5y", "lpr_date", "long_term_months", "spread_bp", "first_loan_discount_bp", "floor",
                "cap"),
    "term": ("max_months", "revolving", "validity_months"),
}  # fmt: skip



class PackError(ValueError):
    def __init__(self, source: str, key: str, en: str, zh: str, line: int | None = None):
        self.source, self.key, self.en, self.zh, self.line = source, key, en, zh, line
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        if lang == "zh":
            return f"规则包 {where}，{self.key}：{self.zh}"
        return f"rule pack {where}, {self.key}: {self.en}"


@dataclass
class Knockout:
    code: str
    variable: str
    op: str  # in / not_in / is_true / below / above
    value: object
    reason_zh: str
    reason_en: str
    fix_zh: str
    fix_en: str
    optional: bool = False


@dataclass
class Factor:
    variable: Variable
    monotonic: str | None = None  # increasing / decreasing (numeric)
    better: tuple[str, ...] = ()  # categorical order, worst to best
    reason_zh: str = ""
    reason_en: str = ""
    fix_zh: str = ""
    fix_en: str = ""


@dataclass
class Band:
    name: str
    lower: float
    upper: float
    key: str = ""  # where the pack declares it, e.g. "decision[0]"


@dataclass
class RulePack:
    id: str
    version: str
    name_zh: str
    name_en: str
    product: str
    effective: dt.date
    expires: dt.date
    hash: str
    source: str
    text: str
    base_points: float
    required: tuple[str, ...]
    reentry_window_days: int
    knockouts: list[Knockout]
    factors: list[Factor]
    grades: list[Band]
    decisions: list[Band]
    limit: dict
    pricing: dict
    term: dict
    card: Card | None = None
    card_text: str | None = None
    extra: dict = field(default_factory=dict)
    score_range: tuple[float, float] | None = None  # the lowest and highest score the pack can give
    warnings: list[dict] = field(default_factory=list)  # {"key", "line", "en", "zh"}: allowed, but look

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def variables(self) -> list[str]:
        return [f.variable.name for f in self.factors]

    def summary(self) -> dict:
        return {"id": self.id, "version": self.version, "hash": self.hash, "name_zh": self.name_zh,
                "name_en": self.name_en, "effective": self.effective.isoformat(),
                "expires": self.expires.isoformat(), "source": self.source,
                "warnings": [{"key": w["key"], "en": w["en"], "zh": w["zh"]} for w in self.warnings]}  # fmt: skip
