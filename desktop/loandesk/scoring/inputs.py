"""Turn rows (a form's strings, typed intake values or a file's cells) into typed scoring columns.

Parsing is vectorised: a column is converted with pandas in one go and only the cells pandas
cannot read go through the data dictionary's own parsers (``core.values``), which accept
'120万', '1,200,000', '是'. A non-blank cell that still cannot be read is a *problem*
(row, field, code): it is reported, never scored as 0. Derived variables are computed here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loandesk.core.dictionary import FIELDS, match_header
from loandesk.core.intake import parse_value
from loandesk.core.missing import MISSING_TOKENS
from loandesk.core.sizing import WAN, size_table
from loandesk.core.values import ValueProblem, input_bounds, parse_int, parse_money

# Inputs a pack may use that are not in the data dictionary: (kind, label en, label zh).
EXTRA_INPUTS = {"prior_default": ("yesno", "Prior default on record", "有违约记录")}
# Variables computed from the inputs: name -> (label en, label zh, inputs it needs).
DERIVED = {
    "months_in_operation": ("Months in operation", "经营月数", ("registered_on",)),
    "avg_annual_tax": ("Average annual tax, last 2 years", "近两年年均纳税额", ("tax_paid_24m",)),
    "invoice_coverage": ("Invoiced sales / revenue", "开票销售额占营业收入比", ("invoice_sales_12m", "annual_revenue")),
    "social_insurance_ratio": ("Insured staff / employees", "社保人数占从业人员比",
                               ("social_insurance_headcount", "employees")),
    "tax_trend": ("Tax paid, last year / year before", "近一年较上一年纳税额之比", ("tax_paid_12m", "tax_paid_24m")),
    "request_to_revenue": ("Requested amount / revenue", "申请金额占营业收入比",
                           ("requested_amount", "annual_revenue")),
    "size_class": ("Enterprise size", "企业规模", ("industry", "employees", "annual_revenue", "total_assets")),
}  # fmt: skip
NUMERIC_KINDS = {"money", "int"}


def input_kind(name: str) -> str | None:
    if name in FIELDS:
        return FIELDS[name].kind
    if name in EXTRA_INPUTS:
        return EXTRA_INPUTS[name][0]
    return None


def header_field(header: str) -> str | None:
    """The input a file's column header means (a data dictionary name, its Chinese header with or
    without a unit, or an extra input such as prior_default); None for a column scoring does not read."""
    match = match_header(header)
    if match:
        return match.field
    return header if input_kind(header) else None


def known_variables() -> set[str]:
    return set(FIELDS) | set(EXTRA_INPUTS) | set(DERIVED)


def variable_label(name: str, lang: str) -> str:
    from loandesk.core.messages import FIELD_LABELS

    if name in DERIVED:
        en, zh = DERIVED[name][:2]
    elif name in EXTRA_INPUTS:
        en, zh = EXTRA_INPUTS[name][1:]
    else:
        en, zh = FIELD_LABELS.get(name, (name, name))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Problem:
    row: int  # 0-based position in the input
    field: str
    code: str
    params: dict


BLANK_TEXTS = MISSING_TOKENS | {"NaT"}  # pandas' missing-value texts (NA, N/A, null...): blank, as in the tools
TEXT_KINDS = frozenset({"text", "code", "id", "phone", "region"})  # kept as text, never checked here
# Messages the scoring package adds to the catalogue in core.messages: (en, zh).
MESSAGES = {
    "not_money_wan": ("must be an amount in 万元 (10,000 yuan), got '{value}'",
                      "应为以万元为单位的金额，实际为“{value}”"),
}


def problem_message(code: str, params: dict, lang: str, field: str | None = None) -> str:
    """The message for a problem; the cell's value is shown masked when it is, or looks like, personal data."""
    from loandesk.core.messages import CATALOGUE
    from loandesk.core.redact import safe_value

    en, zh = MESSAGES.get(code) or CATALOGUE.get(code, (code, code))
    if "value" in params:
        params = {**params, "value": safe_value(field, params["value"])}
    try:
        return (zh if lang == "zh" else en).format(**params)
    except (KeyError, IndexError):
        return zh if lang == "zh" else en


