"""Writing a table to CSV or XLSX: safe to open in Excel, whole file or nothing, fast on a million rows.

Every file goes through ``safe_cells`` first (no cell can run as a formula). CSV is the same text
pandas' ``to_csv(index=False, encoding="utf-8-sig")`` writes -- same number formatting (``620.0``,
``0.30000000000000004``, ``1e+20``), blanks for missing values, the same minimal quoting and line
ends -- but each column is turned into text once, vectorised (a column of points holds a handful of
distinct numbers: each is formatted once), and rows are joined in C, instead of pandas' row-by-row
writer: about 8x faster. A column of a kind this path does not know (dates, categoricals, nullable
integers) sends the whole file through pandas itself, so the text never differs.

XLSX is written with openpyxl: numbers as numbers, text as text cells (a text cell is never a formula,
whatever it starts with) and, where it starts like a formula, with Excel's "quote prefix" style, so
the cell shows exactly the text and stays text when someone edits it.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from loandesk.core import pinyin

from .safe_cells import neutralise, risky, safe_column, safe_text

CHUNK_ROWS = 20_000  # ~8 MB of text: below malloc's mmap threshold, so chunk buffers are reused, not faulted in anew
EXCEL_MAX_ROWS = 1_048_576


class TableTooLarge(ValueError):
    def __init__(self, rows: int):
        self.rows = rows
        super().__init__(f"{rows} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS - 1} at most): write CSV")

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"{self.rows} 行超出 Excel 工作表的上限（最多 {EXCEL_MAX_ROWS - 1} 行），请输出为 CSV"
        return str(self)


# Columns holding names, by their data-dictionary and Chinese headers: sorted by pinyin, as Chinese readers
# expect (张 after 李), not by code point. People's names read a polyphonic surname as a surname (曾 zēng).
NAME_COLUMNS = {"enterprise_name": pinyin.sort_key, "企业名称": pinyin.sort_key,
                "legal_rep_name": pinyin.name_sort_key, "法定代表人": pinyin.name_sort_key,
                "officer": pinyin.name_sort_key, "approver": pinyin.name_sort_key}  # fmt: skip


def sort_rows(frame: pd.DataFrame, by: str, descending: bool = False) -> pd.DataFrame:
    """The rows ordered by column ``by``: a name column by pinyin (equal keys by code point), any other as
    pandas orders it; a stable sort, blanks last either way."""
    if by not in frame.columns:
        raise KeyError(by)
    key = NAME_COLUMNS.get(by)
    if key is None:
        return frame.sort_values(by, ascending=not descending, kind="stable", na_position="last")

    def pinyin_order(col: pd.Series) -> pd.Series:
        # Each distinct name keyed once; the key (then the text itself) decides, so the order is total.
        text = col.astype(object).where(col.notna(), None)
        keys = {v: key(v) + "\x00" + v for v in set(text.dropna().map(str))}
        return text.map(lambda v: None if v is None else keys[str(v)])

    return frame.sort_values(by, ascending=not descending, kind="stable", na_position="last", key=pinyin_order)


def write_table(frame: pd.DataFrame, path: Path, *, sort_by: str | None = None, descending: bool = False) -> None:
    """CSV (UTF-8 with BOM, as Excel expects) or XLSX by the suffix; written beside, then moved in place.
    ``sort_by``: the rows in that column's order first (``sort_rows``: names by pinyin)."""
    if sort_by is not None:
        frame = sort_rows(frame, sort_by, descending)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            write_xlsx(frame, tmp)
        else:
            write_csv(frame, tmp)
        tmp.replace(path)  # whole file or nothing
    finally:
        tmp.unlink(missing_ok=True)


# ---- CSV ----------------------------------------------------------------------------------------


# Python's csv module (pandas' writer) quotes a field holding the delimiter, the quote or a character
# of the line end; a lone carriage return is quoted too (as Python 3.12 does), so the file reads back.
QUOTE_CHARS = ',"\r\n'
_SPECIAL = re.compile("[" + re.escape(QUOTE_CHARS) + "]")


