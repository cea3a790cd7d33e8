"""Checking a parsed rule pack key by key: types, ranges, bins and bands, advice texts.

``Checker`` reads values out of the TOML tables and raises ``PackError`` naming the key and the line
where it is written, in English and Chinese; ``strict=False`` keeps only the checks every stored pack
has passed (replaying old decisions).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re

from .card import CATEGORICAL, NUMERIC, Bin, Card, Variable
from .inputs import variable_label
from .pack_model import (
    ALLOWED,
    DOMAINS,
    MAX_BANDS,
    MAX_BINS,
    MAX_POINTS,
    MAX_TEXT,
    MAX_VALUES,
    Band,
    Factor,
    Knockout,  # fmt: skip
    PackError,
)
from .wording import template_problem


class Checker:
    """Reads keys and raises PackError with the line where the key can be found."""

    def __init__(self, source: str, text: str, strict: bool = True):
        self.source = source
        self.lines = text.splitlines()
        self.strict = strict  # False: only the checks every stored pack has passed (see parse_pack)
        self.warnings: list[dict] = []

    def line_of(self, key: str, leaf_first: bool = False) -> int | None:
        # "factor[2].bins[1].lower" -> the 3rd [[factor]] header, then the first line after it naming a leaf.
        parts = re.findall(r"([A-Za-z_][A-Za-z_0-9]*)(?:\[(\d+)\])?", key)
        start = 0
        if parts:
            table, index = parts[0]
            pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*$")
            seen = -1
            for n, line in enumerate(self.lines):
                if pattern.match(line):
                    seen += 1
                    if seen == int(index or 0):
                        start = n
                        break
            else:
                plain = [n for n, line in enumerate(self.lines) if re.match(rf"^\s*{re.escape(table)}\s*=", line)]
                return plain[0] + 1 if plain else None
        leaf = parts[-1][0] if len(parts) > 1 else None
        if leaf is None:
            return start + 1
        hits = [n for n in range(start, len(self.lines)) if re.search(rf"\b{re.escape(leaf)}\s*=", self.lines[n])]
        if not hits:
            return start + 1
        if len(parts) > 2 and parts[-2][1] and not leaf_first:  # the n-th inline entry of a list, e.g. bins[3]
            entries = [n for n in range(start, len(self.lines)) if re.match(r"^\s*\{", self.lines[n])]
            idx = int(parts[-2][1])
            if idx < len(entries):
                return entries[idx] + 1
        return hits[0] + 1

    def fail(self, key: str, en: str, zh: str):
        raise PackError(self.source, key, en, zh, self.line_of(key))

    def warn(self, key: str, en: str, zh: str) -> None:
        self.warnings.append({"key": key, "line": self.line_of(key), "en": en, "zh": zh})

    def keys(self, table: dict, kind: str, prefix: str) -> None:
        """Refuse a key the pack format does not have (a misspelling would otherwise be ignored)."""
        if not self.strict:
            return
        allowed = ALLOWED[kind]
        for name in table:
            if name not in allowed:
                key = f"{prefix}.{name}" if prefix else name
                hint = ", ".join(allowed)
                line = self.line_of(key, leaf_first=True)
                raise PackError(self.source, key, f"unknown key '{name}' (allowed here: {hint})",
                                f"未知的键“{name}”（此处可用：{hint}）", line)  # fmt: skip

    def tables(self, parent: dict, key: str, limit: int | None = None) -> list[dict]:
        """An array of tables ([[knockout]], [[factor]], ...); each is checked to be a table."""
        rows = parent.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            self.fail(key, f"must be written as [[{key}]] tables", f"应写成 [[{key}]] 表")
        self.at_most(rows, key, limit)
        return rows

    def at_most(self, rows: list, key: str, limit: int | None) -> None:
        if self.strict and limit is not None and len(rows) > limit:
            self.fail(key, f"{len(rows)} entries: at most {limit} are accepted", f"共 {len(rows)} 项，最多 {limit} 项")

    def array(self, table: dict, key: str, optional: bool = False) -> list:
        leaf = key.rsplit(".", 1)[-1]
        if optional and leaf not in table:
            return []
        value = self.get(table, key)
        if self.strict and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            self.fail(key, "must be a list of names", "应为名称列表")
        return list(value)

    def boolean(self, table: dict, key: str) -> bool:
        value = self.get(table, key)
        if self.strict and not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {value!r}", f"应为 true 或 false，实际为 {value!r}")
        return bool(value)

    def whole(self, table: dict, key: str, minimum: int = 0, maximum: int | None = None) -> int:
        if not self.strict:
            return self.number(table, key)
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"must be a whole number of at least {minimum}, got {value!r}",
                      f"应为不小于 {minimum} 的整数，实际为 {value!r}")  # fmt: skip
        if maximum is not None and value > maximum:
            self.fail(key, f"must be a whole number from {minimum} to {maximum}, got {value!r}",
                      f"应为 {minimum} 至 {maximum} 的整数，实际为 {value!r}")  # fmt: skip
        return value

    def get(self, table: dict, key: str):
        leaf = key.rsplit(".", 1)[-1]
        if leaf not in table:
            self.fail(key, "is missing", "缺失")
        return table[leaf]

    def table(self, parent: dict, key: str) -> dict:
        value = self.get(parent, key)
        if not isinstance(value, dict):
            self.fail(key, "must be a table", "应为表")
        return value

    def string(self, table: dict, key: str) -> str:
        value = self.get(table, key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty string, got {_shown(value)}",
                      f"应为非空字符串，实际为 {_shown(value)}")  # fmt: skip
        return value

    def name(self, table: dict, key: str) -> str:
        """An identifier people read and files name: a quoted string of at most ``MAX_TEXT`` printable characters."""
        value = self.string(table, key)
        if self.strict and (len(value) > MAX_TEXT or not value.isprintable()):
            self.fail(key, f"must be at most {MAX_TEXT} printable characters", f"应为不超过 {MAX_TEXT} 个可打印字符")
        return value

    def number(self, table: dict, key: str, minimum: float | None = None, maximum: float | None = None, *,
               above: bool = False) -> float:  # fmt: skip
        """A finite number (never true/false); within [minimum, maximum] (``above``: more than minimum)."""
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number, got {_shown(value)}", f"应为数字，实际为 {_shown(value)}")
        low_ok = minimum is None or (value > minimum if above else value >= minimum)
        if self.strict and (not low_ok or (maximum is not None and value > maximum)):
            low = "" if minimum is None else f"{'above' if above else 'from'} {minimum:g}"
            low_zh = "" if minimum is None else f"{'大于' if above else '不小于'} {minimum:g}"
            high, high_zh = ("", "") if maximum is None else (f"at most {maximum:g}", f"不大于 {maximum:g}")
            self.fail(key, f"must be {' and '.join(filter(None, (low, high)))}, got {value:g}",
                      f"应{' 且'.join(filter(None, (low_zh, high_zh)))}，实际为 {value:g}")  # fmt: skip
        return float(value)

    def values(self, value, key: str, variable: str) -> None:
        """The values of a knock-out's in/not_in or a category bin: names or numbers (strict: of the
        variable's closed set of values, when it has one)."""
        if not self.strict:
            return
        if len(value) > MAX_VALUES:
            self.fail(key, f"{len(value)} values: at most {MAX_VALUES} are accepted",
                      f"共 {len(value)} 个值，最多 {MAX_VALUES} 个")  # fmt: skip
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                self.fail(key, f"must list names or numbers, got {_shown(v)}", f"应列出名称或数字，实际为 {_shown(v)}")
        domain = DOMAINS.get(variable)
        if domain:
            for v in value:
                if str(v) not in domain:
                    self.fail(key, f"'{v}' is not a {variable} value ({', '.join(domain)}): no applicant can have it",
                              f"“{v}”不是 {variable} 的取值（{'、'.join(domain)}），不会有申请人取此值")  # fmt: skip

    def card_points(self, card: Card) -> None:
        """An imported card's base and points within the same bounds as a pack's own."""
        if not self.strict:
            return
        where = "scorecard.file"
        if not -MAX_POINTS <= card.base_points <= MAX_POINTS:
            self.fail(where, f"the card's base points {card.base_points:g} are not within +/-{MAX_POINTS:,}",
                      f"评分卡基础分 {card.base_points:g} 超出 ±{MAX_POINTS:,}")  # fmt: skip
        for var in card.variables:
            points = [b.points for b in var.bins] + [var.missing_points, var.other_points, *var.special_points.values()]
            bad = [p for p in points if not (math.isfinite(p) and -MAX_POINTS <= p <= MAX_POINTS)]
            if bad:
                self.fail(where, f"the card's variable '{var.name}' has points {bad[0]:g}, "
                          f"not within +/-{MAX_POINTS:,}",
                          f"评分卡变量“{var.name}”的分值 {bad[0]:g} 超出 ±{MAX_POINTS:,}")  # fmt: skip

    def advice(self, table: dict, key: str) -> None:
        """The advice texts fill in only {gap} and {target} ({gap:one|other} for a plural): a typo such
        as {gpa} would otherwise fail the first time a borrower is advised, not when the pack is installed."""
        if not self.strict:
            return
        for t in ("fix_zh", "fix_en"):
            if isinstance(table.get(t), str):
                problem = template_problem(table[t])
                if problem:
                    self.fail(f"{key}.{t}", *problem)

    def date(self, table: dict, key: str) -> dt.date:
        value = self.get(table, key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(key, "must be a date like 2026-01-01", "应为日期，如 2026-01-01")

    def knockout(self, k: dict, key: str, known: set) -> Knockout:
        self.keys(k, "knockout", key)
        code = self.string(k, f"{key}.code")
        variable = self.string(k, f"{key}.variable")
        if variable not in known:
            self.fail(f"{key}.variable", f"unknown field '{variable}'", f"未知字段“{variable}”")
        ops = [op for op in ("in", "not_in", "is_true", "below", "above") if op in k]
        if len(ops) != 1:
            self.fail(key, "needs exactly one of in, not_in, is_true, below, above",
                      "须且只能有 in、not_in、is_true、below、above 之一")  # fmt: skip
        op = ops[0]
        value = k[op]
        if op in ("below", "above"):
            value = self.number(k, f"{key}.{op}")
        elif op in ("in", "not_in") and not (isinstance(value, list) and value):
            self.fail(f"{key}.{op}", "must be a non-empty list", "应为非空列表")
        if op in ("in", "not_in"):
            self.values(value, f"{key}.{op}", variable)
        elif op == "is_true" and value is not True and self.strict:
            self.fail(f"{key}.is_true", f"must be true, got {value!r} (a rule 'is_true = false' would never be "
                      "checked; to decline on 'no', ask for a field that is true in that case)",
                      f"应为 true，实际为 {value!r}（is_true = false 的规则永远不会生效）")  # fmt: skip
        texts = [self.string(k, f"{key}.{t}") for t in ("reason_zh", "reason_en", "fix_zh", "fix_en")]
        self.advice(k, key)
        optional = self.boolean(k, f"{key}.optional") if "optional" in k else False
        return Knockout(code, variable, op, value, *texts, optional=optional)

    def factor(self, f: dict, key: str, known: set) -> Factor:
        self.keys(f, "factor", key)
        name = self.string(f, f"{key}.variable")
        if name not in known:
            self.fail(f"{key}.variable", f"unknown field '{name}'", f"未知字段“{name}”")
        rows = self.get(f, f"{key}.bins")
        if not isinstance(rows, list) or not rows:
            self.fail(f"{key}.bins", "must be a non-empty list", "应为非空列表")
        self.at_most(rows, f"{key}.bins", MAX_BINS)
        if not isinstance(rows[0], dict):
            self.fail(f"{key}.bins[0]", "must be a table", "应为表")
        categorical = "values" in rows[0]
        bins: list[Bin] = []
        for j, b in enumerate(rows):
            bkey = f"{key}.bins[{j}]"
            if not isinstance(b, dict):
                self.fail(bkey, "must be a table", "应为表")
            self.keys(b, "bin", bkey)
            points = self.number(b, f"{bkey}.points", -MAX_POINTS, MAX_POINTS)
            if categorical:
                values = b.get("values")
                if not isinstance(values, list) or not values:
                    self.fail(f"{bkey}.values", "must be a non-empty list", "应为非空列表")
                self.values(values, f"{bkey}.values", name)
                bins.append(Bin("/".join(map(str, values)), points, members=tuple(str(v) for v in values)))
            else:
                if "values" in b:
                    self.fail(bkey, "mixes category and numeric bins", "分类分箱与数值分箱混用")
                lo = self.number(b, f"{bkey}.lower") if "lower" in b else -math.inf
                hi = self.number(b, f"{bkey}.upper") if "upper" in b else math.inf
                if lo >= hi:
                    self.fail(bkey, f"lower {lo} is not below upper {hi}", f"下限 {lo} 不小于上限 {hi}")
                bins.append(Bin(_interval_label(lo, hi), points, lo, hi))
        if categorical:
            seen: dict[str, int] = {}
            for j, b in enumerate(bins):
                for m in b.members:
                    if m in seen:
                        self.fail(f"{key}.bins[{j}].values", f"'{m}' is already in bin {seen[m]}",
                                  f"“{m}”已在第 {seen[m]} 个分箱中")  # fmt: skip
                    seen[m] = j
        else:
            self._contiguous([(b.lower, b.upper) for b in bins], f"{key}.bins")
        bound = (-MAX_POINTS, MAX_POINTS)
        missing_points = self.number(f, f"{key}.missing_points", *bound) if "missing_points" in f else 0.0
        other_points = self.number(f, f"{key}.other_points", *bound) if "other_points" in f else 0.0
        worst = min(b.points for b in bins)
        if missing_points > worst and self.strict:
            # Otherwise leaving the data out would score better than giving the worst value.
            self.fail(f"{key}.missing_points", f"{missing_points:g} is more than the worst bin's {worst:g} points: "
                      "leaving the data out must not score better than the worst value",
                      f"缺失分值 {missing_points:g} 高于最差分箱的 {worst:g} 分："
                      "不提供数据不应比最差的值得分更高")  # fmt: skip
        var = Variable(name, CATEGORICAL if categorical else NUMERIC, "pack", bins,
                       missing_points=missing_points, other_points=other_points,
                       label_zh=variable_label(name, "zh"), label_en=variable_label(name, "en"))  # fmt: skip
        monotonic = f.get("monotonic")
        if monotonic not in (None, "increasing", "decreasing"):
            self.fail(f"{key}.monotonic", "must be increasing or decreasing", "应为 increasing 或 decreasing")
        pts = [b.points for b in bins]
        if monotonic == "increasing" and pts != sorted(pts):
            self.fail(f"{key}.bins", "points must not fall as the value rises (monotonic = increasing)",
                      "声明单调递增，但分值随数值增加而下降")  # fmt: skip
        if monotonic == "decreasing" and pts != sorted(pts, reverse=True):
            self.fail(f"{key}.bins", "points must not rise as the value rises (monotonic = decreasing)",
                      "声明单调递减，但分值随数值增加而上升")  # fmt: skip
        better = tuple(self.array(f, f"{key}.better", optional=True))
        if better:
            lookup = {m: b.points for b in bins for m in b.members}
            order = [lookup.get(v, var.other_points) for v in better]
            if order != sorted(order):
                self.fail(f"{key}.better", "a better category scores less than a worse one",
                          "较优类别的分值低于较差类别")  # fmt: skip
        texts = [(self.string(f, f"{key}.{t}") if self.strict else f[t]) if t in f else ""
                 for t in ("reason_zh", "reason_en", "fix_zh", "fix_en")]  # fmt: skip
        self.advice(f, key)
        return Factor(var, monotonic, better, *texts)

    def _contiguous(self, spans: list[tuple[float, float]], key: str) -> None:
        order = sorted(range(len(spans)), key=lambda j: spans[j][0])
        if spans[order[0]][0] != -math.inf:
            self.fail(f"{key}[{order[0]}].lower", f"nothing covers values below {spans[order[0]][0]}",
                      f"低于 {spans[order[0]][0]} 的值没有分箱")  # fmt: skip
        for prev, cur in itertools.pairwise(order):
            p_hi, c_lo = spans[prev][1], spans[cur][0]
            if c_lo < p_hi:
                self.fail(f"{key}[{cur}].lower", f"overlaps the bin ending at {p_hi}", f"与止于 {p_hi} 的分箱重叠")
            if c_lo > p_hi:
                self.fail(f"{key}[{cur}].lower", f"gap between {p_hi} and {c_lo}", f"{p_hi} 与 {c_lo} 之间有空档")
        if spans[order[-1]][1] != math.inf:
            self.fail(f"{key}[{order[-1]}].upper", f"nothing covers values from {spans[order[-1]][1]}",
                      f"{spans[order[-1]][1]} 及以上的值没有分箱")  # fmt: skip

    def bands(self, rows, key: str) -> list[Band]:
        if not isinstance(rows, list) or not rows:
            self.fail(key, "needs at least one band", "至少需要一个区间")
        self.at_most(rows, key, MAX_BANDS)
        bands = []
        for i, r in enumerate(rows):
            if not isinstance(r, dict):
                self.fail(f"{key}[{i}]", "must be a table", "应为表")
            self.keys(r, "band", f"{key}[{i}]")
            name = self.string(r, f"{key}[{i}].name")
            lo = self.number(r, f"{key}[{i}].lower") if "lower" in r else -math.inf
            hi = self.number(r, f"{key}[{i}].upper") if "upper" in r else math.inf
            if lo >= hi:
                self.fail(f"{key}[{i}]", f"lower {lo} is not below upper {hi}", f"下限 {lo} 不小于上限 {hi}")
            bands.append(Band(name, lo, hi, f"{key}[{i}]"))
        self._contiguous([(b.lower, b.upper) for b in bands], key)
        return sorted(bands, key=lambda b: b.lower)


def _shown(value) -> str:
    """A value as the pack wrote it, cut short (a 50 MB string must not fill the message)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _interval_label(lo: float, hi: float) -> str:
    def fmt(v: float) -> str:
        return "-inf" if v == -math.inf else "inf" if v == math.inf else f"{v:g}"

    return f"[{fmt(lo)}, {fmt(hi)})"
