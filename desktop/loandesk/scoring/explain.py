"""One applicant's result in words (Chinese and English): factors, knock-outs, reasons, what would change.

"What would change" is found by trying it: each knock-out's fix, each missing field, and for each
factor the nearest better bin is put into a copy of the row and the pack evaluated again, so the
advice can never disagree with the rules.

Reasons say every blank input the pack uses (those the decision needs, then those that only cost
points), inconsistent inputs, a shortened term or an unknown loan history, and the factors furthest
below their best -- never a factor whose value is missing. ``reason_items`` builds them for one row;
a batch file's ``reasons`` column is built with the same function once per distinct outcome
(``reasons.reason_texts``), so a file and a single result always say the same thing.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from loandesk.core.decisions import DECISION_WORDS

from .engine import REQUEST_OVER_CAP, SEVERITY, WARNINGS, Evaluation, evaluate, is_missing
from .inputs import Problem, problem_message, variable_label
from .pack import Factor, RulePack
from .wording import fill, uses_gap

RATIO_VARIABLES = {"invoice_coverage", "social_insurance_ratio", "tax_trend", "request_to_revenue"}
# The one word per decision used everywhere (core.decisions), lower-cased for running English text.
DECISION_LABELS = {code: (en.lower(), zh) for code, (en, zh) in DECISION_WORDS.items()}
LIMIT_BASIS_LABELS = {
    "product_cap": ("the product cap", "产品上限"),
    "tax_multiple": ("the multiple of average annual tax", "年均纳税额倍数"),
    "revenue_share": ("the share of annual revenue", "营业收入比例"),
    "request": ("the amount requested", "申请金额"),
}


@dataclass
class ScoreResult:
    score: float
    grade: str
    decision: str
    limit: int
    rate: float | None
    size_class: str | None
    term_months: int
    revolving: bool
    factors: list[dict]
    knockouts: list[dict]
    reasons: list[dict]
    what_would_change: list[dict]
    missing: list[str]
    problems: list[dict]
    pack_id: str
    pack_version: str
    pack_hash: str
    pack_name: dict
    limit_basis: str | None
    lpr: dict
    as_of: str
    decision_label: dict = field(default_factory=dict)
    flags: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # inconsistent inputs to check (code, zh, en)
    term_requested: int | None = None
    term_shortened: bool = False  # the request was over the product's maximum term
    validity_months: int | None = None  # a revolving line: how long it can be drawn on

    def to_dict(self) -> dict:
        return asdict(self)

    def texts(self, key: str, lang: str = "zh") -> list[str]:
        return [item[lang] for item in getattr(self, key)]


def _fmt_value(name: str, value) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return round(value, 4) if name in RATIO_VARIABLES else (int(value) if value.is_integer() else value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _target_text(name: str, target) -> str:
    if isinstance(target, str):
        return target
    if name in RATIO_VARIABLES:
        return f"{target:.0%}"
    return f"{target:,.0f}"


def _both(template_zh: str, template_en: str, **params) -> dict:
    return {"zh": template_zh.format(**params), "en": template_en.format(**params)}


def explain(pack: RulePack, ev: Evaluation, row: int = 0, problems: list[Problem] | None = None,
            as_of: str = "") -> ScoreResult:  # fmt: skip
    frame = ev.frame.iloc[[row]]
    factors = []
    for f in pack.factors:
        var = f.variable
        factors.append({
            "variable": var.name, "label_zh": var.label("zh"), "label_en": var.label("en"),
            "value": _fmt_value(var.name, frame[var.name].iloc[0]),
            "points": float(ev.points[f"{var.name}_points"].iloc[row]),
            "max_points": var.max_points, "min_points": var.min_points,
        })  # fmt: skip
    knockouts = []
    for k in pack.knockouts:
        if ev.knocked[k.code][row]:
            gap = ""
            if k.op == "below":
                gap = math.ceil(k.value - float(frame[k.variable].iloc[0]))
            knockouts.append({"code": k.code, "zh": k.reason_zh, "en": k.reason_en,
                              "fix_zh": fill(k.fix_zh, gap=gap), "fix_en": fill(k.fix_en, gap=gap)})  # fmt: skip
    missing = missing_inputs(ev, row)
    limit = ev.limit[row]
    idx, gaps = shortfalls(pack, ev)
    reasons = [{"zh": r["zh"], "en": r["en"]} for r in reason_items(pack, ev, row, idx, gaps)]
    warnings = [{"code": code, **_warning_text(pack, code)} for code, hit in ev.warnings.items() if hit[row]]

    changes = [{"zh": k["fix_zh"], "en": k["fix_en"], "kind": "knockout"} for k in knockouts]
    for m in missing:
        changes.append({**_both("补充{zh}", "provide {en}", zh=variable_label(m, "zh"), en=variable_label(m, "en")),
                        "kind": "missing"})  # fmt: skip
    if not knockouts:
        changes += _improvements(pack, ev, row)
    lpr = {"1y": pack.pricing["lpr_1y"], "5y": pack.pricing["lpr_5y"], "date": str(pack.pricing["lpr_date"])}
    decision = str(ev.decision[row])
    rate = ev.rate[row]
    requested = ev.term_requested[row]
    revolving = bool(pack.term.get("revolving", False))
    validity = pack.term.get("validity_months")
    return ScoreResult(
        score=float(ev.points["score"].iloc[row]), grade=str(ev.grade[row]), decision=decision,
        limit=0 if np.isnan(limit) else int(limit), rate=None if np.isnan(rate) else float(rate),
        size_class=frame["size_class"].iloc[0], term_months=int(ev.term_months[row]),
        revolving=revolving, factors=factors, knockouts=knockouts,
        reasons=reasons, what_would_change=changes, missing=missing,
        problems=[_problem(p) for p in (problems or [])], pack_id=pack.id, pack_version=pack.version,
        pack_hash=pack.hash, pack_name={"zh": pack.name_zh, "en": pack.name_en},
        limit_basis=ev.limit_basis[row], lpr=lpr, as_of=as_of,
        decision_label=dict(zip(("en", "zh"), DECISION_LABELS[decision], strict=True)),
        warnings=warnings, term_requested=None if np.isnan(requested) else int(requested),
        term_shortened=bool(ev.term_shortened[row]),
        validity_months=int(validity) if revolving and validity is not None else None,
    )  # fmt: skip


def missing_inputs(ev: Evaluation, row: int) -> list[str]:
    """Every blank input the pack uses for this row: first those the decision needs, then the rest."""
    names = [name for name, hit in ev.absent_blocking.items() if hit[row]]
    return names + [name for name, hit in ev.absent_other.items() if hit[row] and name not in names]


# ---- reasons: one builder for a single result and for a batch file's reasons column --------------------
SHORTFALLS = 3  # how many factors furthest below their best are named
OWN_SENTENCE = ("has_loan_history", "term_months")  # blanks that get a sentence of their own


def shortfalls(pack: RulePack, ev: Evaluation) -> tuple[np.ndarray, np.ndarray]:
    """(factor index, points short) of the factors furthest below their best, per row, worst first;
    index -1 where there is none. A factor whose value is missing is not described: what is missing
    is reported instead, so a reason never describes a value nobody gave."""
    n, count = len(ev), len(pack.factors)
    k = min(SHORTFALLS, count)
    if not k:
        return np.full((n, 0), -1), np.zeros((n, 0))
    gap = np.column_stack([f.variable.max_points - ev.points[f"{f.variable.name}_points"].to_numpy(dtype=float)
                           for f in pack.factors])  # fmt: skip
    for j, f in enumerate(pack.factors):
        gap[:, j] = np.where(is_missing(ev.frame[f.variable.name]), 0.0, gap[:, j])
    order = np.argsort(-gap, axis=1, kind="stable")[:, :k]
    worst = np.take_along_axis(gap, order, axis=1)
    return np.where(worst > 0, order, -1), np.where(worst > 0, worst, 0.0)


@functools.lru_cache(maxsize=4096)
def _labels(names: tuple[str, ...]) -> dict:
    """Labels joined in both languages (cached: a batch names the same few sets of fields again and again;
    callers copy the dict before changing it)."""
    return {"zh": "、".join(variable_label(m, "zh") for m in names),
            "en": ", ".join(variable_label(m, "en") for m in names)}  # fmt: skip


def _warning_text(pack: RulePack, code: str) -> dict:
    en, zh = WARNINGS[code]
    return {"zh": zh.format(times=REQUEST_OVER_CAP), "en": en.format(times=REQUEST_OVER_CAP)}


def reason_items(pack: RulePack, ev: Evaluation, row: int, idx: np.ndarray, gaps: np.ndarray) -> list[dict]:
    """The reasons for one row, in Chinese and English, each with its kind. Reads only what
    ``reasons.reason_texts`` keys on, so a batch file says exactly what the single result says."""
    items: list[dict] = []
    declined = str(ev.decision[row]) == "decline"
    for k in pack.knockouts:
        if ev.knocked[k.code][row]:
            items.append({"zh": k.reason_zh, "en": k.reason_en, "kind": "knockout"})
    blocking = tuple(name for name, hit in ev.absent_blocking.items() if hit[row])
    if blocking:
        t = _labels(blocking)
        items.append({**_both("缺少：{zh}", "missing: {en}", **t), "kind": "missing"})
    other = tuple(name for name, hit in ev.absent_other.items() if hit[row] and (declined or name not in OWN_SENTENCE))
    if other:
        t = _labels(other)
        items.append({**_both("未提供：{zh}（按缺失计分）", "not provided: {en} (scored as missing)", **t),
                      "kind": "missing"})
    unworkable = tuple(name for name, hit in ev.unworkable.items() if hit[row])
    if unworkable:
        t = _labels(unworkable)
        items.append({**_both("无法计算：{zh}", "cannot be worked out: {en}", **t), "kind": "missing"})
    if ev.below_minimum[row]:
        items.append({**_both("可授信额度低于最低额度 {m:,} 元", "the limit works out below the minimum of {m:,} yuan",
                              m=int(pack.limit["minimum"])), "kind": "limit"})  # fmt: skip
    for code, hit in ev.warnings.items():
        if hit[row]:
            items.append({**_warning_text(pack, code), "kind": "warning"})
    if not declined:
        longest = int(pack.term["max_months"])
        if ev.history_unknown[row]:
            bp = _num(float(pack.pricing["first_loan_discount_bp"]))
            items.append({**_both("未提供有无贷款记录：按非首贷户定价，不享受 {bp} 个基点的首贷优惠",
                                  "loan history not given: priced without the first-loan discount of {bp} basis "
                                  "points", bp=bp), "kind": "pricing"})  # fmt: skip
        requested = ev.term_requested[row]
        if np.isnan(requested):
            items.append({**_both("未提供申请期限：按产品最长期限 {m} 个月", "no term requested: the product's maximum "
                                  "of {m} months is used", m=longest), "kind": "term"})  # fmt: skip
        elif ev.term_shortened[row]:
            text = _both("申请期限 {r} 个月超过产品最长期限 {m} 个月，按 {m} 个月核定",
                         "the requested term of {r} months is over the product's maximum of {m}: approved for "
                         "{m} months", r=_num(float(requested)), m=longest)  # fmt: skip
            items.append({**text, "kind": "term"})
    items += shortfall_items(pack, idx[row], gaps[row])
    return items


def shortfall_items(pack: RulePack, idx_row: np.ndarray, gaps_row: np.ndarray) -> list[dict]:
    items = []
    for i, gap in zip(idx_row.tolist(), gaps_row.tolist(), strict=True):
        if i < 0:
            continue
        f = pack.factors[i]
        zh = f.reason_zh or f"{f.variable.label('zh')}得分偏低"
        en = f.reason_en or f"low points for {f.variable.label('en')}"
        items.append({"zh": f"{zh}（{_num(gap)} 分差距）", "en": f"{en} ({_num(gap)} points short)", "kind": "points"})
    return items


def _num(x: float) -> str:
    return f"{x:g}"


def _problem(p: Problem) -> dict:
    return {"field": p.field, "code": p.code,
            "en": f"{variable_label(p.field, 'en')}: {problem_message(p.code, p.params, 'en')}",
            "zh": f"{variable_label(p.field, 'zh')}：{problem_message(p.code, p.params, 'zh')}"}  # fmt: skip


def _better_value(f: Factor, current, current_points: float):
    """(value to try, value to show) for the nearest bin earning more points than now, or None."""
    var = f.variable
    if var.kind == "categorical":
        lookup = {m: b.points for b in var.bins for m in b.members}
        order = list(f.better) or sorted(lookup, key=lookup.get)
        start = order.index(current) + 1 if current in order else 0
        for cand in order[start:]:
            if lookup.get(cand, var.other_points) > current_points:
                return cand, cand
        return None
    x = None if current is None or pd.isna(current) else float(current)
    # Bins without an edge (a card's missing or special-value rows) are no value one can move to.
    if f.monotonic == "decreasing":  # better is lower: get under the upper edge of a better bin
        cands = [b for b in reversed(var.bins) if b.upper is not None and b.points > current_points
                 and (x is None or b.upper <= x)]  # fmt: skip
        return (float(np.nextafter(cands[0].upper, -np.inf)), cands[0].upper) if cands else None
    cands = [b for b in var.bins if b.lower is not None and math.isfinite(b.lower) and b.points > current_points
             and (x is None or b.lower > x)]  # fmt: skip
    return (cands[0].lower, cands[0].lower) if cands else None


def _improvements(pack: RulePack, ev: Evaluation, row: int) -> list[dict]:
    base = ev.frame.iloc[[row]].reset_index(drop=True)
    now_sev = SEVERITY[str(ev.decision[row])]
    now_grade = str(ev.grade[row])
    grade_rank = {g.name: i for i, g in enumerate(pack.grades)}
    found = []
    for f in pack.factors:
        if not (f.fix_zh and f.fix_en):  # nothing to tell the applicant (e.g. an imported card's variable)
            continue
        name = f.variable.name
        current = base[name].iloc[0]
        if (current is None or pd.isna(current)) and uses_gap(f.fix_zh + f.fix_en):
            continue  # no value, no gap to close: "provide it" is advised among the missing inputs
        better = _better_value(f, current, float(ev.points[f"{name}_points"].iloc[row]))
        if better is None:
            continue
        target, shown = better
        variant = base.copy()
        if isinstance(target, str):
            variant[name] = pd.Series([target], dtype=object)
        else:
            variant[name] = float(target)
        if name == "avg_annual_tax":
            variant["tax_paid_24m"] = float(target) * 2
        after = evaluate(pack, variant)
        sev, grade = SEVERITY[str(after.decision[0])], str(after.grade[0])
        gain = float(after.points["score"].iloc[0] - ev.points["score"].iloc[row])
        if gain <= 0:
            continue
        gap = ""
        if not isinstance(target, str) and current is not None and not pd.isna(current):
            gap = math.ceil(float(target) - float(current))
        target_text = _target_text(name, shown)
        text = {"zh": fill(f.fix_zh, target=target_text, gap=gap), "en": fill(f.fix_en, target=target_text, gap=gap)}
        outcome = ""
        if sev < now_sev:
            zh, en = DECISION_LABELS[str(after.decision[0])][1], DECISION_LABELS[str(after.decision[0])][0]
            outcome = ("decision", f"，可{zh}", f", and the decision becomes {en}")
        elif grade_rank.get(grade, 0) > grade_rank.get(now_grade, 0):
            outcome = ("grade", f"，评级升至 {grade}", f", and the grade becomes {grade}")
        text = {"zh": text["zh"] + f"（+{_num(gain)} 分{outcome[1] if outcome else ''}）",
                "en": text["en"] + f" (+{_num(gain)} points{outcome[2] if outcome else ''})"}  # fmt: skip
        rank = (0 if outcome and outcome[0] == "decision" else 1 if outcome else 2, -gain)
        found.append((rank, {**text, "kind": outcome[0] if outcome else "points", "variable": name}))
    found.sort(key=lambda item: item[0])
    return [item for _, item in found[:4]]