def _is_blank_cell(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and np.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip() in BLANK_TEXTS


# Characters float() reads but the data dictionary's parsers may not (exponents such as '1.2E+07', a
# spreadsheet's rounding; '1_000'; full-width or other non-ASCII digits; for whole numbers '+' and '.'):
# cells holding one go through those parsers, so both paths always agree.
_ODD = {"money": "eE_", "int": "eE_+."}


def _odd_cells(texts: np.ndarray, kind: str, blob: str | None = None) -> np.ndarray:
    chars = _ODD[kind]
    blob = "\x00".join(texts) if blob is None else blob
    if blob.isascii() and not any(ch in blob for ch in chars):  # C-level scans: the usual clean column
        return np.zeros(len(texts), dtype=bool)
    pattern = f"[{re.escape(chars)}]|[^\\x00-\\x7f]"
    return pd.Series(texts, dtype=object).str.contains(pattern, regex=True).to_numpy(dtype=bool)


def _fast_numbers(values: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(numbers, empty) for an object array of text cells: floats where a cell is a plain decimal
    number, NaN elsewhere. One C-level pass when every cell is a plain number or empty; otherwise
    pd.to_numeric reads the column, the cells it cannot read are cleaned (thousands separators,
    spaces) and read again, and what still fails is left NaN for the data dictionary's own parser."""
    # A file's column is all text ('' when blank): then '' is the only blank and pd.isna's scan of a
    # million cells is not needed; the join that finds odd characters also proves it (None fails it).
    empty = values == ""
    filled = np.where(empty, "nan", values)
    try:
        blob = "\x00".join(filled)
    except TypeError:  # None or NaN among the cells
        empty = pd.isna(values) | empty
        filled = np.where(empty, "nan", values)
        blob = None
    odd = _odd_cells(filled, kind, blob)
    try:
        num = filled.astype(float)
    except (ValueError, TypeError):
        num = _mostly_plain_numbers(filled, empty, odd)
    num[odd] = np.nan
    return num, empty


_NOT_DIGITS = re.compile(r"[^0-9.\x00]")


def _mostly_plain_numbers(filled: np.ndarray, empty: np.ndarray, odd: np.ndarray) -> np.ndarray:
    """A column where some cells are not plain digits ('1,234,567', '-5', ' 12'): the plain ones are
    read in one C-level pass; only the others go through pd.to_numeric and the clean-up."""
    texts = np.where(empty, "", filled)
    try:
        blob = "\x00".join(texts)
    except TypeError:
        return _readable_numbers(filled, empty, odd)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    found = np.fromiter((m.start() for m in _NOT_DIGITS.finditer(blob)), dtype=np.int64)
    other = np.zeros(len(texts), dtype=bool)
    other[np.searchsorted(ends, found, side="right")] = True
    other &= ~empty
    try:
        num = np.where(other, "nan", filled).astype(float)
    except ValueError:  # digits and dots that are still not a number ('1.2.3'): the whole column
        return _readable_numbers(filled, empty, odd)
    where = np.flatnonzero(other)
    if len(where):
        num[where] = _readable_numbers(filled[where], empty[where], odd[where])
    return num


def _readable_numbers(filled: np.ndarray, empty: np.ndarray, odd: np.ndarray) -> np.ndarray:
    """pd.to_numeric, then the cells it cannot read cleaned (thousands separators, spaces) and read again."""
    num = np.array(pd.to_numeric(pd.Series(filled, dtype=object), errors="coerce"), dtype=float)
    retry = np.flatnonzero(np.isnan(num) & ~empty & ~odd)
    if len(retry):
        text = pd.Series(filled[retry], dtype=object).astype(str)
        cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False).str.strip()
        num[retry] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return num


def _parse_numeric(name: str, kind: str, col: pd.Series, problems: list[Problem], unit_wan: bool) -> pd.Series:
    values = col.to_numpy(dtype=object)
    n = len(values)
    if pd.api.types.is_bool_dtype(col.dtype):
        num, empty, odd = np.full(n, np.nan), np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    elif pd.api.types.is_numeric_dtype(col.dtype):
        num = col.to_numpy(dtype=float, na_value=np.nan)
        empty, odd = np.isnan(num), np.zeros(n, dtype=bool)
    elif col.dtype == object and not all(isinstance(v, str) or v is None for v in values):
        # typed records (ints, floats, True/False, dates): each value goes through the dictionary's parser
        empty = np.array([_is_blank_cell(v) for v in values], dtype=bool)
        num, odd = np.full(n, np.nan), ~empty
    else:
        num, empty = _fast_numbers(values, kind)
        odd = np.zeros(n, dtype=bool)
    if unit_wan:
        num = num * WAN
    with np.errstate(invalid="ignore"):
        # Cells the fast path could not read exactly go through the dictionary's parser, one by one:
        # '120万', '¥1,200', fen amounts (rounded half-up in Decimal), negatives and non-integers (refused).
        slow = odd | ~empty & (~np.isfinite(num) | (num < 0) | (num != np.floor(num)))
    num = np.where(slow, np.nan, num)
    if kind == "money":
        parser = lambda v: parse_money(v, unit_wan)  # noqa: E731
    else:
        parser = parse_int
    for pos in np.flatnonzero(slow):
        raw = values[pos]
        if _is_blank_cell(raw):
            continue
        try:
            num[pos] = parser(raw)
        except ValueProblem as exc:
            code = "not_money_wan" if unit_wan and exc.code == "not_money" else exc.code
            problems.append(Problem(int(pos), name, code, exc.params))
    _check_bounds(name, num, values, problems)
    return pd.Series(num, index=col.index, dtype=float)


def _check_bounds(name: str, num: np.ndarray, values: np.ndarray, problems: list[Problem]) -> None:
    """Values outside the field's plausible bounds (resources/input_bounds.toml, as the intake form
    checks them) are problems: 40 nines of revenue is a typo, not a large enterprise. One vectorised
    comparison; only the offending cells are visited."""
    bounds = input_bounds().get(name)
    if bounds is None:
        return
    with np.errstate(invalid="ignore"):
        outside = (num < bounds.min) | (num > bounds.max)  # NaN (blank, unreadable) compares False
    for pos in np.flatnonzero(outside):
        problems.append(Problem(int(pos), name, "implausible", bounds.problem(values[pos]).params))
        num[pos] = np.nan


def _parse_text(col: pd.Series) -> pd.Series:
    obj = col.astype(object)
    missing = obj.isna().to_numpy()
    text = obj.where(missing, obj.astype(str).str.strip())
    blank = missing | text.isin(BLANK_TEXTS).to_numpy()
    return pd.Series(np.where(blank, None, text.to_numpy(dtype=object)), index=col.index, dtype=object)


def _parse_coded(name: str, kind: str, col: pd.Series, problems: list[Problem], today: dt.date | None) -> pd.Series:
    """Kinds with few distinct values (yes/no, grades, industries, dates): each distinct cell is read once."""
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    parsed = np.full(len(uniques) + 1, None, dtype=object)  # the last slot serves code -1 (NaN)
    failed: dict[int, ValueProblem] = {}
    for i, raw in enumerate(uniques):
        if _is_blank_cell(raw):
            continue
        try:
            parsed[i] = parse_value(kind, raw, today=today)
        except ValueProblem as exc:
            failed[i] = exc
    if failed:
        bad_unique = np.zeros(len(uniques) + 1, dtype=bool)
        bad_unique[list(failed)] = True
        for pos in np.flatnonzero(bad_unique[codes]):
            exc = failed[int(codes[pos])]
            problems.append(Problem(int(pos), name, exc.code, exc.params))
    values = parsed[codes]
    if kind == "yesno":
        as_float = np.array([np.nan if v is None else float(v) for v in parsed], dtype=float)
        return pd.Series(as_float[codes], index=col.index, dtype=float)
    return pd.Series(values, index=col.index, dtype=object)


def parse_column(name: str, col: pd.Series, problems: list[Problem], unit_wan: bool = False,
                 today: dt.date | None = None) -> pd.Series:  # fmt: skip
    """Typed column: float (money, int: NaN when missing), bool-as-float, str or None, ISO date str.

    Vectorised: plain numbers are read in one pass and distinct coded values once each; only the
    cells that fail go through the data dictionary's parsers (``core.values``)."""
    kind = input_kind(name) or "text"
    if kind in NUMERIC_KINDS:
        return _parse_numeric(name, kind, col, problems, unit_wan)
    if kind in TEXT_KINDS:
        return _parse_text(col)
    return _parse_coded(name, kind, col, problems, today)


def months_between(start_iso: pd.Series, as_of: dt.date) -> np.ndarray:
    """Whole months from each ISO date to ``as_of`` (a month counts once its day is reached)."""
    dates = pd.to_datetime(start_iso, format="ISO8601", errors="coerce")
    years = as_of.year - dates.dt.year
    months = years * 12 + (as_of.month - dates.dt.month) - (as_of.day < dates.dt.day).astype(float)
    return months.to_numpy(dtype=float, na_value=np.nan)


def _ratio(a: pd.Series, b: pd.Series) -> np.ndarray:
    num, den = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def size_classes(frame: pd.DataFrame) -> np.ndarray:
    """Vectorised ``core.sizing.classify``: large/medium/small/micro, None where a metric is missing."""
    out = np.full(len(frame), None, dtype=object)
    codes, present = pd.factorize(frame["industry"].to_numpy(dtype=object), use_na_sentinel=True)
    metric_cols = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}
    metrics = {m: frame[c].to_numpy(dtype=float) for m, c in metric_cols.items()}
    bands = size_table().industries
    for i, code in enumerate(present):  # only the industries the file holds, each compared as an integer
        band = bands.get(code)
        if band is None:
            continue
        rows = codes == i
        vals = {m: v[rows] for m, v in metrics.items()}
        known = np.ones(rows.sum(), dtype=bool)
        for m in band.metrics:
            known &= ~np.isnan(vals[m])

        def meets(minimums: dict, vals=vals) -> np.ndarray:
            ok = np.ones(len(vals["employees"]), dtype=bool)
            for metric, threshold in minimums.items():
                ok &= vals[metric] >= (threshold if metric == "employees" else threshold * WAN)
            return ok

        result = np.select([meets(band.ceiling), meets(band.medium), meets(band.small)],
                           ["large", "medium", "small"], "micro")
        out[rows] = np.where(known, result.astype(object), None)
    return out


