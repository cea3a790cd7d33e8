"""Turn rows (a form's strings, typed intake values or a file's cells) into typed scoring columns.

Parsing is vectorised: a column is converted with pandas in one go and only the cells pandas
cannot read go through the data dictionary's own parsers (``core.values``), which accept
'120万', '1,200,000', '是'. A non-blank cell that still cannot be read is a *problem*
(row, field, code): it is reported, never scored as 0. Derived variables are computed here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loandesk.core.dictionary import FIELDS, TAX_GRADES, parse_guarantee
from loandesk.core.industries import parse_industry
from loandesk.core.sizing import WAN, size_table
from loandesk.core.values import NO, YES, ValueProblem, parse_date, parse_int, parse_money

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


def _blank(col: pd.Series) -> np.ndarray:
    return col.isna().to_numpy() | col.astype(str).str.strip().isin(["", "nan", "None", "NaT"]).to_numpy()


def _fallback(col: pd.Series, bad: np.ndarray, parse, name: str, problems: list[Problem], out: np.ndarray):
    for pos in np.flatnonzero(bad):
        try:
            out[pos] = parse(col.iloc[pos])
        except ValueProblem as exc:
            problems.append(Problem(int(pos), name, exc.code, exc.params))


def parse_column(name: str, col: pd.Series, problems: list[Problem], unit_wan: bool = False,
                 today: dt.date | None = None) -> pd.Series:  # fmt: skip
    """Typed column: float (money, int: NaN when missing), bool-as-float, str or NaN, ISO date str."""
    kind = input_kind(name) or "text"
    blank = _blank(col)
    if kind in NUMERIC_KINDS:
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            num = pd.to_numeric(col.where(~blank).astype(object), errors="coerce").to_numpy(dtype=float)
        else:
            num = col.to_numpy(dtype=float, na_value=np.nan)
        if unit_wan:
            num = num * WAN
        bad = ~blank & (np.isnan(num) | (num < 0) | (kind == "int") & (num != np.floor(num)))
        num = np.where(bad, np.nan, num)
        if kind == "money":
            num = np.floor(num + 0.5)  # whole yuan, half up, as parse_money
            parser = lambda v: parse_money(v, unit_wan)  # noqa: E731
        else:
            parser = parse_int
        _fallback(col, bad, parser, name, problems, num)
        return pd.Series(num, index=col.index, dtype=float)
    text = col.astype(object).where(~blank, None)
    values = np.full(len(col), None, dtype=object)
    uniques = {v for v in text.dropna().unique()}
    mapping: dict = {}
    for raw in uniques:
        try:
            mapping[raw] = _parse_one(kind, raw, today)
        except ValueProblem as exc:
            mapping[raw] = exc
    for pos, raw in enumerate(text.to_numpy()):
        if raw is None:
            continue
        got = mapping[raw]
        if isinstance(got, ValueProblem):
            problems.append(Problem(pos, name, got.code, got.params))
        else:
            values[pos] = got
    if kind == "yesno":
        return pd.Series([np.nan if v is None else float(v) for v in values], index=col.index, dtype=float)
    return pd.Series(values, index=col.index, dtype=object)


def _parse_one(kind: str, raw, today: dt.date | None):
    if kind == "yesno":
        if isinstance(raw, (bool, np.bool_)):
            return bool(raw)
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return bool(raw)
        text = str(raw).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueProblem("yes_no", value=raw)
    if kind == "date":
        return parse_date(raw, today)
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
    return str(raw).strip()


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
    industry = frame["industry"].to_numpy(dtype=object)
    metric_cols = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}
    for code, band in size_table().industries.items():
        rows = industry == code
        if not rows.any():
            continue
        vals = {m: frame[c].to_numpy(dtype=float)[rows] for m, c in metric_cols.items()}
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
    out = frame.copy()
    for name in list(FIELDS) + list(EXTRA_INPUTS):
        if name not in out:
            kind = input_kind(name)
            out[name] = np.nan if kind in NUMERIC_KINDS or kind == "yesno" else None
    out["months_in_operation"] = months_between(out["registered_on"], as_of)
    out["avg_annual_tax"] = out["tax_paid_24m"].to_numpy(dtype=float) / 2
    out["invoice_coverage"] = _ratio(out["invoice_sales_12m"], out["annual_revenue"])
    out["social_insurance_ratio"] = _ratio(out["social_insurance_headcount"], out["employees"])
    prior_year = out["tax_paid_24m"] - out["tax_paid_12m"]
    out["tax_trend"] = _ratio(out["tax_paid_12m"], prior_year)
    out["request_to_revenue"] = _ratio(out["requested_amount"], out["annual_revenue"])
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