def _numbers_text(values: np.ndarray) -> np.ndarray | None:
    """numpy's own text of each number (what pandas writes), formatted once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.append(np.asarray(uniques).astype(str).astype(object), "")  # code -1 (NaN) -> blank
    out = texts[codes]
    if values.dtype.kind == "f":
        zero = np.flatnonzero(values == 0)
        if len(zero):  # 0.0 and -0.0 hash alike but print differently
            out[zero] = np.where(np.signbit(values[zero]), "-0.0", "0.0")
    return out


def _column_text(col: pd.Series) -> tuple[np.ndarray | None, bool]:
    """(the column as pandas' CSV writer would print it, whether it still needs ``_safe_text``); None
    for a kind left to pandas."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "fiu":
            return _numbers_text(col.to_numpy()), False
        if dtype.kind == "b":
            return np.where(col.to_numpy(), "True", "False").astype(object), False
        if dtype.kind != "O":
            return None, False
    elif not isinstance(dtype, pd.StringDtype):
        return None, False
    values = col.to_numpy(dtype=object)
    missing = col.isna().to_numpy()
    is_str = isinstance(dtype, pd.StringDtype)  # text or missing, nothing else
    if not is_str and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        # mixed values: neutralised as they are (the number -3 is data, the text '-3' may not be),
        # then printed as csv.writer prints them
        fixed = safe_column(np.where(missing, None, values))
        values = np.array([str(v) for v in (values if fixed is None else fixed)], dtype=object)
        values[missing] = ""
        return _quoted(values), False
    if missing.any():
        values = values.copy()
        values[missing] = ""
    return values, True


def _quoted(values: np.ndarray, blob: str | None = None) -> np.ndarray:
    """Fields holding a delimiter, quote or line break are quoted, as csv.QUOTE_MINIMAL does."""
    blob = "\x00".join(values) if blob is None else blob
    if not any(ch in blob for ch in QUOTE_CHARS):  # C-level scans: the usual case
        return values
    # The cells that hold one: match positions in the joined text, mapped back to cells by their offsets.
    ends = np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)) + 1)
    found = np.fromiter((m.start() for m in _SPECIAL.finditer(blob)), dtype=np.int64)
    hit = np.unique(np.searchsorted(ends, found, side="right"))
    out = values.copy()
    out[hit] = ['"' + v.replace('"', '""') + '"' for v in values[hit]]
    return out


def _safe_text(values: np.ndarray) -> np.ndarray:
    """Text cells neutralised (safe_cells) and quoted for CSV. A column with few distinct values
    (grades, decisions, reasons, yes/no) is worked on its distinct values only."""
    n = len(values)
    if n > 20_000 and len(set(values[:2_000].tolist())) < 200:
        codes, uniques = pd.factorize(values)
        return _safe_text(np.asarray(uniques, dtype=object))[codes]
    blob = "\x00".join(values)
    fixed = safe_column(values, blob)
    return _quoted(values, blob) if fixed is None else _quoted(fixed)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    if frame.shape[1] < 2:
        neutralise(frame).to_csv(path, index=False, encoding="utf-8-sig")
        return
    header = _quoted(np.array([safe_text(str(c)) for c in frame.columns], dtype=object))
    columns = []
    for i in range(frame.shape[1]):
        text, is_text = _column_text(frame.iloc[:, i])
        if text is None:
            # a kind only pandas knows how to print: the whole file by pandas, so the text never differs
            neutralise(frame).to_csv(path, index=False, encoding="utf-8-sig")
            return
        columns.append((_safe_text(text) if is_text else text).tolist())
    line_end = os.linesep

    def chunks() -> Iterator[bytes]:
        yield ("\ufeff" + ",".join(header) + line_end).encode("utf-8")
        for start in range(0, len(frame), CHUNK_ROWS):
            rows = zip(*(c[start : start + CHUNK_ROWS] for c in columns), strict=True)
            yield (line_end.join(map(",".join, rows)) + line_end).encode("utf-8")

    _write_behind(path, chunks())


def _write_behind(path: Path, chunks: Iterator[bytes]) -> None:
    """Write chunks in a second thread while the next ones are built: the disk and the CPU overlap
    (a file write releases the GIL). At most two chunks wait, so memory stays bounded."""
    pending: queue.Queue = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def writer() -> None:
        try:
            with open(path, "wb") as fh:
                while (chunk := pending.get()) is not None:
                    if not failed:
                        fh.write(chunk)
        except BaseException as exc:  # reported by the main thread below
            failed.append(exc)
            while pending.get() is not None:  # drain, so the producer never blocks
                pass

    thread = threading.Thread(target=writer, name="csv-writer", daemon=True)
    thread.start()
    try:
        for chunk in chunks:
            if failed:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        thread.join()
    if failed:
        raise failed[0]


# ---- XLSX ---------------------------------------------------------------------------------------


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if len(frame) + 1 > EXCEL_MAX_ROWS:
        raise TableTooLarge(len(frame))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    bold = Font(bold=True)

    def text_cell(value: str, flagged: bool, header: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if flagged:
            cell.quotePrefix = True  # Excel's own "this is text" mark: shown without the quote
        if header:
            cell.font = bold
        return cell

    names = np.array([str(c) for c in frame.columns], dtype=object)
    flag_names = risky(names)
    sheet.append([text_cell(n, bool(f), header=True) for n, f in zip(names, flag_names, strict=True)])
    columns, flags = [], []
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        values = col.to_numpy(dtype=object)
        numeric = pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)
        values = np.where(pd.isna(values), None, values)
        columns.append(values.tolist())
        flags.append(np.zeros(len(values), dtype=bool) if numeric else risky(values))
    for r in range(len(frame)):
        row = []
        for values, flag in zip(columns, flags, strict=True):
            value = values[r]
            if isinstance(value, str):
                row.append(text_cell(value, bool(flag[r])))
            elif isinstance(value, (float, np.floating)) and not np.isfinite(value):
                row.append(text_cell(str(value), value < 0))  # inf: Excel has no such number, so text
            else:
                row.append(value.item() if isinstance(value, np.generic) else value)
        sheet.append(row)
    book.save(path)
