"""Vectorised evaluation of a rule pack over a frame of typed, derived inputs (one row per applicant).

Everything is numpy over columns, so one applicant (the score panel) and a million (batch files)
go through the same code: points per factor, knock-outs, grade and decision bands, the credit
limit formula and pricing. ``explain.py`` turns one row into words; ``batch.py`` writes files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .pack import RulePack

SEVERITY = {"approve": 0, "refer": 1, "decline": 2}
BY_SEVERITY = np.array(["approve", "refer", "decline"], dtype=object)
LIMIT_BASES = ("product_cap", "tax_multiple", "revenue_share", "request")


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
    term_months: np.ndarray

    def __len__(self) -> int:
        return len(self.frame)


def _is_missing(col: pd.Series) -> np.ndarray:
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
        miss = _is_missing(col)
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
    missing = {name: _is_missing(frame[name]) for name in pack.required}

    grade = band_names(pack.grades, score)
    band_decision = band_names(pack.decisions, score)
    severity = np.array([SEVERITY[d] for d in band_decision], dtype=int) if n else np.zeros(0, dtype=int)

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

    rate, term = _pricing(pack, frame, grade)
    rate = np.where(severity == 2, np.nan, rate)
    return Evaluation(frame, points, knocked, undecided, missing, grade, band_decision, decision, limit,
                      basis, below_minimum, rate, term)  # fmt: skip


def _limit(pack: RulePack, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """min(product cap, tax multiple x average annual tax, revenue share x revenue[, request]), rounded down."""
    rule = pack.limit
    n = len(frame)
    multiples = frame["tax_grade"].map(rule["tax_multiple"]).to_numpy(dtype=float, na_value=np.nan)
    grade_known = ~_is_missing(frame["tax_grade"])
    multiples = np.where(grade_known & np.isnan(multiples), 0.0, multiples)  # a grade with no multiple: 0
    terms = [
        np.full(n, float(rule["product_cap"])),
        multiples * frame["avg_annual_tax"].to_numpy(dtype=float),
        float(rule["revenue_share"]) * frame["annual_revenue"].to_numpy(dtype=float),
    ]
    if rule.get("cap_at_request", False):
        req = frame["requested_amount"].to_numpy(dtype=float)
        terms.append(np.where(np.isnan(req), np.inf, req))  # no request: the line is not capped by it
    stacked = np.vstack(terms)
    unknown = np.isnan(stacked).any(axis=0)
    safe = np.where(np.isnan(stacked), np.inf, stacked)
    which = np.argmin(safe, axis=0)
    value = safe[which, np.arange(n)] if n else np.zeros(0)
    step = float(rule["round_down_to"]) or 1.0
    value = np.floor(value / step) * step
    value = np.where(unknown, np.nan, value)
    basis = np.array(LIMIT_BASES, dtype=object)[which] if n else np.zeros(0, dtype=object)
    return value, np.where(unknown, None, basis)


def _pricing(pack: RulePack, frame: pd.DataFrame, grade: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LPR (1-year, or 5-year beyond ``long_term_months``) + spread by grade - first-loan discount,
    within floor and cap. Worked in whole basis points so 3.00 + 0.60 is 3.60, not 3.5999999."""
    p, t = pack.pricing, pack.term
    requested = frame["term_months"].to_numpy(dtype=float)
    max_term = float(t["max_months"])
    term = np.where(np.isnan(requested), max_term, np.minimum(requested, max_term))
    base = np.where(term > float(p["long_term_months"]), round(p["lpr_5y"] * 100), round(p["lpr_1y"] * 100))
    spread = np.array([p["spread_bp"].get(g, 0) for g in grade], dtype=float) if len(grade) else np.zeros(0)
    history = frame["has_loan_history"].to_numpy(dtype=float)
    discount = np.where(history == 0.0, float(p["first_loan_discount_bp"]), 0.0)
    bp = base + spread - discount
    bp = np.clip(bp, round(p["floor"] * 100), round(p["cap"] * 100))
    return bp / 100.0, term
