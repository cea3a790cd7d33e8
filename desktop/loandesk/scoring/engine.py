"""Vectorised evaluation of a rule pack over a frame of typed, derived inputs (one row per applicant).

Everything is numpy over columns, so one applicant (the score panel) and a million (batch files)
go through the same code: points per factor, knock-outs, grade and decision bands, the credit
limit formula, pricing and term, which inputs are blank (and whether the decision needs them), and
inputs that contradict each other. ``explain.py`` turns rows into words; ``batch.py`` writes files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loandesk.core.sizing import size_table

from .inputs import DERIVED, EXTRA_INPUTS
from .pack import RulePack

SEVERITY = {"approve": 0, "refer": 1, "decline": 2}
BY_SEVERITY = np.array(["approve", "refer", "decline"], dtype=object)
LIMIT_BASES = ("product_cap", "tax_multiple", "revenue_share", "request")
LIMIT_VARIABLES = ("tax_grade", "avg_annual_tax", "annual_revenue")  # the limit cannot be worked out without them
REQUEST_OVER_CAP = 100  # a request over 100x the product cap is most likely in the wrong unit
# Inconsistent inputs: code -> (en, zh). Scored as given, but the result says to check them.
WARNINGS = {
    "tax_24m_below_12m": ("tax paid over 24 months is less than over the last 12 months: check both figures "
                          "(the tax trend cannot be worked out)",
                          "近24个月纳税额小于近12个月纳税额，请核对（无法计算纳税趋势）"),
    "insured_above_employees": ("more people have social insurance than the enterprise employs: check both figures",
                                "社保缴纳人数多于从业人员，请核对"),
    "request_far_above_cap": ("the amount requested is over {times} times the product cap: check the unit "
                              "(yuan, not 万元)", "申请金额超过产品上限的 {times} 倍，请核对金额单位（元，而非万元）"),
}  # fmt: skip


@dataclass
class Evaluation:
    frame: pd.DataFrame  # typed inputs + derived variables
    points: pd.DataFrame  # score and <variable>_points
    knocked: dict[str, np.ndarray]  # knock-out code -> hit
    undecided: dict[str, np.ndarray]  # knock-out code -> its variable is missing
    missing: dict[str, np.ndarray]  # required field -> missing
    grade: np.ndarray
    band_decision: np.ndarray  # the decision the score alone gives
    decision: np.ndarray
    limit: np.ndarray  # float yuan, NaN when it cannot be worked out
    limit_basis: np.ndarray
    below_minimum: np.ndarray
    rate: np.ndarray  # annual %, NaN for declines
    term_months: np.ndarray  # approved: the request, at most the product's maximum
    term_requested: np.ndarray  # NaN when not given
    term_shortened: np.ndarray
    history_unknown: np.ndarray  # has_loan_history blank: priced without the first-loan discount
    absent_blocking: dict[str, np.ndarray]  # input -> blank where the decision needs it (at best refer)
    absent_other: dict[str, np.ndarray]  # input -> blank where it only costs points (scored as missing)
    unworkable: dict[str, np.ndarray]  # derived variable -> its inputs are there but it cannot be worked out
    warnings: dict[str, np.ndarray]  # WARNINGS code -> inconsistent inputs

    def __len__(self) -> int:
        return len(self.frame)


def is_missing(col: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(col.dtype):
        return np.isnan(col.to_numpy(dtype=float, na_value=np.nan))
    return col.isna().to_numpy()


def band_names(bands, score: np.ndarray) -> np.ndarray:
    lowers = np.array([b.lower for b in bands])
    names = np.array([b.name for b in bands], dtype=object)
    idx = np.searchsorted(lowers[1:], score, side="right")  # bands are [lower, upper), sorted
    return names[idx]


def evaluate(pack: RulePack, frame: pd.DataFrame) -> Evaluation:
    """``frame`` is ``inputs.derive(...)`` output."""
    n = len(frame)
    cols, total = {}, np.zeros(n)
    for factor in pack.factors:
        var = factor.variable
        pts = var.points(frame[var.name])
        cols[f"{var.name}_points"] = pts
        total = total + pts
    points = pd.DataFrame(cols, index=frame.index)
    score = pack.base_points + total
    points.insert(0, "score", score)

    knocked, undecided = {}, {}
    for k in pack.knockouts:
        col = frame[k.variable]
        miss = is_missing(col)
        if k.op == "is_true":
            hit = col.to_numpy(dtype=float, na_value=np.nan) == 1.0
        elif k.op == "below":
            hit = col.to_numpy(dtype=float, na_value=np.nan) < k.value
        elif k.op == "above":
            hit = col.to_numpy(dtype=float, na_value=np.nan) > k.value
        elif k.op == "in":
            hit = col.isin(k.value).to_numpy() & ~miss
        else:  # not_in
            hit = ~col.isin(k.value).to_numpy() & ~miss
        knocked[k.code] = hit
        undecided[k.code] = miss & (not k.optional)
    missing = {name: is_missing(frame[name]) for name in pack.required}

    grade = band_names(pack.grades, score)
    band_decision = band_names(pack.decisions, score)
    severity = pd.Series(band_decision, dtype=object).map(SEVERITY).to_numpy(dtype=int) if n else np.zeros(0, int)

    limit, basis = _limit(pack, frame)
    minimum = float(pack.limit["minimum"])
    below_minimum = ~np.isnan(limit) & (limit < minimum)
    any_knocked = np.zeros(n, dtype=bool)
    for hit in knocked.values():
        any_knocked |= hit
    unsure = np.isnan(limit)
    for miss in list(undecided.values()) + list(missing.values()):
        unsure |= miss
    # Missing data the pack needs: the score alone cannot decide, so an approver looks (refer), and
    # the reasons say what is missing. A knock-out still declines.
    severity = np.where(unsure, 1, severity)
    severity = np.where(any_knocked | below_minimum, 2, severity)
    decision = BY_SEVERITY[severity] if n else np.zeros(0, dtype=object)
    limit = np.where(severity == 2, 0.0, limit)

    rate, term, requested, history_unknown = _pricing(pack, frame, grade)
    rate = np.where(severity == 2, np.nan, rate)
    blocking, other, unworkable = _absent_inputs(pack, frame)
    warnings = _warnings(pack, frame)
    if "tax_trend" in unworkable and "tax_24m_below_12m" in warnings:  # the warning already says why
        unworkable["tax_trend"] = unworkable["tax_trend"] & ~warnings["tax_24m_below_12m"]
    return Evaluation(frame, points, knocked, undecided, missing, grade, band_decision, decision, limit,
                      basis, below_minimum, rate, term, requested, requested > float(pack.term["max_months"]),
                      history_unknown, blocking, other, unworkable, warnings)  # fmt: skip


def inputs_of(variable: str) -> tuple[str, ...]:
    return DERIVED[variable][2] if variable in DERIVED else (variable,)


def input_order(name: str) -> int:
    from loandesk.core.dictionary import DICTIONARY_COLUMNS

    order = DICTIONARY_COLUMNS + list(EXTRA_INPUTS)
    return order.index(name) if name in order else len(order)


def used_variables(pack: RulePack) -> dict[str, str]:
    """Every variable the pack reads -> 'blocking' (without it the decision is at best refer) or
    'points' (without it a factor is scored as missing) or 'pricing' / 'term'."""
    roles: dict[str, str] = {}
    for f in pack.factors:
        roles[f.variable.name] = "points"
    roles["has_loan_history"] = "pricing"
    roles["term_months"] = "term"
    blocking = list(pack.required) + [k.variable for k in pack.knockouts if not k.optional] + list(LIMIT_VARIABLES)
    for name in blocking:
        roles[name] = "blocking"
    return roles


def _size_metric_used(frame: pd.DataFrame, metric_column: str) -> np.ndarray:
    """Rows whose industry's size row (§4) uses this metric."""
    metric = {"employees": "employees", "annual_revenue": "revenue", "total_assets": "assets"}[metric_column]
    codes = [code for code, band in size_table().industries.items() if metric in band.metrics]
    return frame["industry"].isin(codes).to_numpy()


