"""Parsing typed values from what people type or files hold (strings, numbers, 万元)."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from loandesk.core import clock

YES = {"yes", "y", "true", "1", "是", "有", "t"}
NO = {"no", "n", "false", "0", "否", "无", "f"}


class ValueProblem(ValueError):
    """A value could not be read; ``code`` and ``params`` key the message catalogue."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def is_blank(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def parse_money(raw, unit_wan: bool = False) -> int:
    """Yuan as an integer. Accepts '1,200,000', '120万', '1200000.00', full-width digits; rounds fen
    half-up. Text in scientific notation ('1e6') is refused: a typo for 16, or a spreadsheet's
    rounding of a long number, must not become a million yuan silently."""
    if isinstance(raw, bool):
        raise ValueProblem("not_money", value=raw)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float | Decimal):  # a number read from a spreadsheet cell, not text
        value = Decimal(str(raw))
        if not value.is_finite():
            raise ValueProblem("not_money", value=raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        text = text.replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
        if text.endswith("万"):
            unit_wan, text = True, text[:-1].strip()
        if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", text):
            raise ValueProblem("money_exponent", value=raw)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueProblem("not_money", value=raw) from None
        if not value.is_finite():
            raise ValueProblem("not_money", value=raw)
    if unit_wan:
        value *= 10_000
    if value < 0:
        raise ValueProblem("negative")
    with localcontext() as ctx:  # 40 nines has more digits than the default 28: read it whole (bounds refuse it)
        ctx.prec = max(ctx.prec, value.adjusted() + 3)
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_int(raw) -> int:
    if isinstance(raw, bool):
        raise ValueProblem("not_integer", value=raw)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip().replace(",", "")
        if re.fullmatch(r"-?\d+(\.0+)?", text):
            value = int(text.split(".")[0])
        else:
            raise ValueProblem("not_integer", value=raw)
    if value < 0:
        raise ValueProblem("negative")
    return value


def parse_date(raw, today: dt.date | None = None) -> str:
    """ISO date string; accepts 2020-01-05, 2020/1/5, 2020年1月5日, 20200105."""
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip()
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00:00)?", text) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", text
        )
        if not m:
            raise ValueProblem("not_date", value=raw)
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueProblem("not_date", value=raw) from None
    if day > (today or clock.today()):
        raise ValueProblem("future_date")
    return day.isoformat()


def parse_yes_no(raw) -> bool:
    if hasattr(raw, "item") and not isinstance(raw, str):
        raw = raw.item()  # a numpy scalar, as pandas gives a file's cells
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):  # a 0/1 column read as numbers
        return bool(raw)
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueProblem("yes_no", value=raw)


@dataclass(frozen=True)
class Bounds:
    """The plausible range of one numeric input (resources/input_bounds.toml)."""

    min: int
    max: int
    unit_en: str
    unit_zh: str

    def problem(self, value) -> ValueProblem:
        return ValueProblem("implausible", value=value, min=f"{self.min:,}", max=f"{self.max:,}",
                            unit_en=self.unit_en, unit_zh=self.unit_zh)  # fmt: skip


@cache
def input_bounds() -> dict[str, Bounds]:
    from loandesk.paths import resource

    with open(resource("input_bounds.toml"), "rb") as fh:
        return {name: Bounds(**spec) for name, spec in tomllib.load(fh).items()}


def check_bounds(name: str, value, raw=None):
    """``value`` if it is within the field's plausible bounds (or the field has none); else ValueProblem."""
    bounds = input_bounds().get(name)
    if bounds is not None and value is not None and not bounds.min <= value <= bounds.max:
        raise bounds.problem(raw if raw is not None else value)
    return value
