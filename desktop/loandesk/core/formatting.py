"""How Loan Desk writes numbers, money and dates for people to read, in Chinese or English.

One place for every screen, list and memo, so an amount reads the same in the list, the score panel
and the printed memo.

- Grouping: amounts are grouped by thousands with commas (``1,234,567.89``), as Chinese bank
  statements, vouchers and credit reports print them; the readable short form counts in 万 and 亿
  (``123.46万元``, ``1.25亿元``), as Chinese readers say amounts aloud. English uses the same digits
  and the short form ``1.23 million yuan``.
- Dates: Chinese ``2026年12月3日`` (the CLDR medium form for zh-CN), English ``3 Dec 2026`` (no
  month/day order to misread); ``iso`` keeps ``2026-12-03`` where a file or a reference needs it.

Pure functions, no Qt: the CLI and the memo use them too. Values may be None (shown as ``""``), ints,
floats, Decimals or numeric text (as read from the store or a file).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .i18n import language

if TYPE_CHECKING:
    from decimal import Decimal

WAN = 10_000
YI = 100_000_000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _decimal(value) -> Decimal | None:
    # decimal is imported on first use, not at start-up (the lists import this module before the first paint)
    from decimal import Decimal, InvalidOperation

    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            number = Decimal(value.replace(",", "").strip())
        elif isinstance(value, float):  # by its shortest repr: Decimal(2.675) is 2.67499999..., 2.675 to a reader
            number = Decimal(repr(value))
        else:
            number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _rounded(number: Decimal, digits: int) -> Decimal:
    from decimal import ROUND_HALF_UP, Decimal

    # Half up, as a teller rounds fen (Python's round() goes to even: 0.125 -> 0.12). A result of zero
    # loses its sign: -0.004 yuan prints 0.00, not -0.00.
    rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def grouped(value, digits: int = 0) -> str:
    """``1,234,567`` / ``1,234,567.80`` (``digits`` decimals, half up); ``""`` for no value."""
    if type(value) is int:  # the store's amounts are whole yuan: the list paints these, no Decimal needed
        return f"{value:,}" if digits <= 0 else f"{value:,}.{'0' * digits}"
    number = _decimal(value)
    return "" if number is None else f"{_rounded(number, digits):,.{digits}f}"


def number_text(value, digits: int | None = None) -> str:
    """A count or measure: ``12,000`` for 12000.0, ``3.5`` for 3.5 (no trailing ``.0``); ``digits`` fixes them."""
    number = _decimal(value)
    if number is None:
        return ""
    if digits is not None:
        return grouped(number, digits)
    places = max(0, -number.normalize().as_tuple().exponent)  # 3.50 -> 1 place, 12000.0 -> 0
    return grouped(number, places)


def yuan(value, lang: str | None = None, *, digits: int = 2) -> str:
    """``1,234,567.80 元`` / ``CNY 1,234,567.80``: an amount in full, to the fen by default."""
    text = grouped(value, digits)
    if not text:
        return ""
    return f"{text} 元" if (lang or language()) == "zh" else f"CNY {text}"


def short_money(value, lang: str | None = None) -> str:
    """An amount as read aloud: ``8,500元``, ``123.46万元``, ``1.25亿元`` / ``8,500 yuan``, ``1.23 million yuan``.

    Below 10,000 yuan the amount is whole; from 万 up two decimals (trailing zeros dropped: ``50万元``)."""
    number = _decimal(value)
    if number is None:
        return ""
    zh = (lang or language()) == "zh"
    size = abs(number)
    if zh:
        if size >= YI:
            return f"{_trimmed(number / YI)}亿元"
        if size >= WAN:
            return f"{_trimmed(number / WAN)}万元"
        return f"{grouped(number, 0)}元"
    if size >= 1_000_000_000:
        return f"{_trimmed(number / 1_000_000_000)} billion yuan"
    if size >= 1_000_000:
        return f"{_trimmed(number / 1_000_000)} million yuan"
    return f"{grouped(number, 0)} yuan"


def _trimmed(number: Decimal) -> str:
    text = grouped(number, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan(value, digits: int = 2) -> str:
    """Yuan as 万元 figures for a 万元 column (``1,234.57``): the SME size table and regulators' lists count so."""
    number = _decimal(value)
    return "" if number is None else grouped(number / WAN, digits)


def percent(ratio, digits: int = 1) -> str:
    """A ratio (0.9721) as ``97.2%``."""
    number = _decimal(ratio)
    return "" if number is None else f"{grouped(number * 100, digits)}%"


def _local(moment: dt.datetime) -> dt.datetime:
    """Stored stamps are UTC: people read the day and hour where they are (a naive time is taken as local)."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _local(value).date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return _local(dt.datetime.fromisoformat(text)).date() if len(text) > 10 else dt.date.fromisoformat(text)
    except ValueError:
        return None


def date_text(value, lang: str | None = None) -> str:
    """``2026年12月3日`` / ``3 Dec 2026`` from a date, a datetime or ISO text; text that is no date is kept."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    if (lang or language()) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def datetime_text(value, lang: str | None = None) -> str:
    """``2026年12月3日 14:05`` / ``3 Dec 2026 14:05``; the date alone when there is no time."""
    if isinstance(value, str):
        if len(value.strip()) <= 10:
            return date_text(value, lang)
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return date_text(value, lang)
    if isinstance(value, dt.datetime):
        return f"{date_text(value, lang)} {_local(value):%H:%M}"
    return date_text(value, lang)


def byte_size(count: int | None, lang: str | None = None) -> str:
    """``12.3 MB`` / ``512 KB`` (1 KB = 1,024 bytes), the same in both languages."""
    if count is None:
        return ""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{max(count, 0) / 1024:,.0f} KB" if count >= 1024 else f"{max(count, 0)} B"
