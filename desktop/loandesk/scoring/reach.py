"""Can a rule pack approve anyone? Worked out from the pack alone, before it is installed.

Every figure may be right on its own and the pack still approve nobody: the approve band above the
highest score the factors can add up to, knock-outs that between them decline every tax grade, a
minimum limit above the product cap. Such a pack is refused, naming the key to change. A band that no
score reaches (a grade nobody can get) is only a warning: the pack still decides.

The score range is the base points plus, for each factor, its lowest and highest points. For the
highest, a factor counts only the bins an applicant who passes the knock-outs can fall in (a pack
that knocks out tax grades C and D cannot count on their points), and never its missing points when
a missing value would stop an approval anyway.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pack import Band, Factor, Knockout, _Checker


def check_reachable(c: _Checker, base: float, knockouts: list[Knockout], factors: list[Factor], grades: list[Band],
                    decisions: list[Band], limit: dict, required: tuple[str, ...]) -> tuple[float, float]:  # fmt: skip
    """Refuse (``c.fail``) a pack under which no applicant could be approved; warn about bands no score
    reaches. Returns the (lowest, highest) score the pack can give."""
    allowed, span = _survivors(c, knockouts)
    lowest, highest = base, base
    for f in factors:
        low, high = _factor_range(f, allowed, span, blocking=f.variable.name in required)
        lowest, highest = lowest + low, highest + high
    _approve_reachable(c, decisions, lowest, highest, base)
    _limit_reachable(c, limit, allowed)
    for kind, bands in (("grade", grades), ("decision", decisions)):
        for b in bands:
            if not (b.lower <= highest and b.upper > lowest):
                c.warn(b.key, f"no score reaches {kind} '{b.name}' [{b.lower:g}, {b.upper:g}): scores run from "
                       f"{lowest:g} to {highest:g}",
                       f"任何分数都达不到{'评级' if kind == 'grade' else '决定'}“{b.name}”[{b.lower:g}, {b.upper:g})："
                       f"分数范围为 {lowest:g} 至 {highest:g}")  # fmt: skip
    return lowest, highest


def _survivors(c: _Checker, knockouts: list[Knockout]) -> tuple[dict[str, set[str]], dict[str, list[float]]]:
    """What an applicant who passes every knock-out can still have: the values left of each variable with
    a closed set of values, and the [lowest, highest] left of each numeric variable a knock-out bounds.
    Refuses knock-outs that between them leave nothing (every applicant who gives the field is declined)."""
    from .pack import DOMAINS

    allowed: dict[str, set[str]] = {}
    span: dict[str, list[float]] = {}
    for i, k in enumerate(knockouts):
        key = f"knockout[{i}].{k.op}"
        if k.op in ("in", "not_in") and k.variable in DOMAINS:
            left = allowed.setdefault(k.variable, set(DOMAINS[k.variable]))
            listed = {str(v) for v in k.value}
            left.intersection_update(listed) if k.op == "not_in" else left.difference_update(listed)
            if not left:
                c.fail(key, f"with the knock-outs before it, this declines every applicant: no {k.variable} value "
                       f"({', '.join(DOMAINS[k.variable])}) is left",
                       f"与前面的否决规则一起，此规则否决所有申请人：{k.variable} 已无可通过的取值"
                       f"（{'、'.join(DOMAINS[k.variable])}）")  # fmt: skip
        elif k.op in ("below", "above"):
            bounds = span.setdefault(k.variable, [-math.inf, math.inf])
            if k.op == "below":  # a value under it is declined
                bounds[0] = max(bounds[0], k.value)
            else:
                bounds[1] = min(bounds[1], k.value)
            if bounds[0] > bounds[1]:
                c.fail(key, f"with the knock-outs before it, this declines every applicant: {k.variable} would have "
                       f"to be at least {bounds[0]:g} and at most {bounds[1]:g}",
                       f"与前面的否决规则一起，此规则否决所有申请人：{k.variable} 须不小于 {bounds[0]:g} 且不大于 "
                       f"{bounds[1]:g}")  # fmt: skip
    return allowed, span


def _factor_range(f: Factor, allowed: dict[str, set[str]], span: dict[str, list[float]],
                  blocking: bool) -> tuple[float, float]:  # fmt: skip
    """(lowest, highest) points of one factor; the highest among what an applicant passing the
    knock-outs can score."""
    var = f.variable
    every = [b.points for b in var.bins] + [var.missing_points, *var.special_points.values()]
    if var.kind == "categorical" or var.dialect != "pack":
        every.append(var.other_points)  # a category in no bin (cards: a value matching no bin)
    if var.dialect != "pack":  # an imported card: its awkward values (specials, no match) may land anywhere
        return min(every), max(every)
    best: list[float] = [] if blocking else [var.missing_points]
    if var.kind == "categorical":
        left = allowed.get(var.name)
        listed = {m for b in var.bins for m in b.members}
        best += [b.points for b in var.bins if left is None or left & set(b.members)]
        if left is None or left - listed:
            best.append(var.other_points)
    else:
        lo, hi = span.get(var.name, (-math.inf, math.inf))
        best += [b.points for b in var.bins if b.lower <= hi and b.upper > lo]
    return min(every), max(best or every)


def _approve_reachable(c: _Checker, decisions: list[Band], lowest: float, highest: float, base: float) -> None:
    approve = [b for b in decisions if b.name == "approve"]
    if not approve:
        c.fail("decision", "no band gives 'approve': no applicant could ever be approved",
               "没有给出 approve（批准）的区间：任何申请人都无法获批")  # fmt: skip
    if not any(b.lower <= highest and b.upper > lowest for b in approve):
        b = approve[0]
        c.fail(f"{b.key}.lower", f"'approve' needs a score of at least {b.lower:g}, but the highest score the pack can "
               f"give is {highest:g} (base points {base:g} plus every factor's best points for an applicant who passes "
               "the knock-outs): no applicant could ever be approved",
               f"“approve”（批准）须不低于 {b.lower:g} 分，而本规则包最高只能得 {highest:g} 分（基础分 {base:g} 加上"
               "通过否决规则的申请人在各因子的最高分）：任何申请人都无法获批")  # fmt: skip


def _limit_reachable(c: _Checker, limit: dict, allowed: dict[str, set[str]]) -> None:
    """Approval needs a limit of at least the minimum: min(cap, multiple x tax, share x revenue), rounded down."""
    from .pack import DOMAINS

    cap, step = float(limit["product_cap"]), float(limit["round_down_to"]) or 1.0
    minimum = float(limit["minimum"])
    grades = allowed.get("tax_grade", set(DOMAINS["tax_grade"]))
    if not any(float(m) > 0 for g, m in limit["tax_multiple"].items() if g in grades):
        c.fail("limit.tax_multiple", "no tax grade that passes the knock-outs has a multiple above 0: every limit "
               f"would be 0 and every applicant declined (grades left: {', '.join(sorted(grades))})",
               "通过否决规则的纳税信用等级均无大于 0 的倍数：额度都将为 0，所有申请人都会被拒绝"
               f"（可通过的等级：{'、'.join(sorted(grades))}）")  # fmt: skip
    if float(limit["revenue_share"]) <= 0:
        c.fail("limit.revenue_share", "0 makes every limit 0: every applicant would be declined",
               "为 0 时额度都为 0，所有申请人都会被拒绝")  # fmt: skip
    best = math.floor(cap / step) * step
    if best <= 0:
        c.fail("limit.round_down_to", f"rounding down to a multiple of {step:g} leaves nothing of the product cap "
               f"{cap:g}: every limit would be 0",
               f"按 {step:g} 的倍数向下取整后，产品上限 {cap:g} 变为 0：额度都将为 0")  # fmt: skip
    if minimum > best:
        c.fail("limit.minimum", f"{minimum:g} is above the largest limit the pack can give ({best:g}: the product cap, "
               "rounded down): every applicant would be declined",
               f"{minimum:g} 高于本规则包能给出的最高额度（{best:g}，即产品上限向下取整）："
               "所有申请人都会被拒绝")  # fmt: skip
