"""One applicant's result in words (Chinese and English): factors, knock-outs, reasons, what would change.

"What would change" is found by trying it: each knock-out's fix, each missing field, and for each
factor the nearest better bin is put into a copy of the row and the pack evaluated again, so the
advice can never disagree with the rules.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from loandesk.core.messages import CATALOGUE

from .engine import SEVERITY, Evaluation, evaluate
from .inputs import DERIVED, Problem, variable_label
from .pack import Factor, RulePack

RATIO_VARIABLES = {"invoice_coverage", "social_insurance_ratio", "tax_trend", "request_to_revenue"}
DECISION_LABELS = {"approve": ("approve", "批准"), "refer": ("refer to approver", "提交审批人"),
                   "decline": ("decline", "拒绝")}  # fmt: skip
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
                              "fix_zh": k.fix_zh.format(gap=gap), "fix_en": k.fix_en.format(gap=gap)})  # fmt: skip
    missing = [name for name, miss in ev.missing.items() if miss[row]]
    missing += [k.variable for k in pack.knockouts if ev.undecided[k.code][row] and k.variable not in missing]
    expanded = []
    for name in missing:  # a derived variable is missing because some of its inputs are
        inputs = DERIVED[name][2] if name in DERIVED else (name,)
        gone = [i for i in inputs if i in frame and frame[i].isna().iloc[0]] or [name]
        expanded += [g for g in gone if g not in expanded]
    missing = expanded
    limit = ev.limit[row]
    if np.isnan(limit):
        for name in ("tax_grade", "avg_annual_tax", "annual_revenue"):
            if frame[name].isna().iloc[0] and name not in missing:
                missing.append("tax_paid_24m" if name == "avg_annual_tax" else name)

    reasons = [{"zh": k["zh"], "en": k["en"]} for k in knockouts]
    if missing:
        reasons.append(_both("缺少：{zh}", "missing: {en}", zh="、".join(variable_label(m, "zh") for m in missing),
                             en=", ".join(variable_label(m, "en") for m in missing)))  # fmt: skip
    if ev.below_minimum[row]:
        reasons.append(_both("可授信额度低于最低额度 {m:,} 元", "the limit works out below the minimum of {m:,} yuan",
                             m=int(pack.limit["minimum"])))  # fmt: skip
    shortfalls = sorted(
        ((fa["max_points"] - fa["points"], f) for fa, f in zip(factors, pack.factors, strict=True)),
        key=lambda item: -item[0],
    )
    for gap, f in shortfalls[:3]:
        if gap > 0:
            zh = f.reason_zh or f"{f.variable.label('zh')}得分偏低"
            en = f.reason_en or f"low points for {f.variable.label('en')}"
            reasons.append({"zh": f"{zh}（{_num(gap)} 分差距）", "en": f"{en} ({_num(gap)} points short)"})

    changes = [{"zh": k["fix_zh"], "en": k["fix_en"], "kind": "knockout"} for k in knockouts]
    for m in missing:
        changes.append({**_both("补充{zh}", "provide {en}", zh=variable_label(m, "zh"), en=variable_label(m, "en")),
                        "kind": "missing"})  # fmt: skip
    if not knockouts:
        changes += _improvements(pack, ev, row)
    lpr = {"1y": pack.pricing["lpr_1y"], "5y": pack.pricing["lpr_5y"], "date": str(pack.pricing["lpr_date"])}
    decision = str(ev.decision[row])
    rate = ev.rate[row]
    return ScoreResult(
        score=float(ev.points["score"].iloc[row]), grade=str(ev.grade[row]), decision=decision,
        limit=0 if np.isnan(limit) else int(limit), rate=None if np.isnan(rate) else float(rate),
        size_class=frame["size_class"].iloc[0], term_months=int(ev.term_months[row]),
        revolving=bool(pack.term.get("revolving", False)), factors=factors, knockouts=knockouts,
        reasons=reasons, what_would_change=changes, missing=missing,
        problems=[_problem(p) for p in (problems or [])], pack_id=pack.id, pack_version=pack.version,
        pack_hash=pack.hash, pack_name={"zh": pack.name_zh, "en": pack.name_en},
        limit_basis=ev.limit_basis[row], lpr=lpr, as_of=as_of,
        decision_label=dict(zip(("en", "zh"), DECISION_LABELS[decision], strict=True)),
    )  # fmt: skip


def _num(x: float) -> str:
    return f"{x:g}"


def _problem(p: Problem) -> dict:
    en, zh = CATALOGUE.get(p.code, (p.code, p.code))
    return {"field": p.field, "code": p.code, "en": f"{variable_label(p.field, 'en')}: {en.format(**p.params)}",
            "zh": f"{variable_label(p.field, 'zh')}：{zh.format(**p.params)}"}  # fmt: skip


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
    if f.monotonic == "decreasing":  # better is lower: get under the upper edge of a better bin
        cands = [b for b in reversed(var.bins) if b.points > current_points and (x is None or b.upper <= x)]
        return (float(np.nextafter(cands[0].upper, -np.inf)), cands[0].upper) if cands else None
    cands = [b for b in var.bins if b.points > current_points and (x is None or b.lower > x)]
    return (cands[0].lower, cands[0].lower) if cands else None


def _improvements(pack: RulePack, ev: Evaluation, row: int) -> list[dict]:
    base = ev.frame.iloc[[row]].reset_index(drop=True)
    now_sev = SEVERITY[str(ev.decision[row])]
    now_grade = str(ev.grade[row])
    grade_rank = {g.name: i for i, g in enumerate(pack.grades)}
    found = []
    for f in pack.factors:
        name = f.variable.name
        current = base[name].iloc[0]
        better = _better_value(f, current, float(ev.points[f"{name}_points"].iloc[row]))
        if better is None or not (f.fix_zh and f.fix_en):
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
        text = {"zh": f.fix_zh.format(target=_target_text(name, shown), gap=gap),
                "en": f.fix_en.format(target=_target_text(name, shown), gap=gap)}  # fmt: skip
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
