"""How a memo prints numbers: money, ratios, rates, scores and counts, one style per language.

A bank memo states amounts in 人民币 to the fen with thousands grouping, the same way everywhere
in the memo: ``¥975,074.50`` in Chinese and ``CNY 975,074.50`` in English (the wording lives in the
template's ``money`` text). Ratios print as percentages (``97.2%``), annual rates with two decimals
(``3.85%``), and scores, points and counts without a trailing ``.0``.
"""

from __future__ import annotations

from loandesk.core.dictionary import FIELDS
from loandesk.core.formatting import grouped

from .template import MemoTemplate

# Scoring variables that are ratios of two inputs (printed as percentages), and derived money figures.
RATIO_VARIABLES = frozenset({"invoice_coverage", "social_insurance_ratio", "tax_trend", "request_to_revenue"})
MONEY_VARIABLES = frozenset({"avg_annual_tax"})


def variable_kind(variable: str | None) -> str | None:
    """``ratio``, ``money``, ``int`` or None (printed as it is) for a scoring factor's variable."""
    if not variable:
        return None
    if variable in RATIO_VARIABLES or variable.endswith(("_ratio", "_share", "_coverage")):
        return "ratio"
    if variable in MONEY_VARIABLES:
        return "money"
    field = FIELDS.get(variable)
    if field is not None and field.kind in ("money", "int"):
        return field.kind
    return None


def number_text(value: int | float | None) -> str:
    """``780`` for 780.0, ``3.2`` for 3.2: a whole number never shows ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else f"{value:g}"


def money_text(amount: int | float | None, t: MemoTemplate, lang: str) -> str:
    """``¥975,074.50`` / ``CNY 975,074.50``: grouped, to the fen."""
    if amount is None:
        return t.text("unknown", lang)
    return t.text("money", lang, amount=grouped(amount, 2))  # the same grouping as every screen (core.formatting)


def percent_text(ratio: float | None, t: MemoTemplate, lang: str, digits: int = 1) -> str:
    """A ratio (0.9721) as a percentage (``97.2%``)."""
    if ratio is None:
        return t.text("unknown", lang)
    return f"{ratio * 100:.{digits}f}%"


def rate_text(rate: float | None, t: MemoTemplate, lang: str) -> str:
    if rate is None:
        return t.text("unknown", lang)
    percent = rate * 100 if rate < 1 else rate  # stored as annual % (3.85); a fraction (0.0385) also reads right
    return f"{percent:.2f}%"


def factor_value_text(value, kind: str | None, t: MemoTemplate, lang: str):
    """A scoring factor's value as printed, by the kind of its variable."""
    if value is None:
        return t.text("unknown", lang)
    if isinstance(value, bool):
        return t.text("yes" if value else "no", lang)
    if isinstance(value, int | float):
        if kind == "ratio":
            return percent_text(value, t, lang)
        if kind == "money":
            return money_text(value, t, lang)
        return number_text(value)
    return value