def derive(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Add the derived variables (DERIVED) to a typed frame; missing inputs give NaN / None."""
    # The new columns are gathered and joined to the inputs in one concat: copying the frame and adding
    # columns one by one made pandas consolidate (copy) a million rows' blocks twice.
    n = len(frame)
    added: dict[str, object] = {}
    for name in list(FIELDS) + list(EXTRA_INPUTS):
        if name not in frame:
            kind = input_kind(name)
            numeric = kind in NUMERIC_KINDS or kind == "yesno"
            added[name] = np.full(n, np.nan) if numeric else np.full(n, None, dtype=object)

    def col(name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series(added[name], index=frame.index)

    added["months_in_operation"] = months_between(col("registered_on"), as_of)
    added["avg_annual_tax"] = col("tax_paid_24m").to_numpy(dtype=float) / 2
    added["invoice_coverage"] = _ratio(col("invoice_sales_12m"), col("annual_revenue"))
    added["social_insurance_ratio"] = _ratio(col("social_insurance_headcount"), col("employees"))
    prior_year = col("tax_paid_24m") - col("tax_paid_12m")
    added["tax_trend"] = _ratio(col("tax_paid_12m"), prior_year)
    added["request_to_revenue"] = _ratio(col("requested_amount"), col("annual_revenue"))
    replaced = [name for name in added if name in frame]  # a derived variable given as an input is recomputed
    base = frame.drop(columns=replaced) if replaced else frame
    out = pd.concat([base, pd.DataFrame(added, index=frame.index)], axis=1)
    out["size_class"] = size_classes(out)
    return out


def frame_from_records(records: list[dict], today: dt.date | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed frame from dicts keyed by data dictionary names (typed values or strings)."""
    raw = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    problems: list[Problem] = []
    typed = pd.DataFrame(index=range(len(records)))
    for name in list(FIELDS) + list(EXTRA_INPUTS):
        if name in raw:
            typed[name] = parse_column(name, raw[name].astype(object), problems, today=today)
    return typed, problems