def _absent_inputs(pack: RulePack, frame: pd.DataFrame):
    """Which blank inputs matter, row by row: reported by name, never silently scored."""
    n = len(frame)
    blocking: dict[str, np.ndarray] = {}
    other: dict[str, np.ndarray] = {}
    unworkable: dict[str, np.ndarray] = {}
    for var, role in used_variables(pack).items():
        var_missing = is_missing(frame[var])
        if not var_missing.any():
            continue
        explained = np.zeros(n, dtype=bool)
        for name in inputs_of(var):
            blank = var_missing & is_missing(frame[name])
            if var == "size_class" and name != "industry":
                blank &= _size_metric_used(frame, name)
            explained |= blank
            target = blocking if role == "blocking" else other
            target[name] = target.get(name, np.zeros(n, dtype=bool)) | blank
        if var in DERIVED and (var_missing & ~explained).any():
            unworkable[var] = var_missing & ~explained
    for name, mask in blocking.items():  # a blank that blocks the decision is reported once, as blocking
        if name in other:
            other[name] = other[name] & ~mask
    keep = lambda d: {k: d[k] for k in sorted(d, key=input_order) if d[k].any()}  # noqa: E731
    return keep(blocking), keep(other), {k: v for k, v in unworkable.items() if v.any()}


def _warnings(pack: RulePack, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    col = lambda name: frame[name].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    with np.errstate(invalid="ignore"):
        found = {
            "tax_24m_below_12m": col("tax_paid_24m") < col("tax_paid_12m"),
            "insured_above_employees": col("social_insurance_headcount") > col("employees"),
            "request_far_above_cap": col("requested_amount") > float(pack.limit["product_cap"]) * REQUEST_OVER_CAP,
        }
    return {code: mask for code, mask in found.items() if mask.any()}


def _limit(pack: RulePack, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """min(product cap, tax multiple x average annual tax, revenue share x revenue[, request]), rounded down."""
    rule = pack.limit
    n = len(frame)
    # Each distinct grade looked up once (a million rows hold five grades).
    codes, grades = pd.factorize(frame["tax_grade"].to_numpy(dtype=object), use_na_sentinel=True)
    by_grade = np.array([float(rule["tax_multiple"].get(g, 0.0)) for g in grades] + [np.nan])  # no multiple: 0
    multiples = by_grade[codes]  # code -1 (grade missing) -> NaN
    terms = [
        np.full(n, float(rule["product_cap"])),
        multiples * frame["avg_annual_tax"].to_numpy(dtype=float),
        float(rule["revenue_share"]) * frame["annual_revenue"].to_numpy(dtype=float),
    ]
    if rule.get("cap_at_request", False):
        req = frame["requested_amount"].to_numpy(dtype=float)
        terms.append(np.where(np.isnan(req), np.inf, req))  # no request: the line is not capped by it
    # The smallest term and which one it is, term by term (no n x 4 matrix to build and scan).
    unknown = np.zeros(n, dtype=bool)
    value = np.full(n, np.inf)
    which = np.zeros(n, dtype=np.int64)
    for i, term in enumerate(terms):
        nan = np.isnan(term)
        unknown |= nan
        smaller = ~nan & (term < value)
        value = np.where(smaller, term, value)
        which = np.where(smaller, i, which)
    step = float(rule["round_down_to"]) or 1.0
    value = np.floor(value / step) * step
    value = np.where(unknown, np.nan, value)
    basis = np.array(LIMIT_BASES, dtype=object)[which] if n else np.zeros(0, dtype=object)
    return value, np.where(unknown, None, basis)


def _pricing(pack: RulePack, frame: pd.DataFrame, grade: np.ndarray):
    """LPR (1-year, or 5-year beyond ``long_term_months``) + spread by grade - first-loan discount,
    within floor and cap. Worked in whole basis points so 3.00 + 0.60 is 3.60, not 3.5999999.
    The discount needs a known 'no loan history': a blank is unknown, so no discount (and it is said).
    Returns (rate, approved term, requested term, history unknown)."""
    p, t = pack.pricing, pack.term
    requested = frame["term_months"].to_numpy(dtype=float)
    max_term = float(t["max_months"])
    term = np.where(np.isnan(requested), max_term, np.minimum(requested, max_term))
    base = np.where(term > float(p["long_term_months"]), round(p["lpr_5y"] * 100), round(p["lpr_1y"] * 100))
    spread = pd.Series(grade, dtype=object).map(p["spread_bp"]).fillna(0).to_numpy(dtype=float)
    history = frame["has_loan_history"].to_numpy(dtype=float)
    discount = np.where(history == 0.0, float(p["first_loan_discount_bp"]), 0.0)
    bp = base + spread - discount
    bp = np.clip(bp, round(p["floor"] * 100), round(p["cap"] * 100))
    history_unknown = np.isnan(history) & (float(p["first_loan_discount_bp"]) > 0)
    return bp / 100.0, term, requested, history_unknown
