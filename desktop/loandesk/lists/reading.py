"""Read a CSV or XLSX table strictly: every cell as text, or a clear refusal that says where.

Used by batch scoring and by list imports. A file is refused, never half-read, when it is empty,
has a header but no rows, is not a table at all (binary bytes, a workbook that does not open), is in
an encoding that does not decode cleanly (a Big5 file must not be misread as GB18030), has a row with
more or fewer fields than the header (a row cut off at the end of the file included), an unclosed
quote, two columns with the same name (or two names for the same field), or no column the caller
knows. Line numbers are the ones a spreadsheet shows: the header is line 1.

Reading stays one pass of pandas' C parser, which decodes strictly; the checks around it are numpy
counts over the bytes, a loop over quoted cells only, and for a GBK file character checks on samples,
never a Python loop per row (1,000,000 rows: within ~10 % of a plain ``read_csv``, see
tests/benchmarks/bench_reading.py). Only when a check has already found a bad row does the csv
module walk the file to name the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format
SNIFF = 64 * 1024
# Control bytes no text table holds (tab, LF, CR and form feed are allowed).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters a mainland Chinese table does not hold but Big5 (or other) bytes read as GB18030 give:
# private use (GBK's user-defined rows), kana, Greek and Cyrillic, box drawing, CJK compatibility and
# small form variants, CJK extension A, the replacement character.
_IMPLAUSIBLE = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u0370-\u04ff\u2500-\u257f\ufe30-\ufe6f\u3400-\u4dbf\ufffd]")
IMPLAUSIBLE_SHARE = 0.02  # of the non-ASCII characters: a rare name character in a user-defined code is fine
RARE_SHARE = 0.25  # of the non-ASCII characters outside GB2312: mainland names use a few, Big5 gives ~40 %


class TableError(ValueError):
    """The file cannot be read as a table; ``message(lang)`` says what and where, in one line."""

    def __init__(self, en: str, zh: str, line: int | None = None):
        self.en, self.zh, self.line = en, zh, line
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def read_table(path: str | Path, *, field_of: Callable[[str], str | None] | None = None,
               require_known: bool = False, allow_empty: bool = False,
               sheet: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Every cell as text ('' when blank), columns named as the header says (a blank header as
    pandas names it, 'Unnamed: 3').

    ``field_of(header)`` names the field a header means (None: not one the caller knows); two
    headers for the same field are refused, and with ``require_known`` a file with no known
    header is refused. ``allow_empty``: a header with no rows is a table (otherwise refused).
    ``sheet``: the workbook's sheet of that name (default the first)."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise TableError(f"{path} is a folder, not a file", f"{path} 是文件夹，不是文件") from None
    except FileNotFoundError:
        raise TableError(f"input file not found: {path}", f"找不到输入文件：{path}") from None
    except PermissionError:
        raise TableError(f"{path}: no permission to read it", f"{path}：无权读取") from None
    if not data.strip():
        raise TableError(f"{name} is empty: no header, no rows", f"{name} 是空文件：没有表头，也没有数据")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        frame = _read_excel(path, data, sheet)
    else:
        frame = _read_csv(path, data)
    _check_header(name, frame.attrs.pop("header"), field_of, require_known)
    if frame.empty and not allow_empty:
        raise TableError(f"{name} has a header but no rows", f"{name} 只有表头，没有数据行")
    return frame


# ---- CSV -------------------------------------------------------------------------------------------


def _read_csv(path: Path, data: bytes) -> pd.DataFrame:
    name = path.name
    head = data[:SNIFF]
    if head.startswith(ZIP_MAGIC):
        raise TableError(f"{name} is an Excel workbook or other zip file, not CSV text: name it .xlsx",
                         f"{name} 是 Excel 工作簿或其他压缩文件，不是 CSV 文本；请以 .xlsx 为扩展名")  # fmt: skip
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(f"{name} is UTF-16 text: save it as CSV UTF-8 (comma-separated)",
                         f"{name} 是 UTF-16 文本，请另存为 CSV UTF-8（逗号分隔）")  # fmt: skip
    octets = np.frombuffer(data, dtype=np.uint8)  # byte scans in numpy: a few ms for 100 MB
    bad = _CONTROL.search(head)
    nul = _first(octets == 0)
    if bad or nul >= 0:  # NUL anywhere; other control bytes in the first block
        line = data.count(b"\n", 0, bad.start() if bad else nul) + 1
        raise TableError(f"{name} is not a text table (binary bytes on line {line})",
                         f"{name} 不是文本表格（第 {line} 行含二进制字节）", line)  # fmt: skip
    # U+FFFD (锟斤拷 read as GBK): an earlier conversion already lost the text.
    lead = np.flatnonzero(octets[:-2] == 0xEF)  # full-width （） start with EF too: checked in numpy, not one by one
    lead = lead[(octets[lead + 1] == 0xBF) & (octets[lead + 2] == 0xBD)]
    replaced = int(lead[0]) if len(lead) else -1
    if replaced >= 0:
        line = data.count(b"\n", 0, replaced) + 1
        raise TableError(f"{name} line {line} holds the replacement character (�): the file was damaged by an "
                         "earlier conversion; export it again as CSV UTF-8",
                         f"{name} 第 {line} 行含替换字符（�）：文件在此前的转换中已损坏，请重新导出为 CSV UTF-8",
                         line)  # fmt: skip
    utf8 = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return _parse(path, data, utf8)
    except UnicodeDecodeError:
        _check_damaged_utf8(name, data, bom=utf8 == "utf-8-sig")
    # Not UTF-8: GB18030 (which covers GBK and GB2312), if the text it gives is plausible mainland Chinese.
    _check_plausible(name, data)
    try:
        return _parse(path, data, "gb18030")
    except UnicodeDecodeError:
        raise _undecodable(name, data, "UTF-8 / GB18030") from None


UTF8_EVIDENCE = 8  # non-ASCII characters that decoded as UTF-8 before the bad byte: GBK text rarely manages two


def _check_damaged_utf8(name: str, data: bytes, bom: bool) -> None:
    """A UTF-8 file with a bad byte (or cut off in the middle of a character) is refused as damaged
    UTF-8, not tried as GBK: a BOM promises UTF-8, and so does plenty of valid UTF-8 text before it."""
    try:
        data.decode("utf-8-sig")
        return
    except UnicodeDecodeError as exc:
        start, reason = exc.start, exc.reason
    line = data.count(b"\n", 0, start) + 1
    if reason == "unexpected end of data":
        raise TableError(f"{name} ends in the middle of a character on line {line}: the file was cut off",
                         f"{name} 在第 {line} 行的字符中间结束：文件不完整", line)  # fmt: skip
    before = data[:start].decode("utf-8-sig")
    if bom or len(before) - len(before.encode("ascii", "ignore")) >= UTF8_EVIDENCE:
        raise _undecodable(name, data, "UTF-8")


def _first(mask: np.ndarray) -> int:
    found = np.flatnonzero(mask)
    return int(found[0]) if len(found) else -1


def _parse(path: Path, data: bytes, encoding: str) -> pd.DataFrame:
    """One pass of pandas' C parser, which decodes strictly (UnicodeDecodeError: not this encoding).
    It reads the file itself: from a path pandas decodes GB18030 half again as fast as from memory."""
    name = path.name
    header = _header_fields(data, encoding)
    try:
        with warnings.catch_warnings():  # rows longer than the header: counted below, named by line
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                                encoding_errors="strict", index_col=False, engine="c")  # fmt: skip
    except pd.errors.ParserError as exc:
        raise _parser_error(name, str(exc), len(header)) from None
    frame.attrs["header"] = header  # as written: pandas renames a repeated 'x' to 'x.1', a blank one 'Unnamed: 3'
    _check_field_counts(name, data, encoding, frame, header)
    return frame


def _undecodable(name: str, data: bytes, tried: str) -> TableError:
    """Name the line of the first byte that does not decode in the last encoding tried (the refusal
    path only: the file is decoded once more, here, to find it)."""
    try:
        data.decode("gb18030" if "GB18030" in tried else "utf-8-sig")
        offset = 0
    except UnicodeDecodeError as exc:
        offset = exc.start
    line = data.count(b"\n", 0, offset) + 1
    return TableError(f"{name} is not {tried} text (line {line} has bytes that do not decode): "
                      "save it as CSV UTF-8",
                      f"{name} 不是 {tried} 编码的文本（第 {line} 行含无法解码的字节）；请另存为 CSV UTF-8",
                      line)  # fmt: skip


SAMPLE = 2 * 1024 * 1024


def _samples(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, whole lines) from the start, middle and end of a large file; the whole of a small one.
    A newline byte (0x0A) is never part of a GB18030 character, so whole lines decode on their own."""
    if len(data) <= 3 * SAMPLE:
        return [(0, data)]
    out = []
    for start in (0, len(data) // 2, len(data) - SAMPLE):
        begin = 0 if start == 0 else data.find(b"\n", start) + 1
        if begin == 0 and start:
            continue  # no line starts after this point: the first sample covers the text
        end = data.rfind(b"\n", begin, begin + SAMPLE) + 1 or min(begin + SAMPLE, len(data))
        out.append((begin, data[begin:end]))
    return out


def _check_plausible(name: str, data: bytes) -> None:
    """Refuse bytes whose GB18030 reading no mainland table holds: more than a trace of private-use,
    kana, Greek, Cyrillic or box-drawing characters, or a large share of characters outside GB2312
    (a mainland list has a few rare name characters; Big5 read as GBK gives ~40 %). Big5 bytes nearly
    always *decode* as GB18030, so this is how the two are told apart. C-level passes over samples."""
    for offset, chunk in _samples(data):
        try:
            text = chunk.decode("gb18030")
        except UnicodeDecodeError:
            raise _undecodable(name, data, "UTF-8 / GB18030") from None
        wide = len(text) - len(text.encode("ascii", "ignore"))
        if wide < 2:
            continue
        odd = len(_IMPLAUSIBLE.findall(text))
        outside = text.encode("gb2312", "replace").count(b"?") - text.count("?")
        if wide < FEW:  # too few characters for shares to mean much: which reading is the more ordinary?
            suspicious = (odd or outside) and _big5_reads_better(chunk, text)
        else:
            suspicious = odd > IMPLAUSIBLE_SHARE * wide or outside > RARE_SHARE * wide
        if suspicious:
            at = _first_implausible(text)
            line = data.count(b"\n", 0, offset) + text.count("\n", 0, at) + 1
            raise TableError(
                f"{name} is not UTF-8, and read as GBK/GB18030 it gives characters no mainland table holds "
                f"(from line {line}): it may be Big5 (Traditional Chinese) or another encoding; save it as CSV UTF-8",
                f"{name} 不是 UTF-8 编码；按 GBK/GB18030 读取会得到不合常理的字符（自第 {line} 行起），"
                "可能是 Big5（繁体）或其他编码；请另存为 CSV UTF-8", line)  # fmt: skip


FEW = 200  # non-ASCII characters


def _big5_reads_better(data: bytes, gb_text: str) -> bool:
    """For a few characters: True if the bytes are clean Big5 and read as Big5 they are commoner
    characters than read as GBK (the share in each standard's first, most frequent level: GB2312
    level 1 is lead bytes B0-D7, Big5's frequent characters lead bytes A4-C6)."""
    try:
        big5_text = data.decode("big5")
    except UnicodeDecodeError:
        return False  # a GBK file with rare name characters (喆, 堃: lead bytes 81-A0) is never Big5
    if _IMPLAUSIBLE.search(big5_text):
        return False

    def common(text: str, codec: str, low: int, high: int) -> float:
        chars = [ch for ch in text if ord(ch) > 127]
        hits = 0
        for ch in chars:
            try:
                lead = ch.encode(codec)[0]
            except UnicodeEncodeError:
                continue
            hits += low <= lead <= high
        return hits / len(chars) if chars else 0.0

    return common(big5_text, "big5", 0xA4, 0xC6) > common(gb_text, "gb2312", 0xB0, 0xD7)


def _first_implausible(text: str) -> int:
    """Where the first odd or non-GB2312 character is (only on the refusal path)."""
    odd = _IMPLAUSIBLE.search(text)
    for i, ch in enumerate(text[: odd.start() if odd else len(text)]):
        if ord(ch) > 127:
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                return i
    return odd.start() if odd else 0


def _header_fields(data: bytes, encoding: str) -> list[str]:
    head = data[:SNIFF].decode(encoding, "ignore")  # decoded strictly already; 'ignore' only cuts the block's tail
    return next(csv.reader(io.StringIO(head)), [])


_EXPECTED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def _parser_error(name: str, text: str, width: int) -> TableError:
    m = _EXPECTED.search(text)
    if m:
        line, saw = int(m[2]), int(m[3])
        return _ragged(name, line, saw, width)
    m = _EOF_QUOTE.search(text)
    if m:
        line = int(m[1]) + 1
        return TableError(f"{name} line {line}: a quote (\") opens a cell and is never closed",
                          f"{name} 第 {line} 行：引号（\"）开始的单元格没有结束引号", line)  # fmt: skip
    return TableError(f"{name} cannot be read as CSV ({text.splitlines()[-1] if text else 'parser error'})",
                      f"{name} 无法按 CSV 读取（{text.splitlines()[-1] if text else '解析错误'}）")  # fmt: skip


def _ragged(name: str, line: int, saw: int, width: int) -> TableError:
    return TableError(f"{name} line {line} has {saw} fields, the header {width}: a cell is missing, "
                      "split or cut off; nothing was read",
                      f"{name} 第 {line} 行有 {saw} 个字段，表头有 {width} 个：单元格缺失、被拆分或被截断；"
                      "未读取任何数据",
                      line)  # fmt: skip


QUOTE_PAIRS_WALKED = 100_000  # up to this many quoted cells, commas inside quotes are counted pair by pair


def _check_field_counts(name: str, data: bytes, encoding: str, frame: pd.DataFrame, header: list[str]) -> None:
    """pandas pads a short row (one cut off at the end of the file, one with a cell missing) with blanks
    silently, and longer rows make it take the first column as an index. Every comma outside quotes is
    a delimiter, so when the delimiters do not add up to (width - 1) per record some row is ragged;
    only then is the file walked with the csv module to name the line."""
    width = len(header)
    octets = np.frombuffer(data, dtype=np.uint8)
    commas = int(np.count_nonzero(octets == 0x2C))  # in UTF-8, GBK and GB18030 the byte 0x2C is always a comma
    quotes = int(np.count_nonzero(octets == 0x22))
    if quotes and quotes <= 2 * QUOTE_PAIRS_WALKED:
        # commas between an opening and a closing quote are text ("a""b" escapes pair up the same way)
        pos = 0
        while (start := data.find(b'"', pos)) >= 0 and (end := data.find(b'"', start + 1)) >= 0:
            commas -= data.count(b",", start, end)
            pos = end + 1
    elif quotes:  # a file that quotes every cell: count the commas in the cells' text instead (C joins)
        commas -= sum(h.count(",") for h in header)
        for col in range(frame.shape[1]):
            commas -= "\x00".join(frame.iloc[:, col].tolist()).count(",")
    if commas == (width - 1) * (len(frame) + 1):
        return
    text = io.StringIO(data.decode(encoding))
    for line, record in enumerate(csv.reader(text), start=1):
        if record and len(record) != width:  # blank lines are skipped, as pandas skips them
            raise _ragged(name, line, len(record), width)
    # No ragged record: a quote inside an unquoted cell (ab"c) upset the count, not the rows.


# ---- XLSX ------------------------------------------------------------------------------------------


def _read_excel(path: Path, data: bytes, sheet: str | None = None) -> pd.DataFrame:
    name = path.name
    if data.startswith(OLE_MAGIC):
        raise TableError(f"{name} is an old-format .xls workbook: save it as .xlsx or CSV UTF-8",
                         f"{name} 是旧版 .xls 工作簿，请另存为 .xlsx 或 CSV UTF-8")  # fmt: skip
    if not data.startswith(ZIP_MAGIC):
        raise TableError(f"{name} is not an Excel workbook (.xlsx)", f"{name} 不是 Excel 工作簿（.xlsx）")
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        if sheet is not None and sheet not in book.sheet_names:
            names = ", ".join(book.sheet_names)
            raise TableError(f"{name} has no sheet '{sheet}' (sheets: {names})",
                             f"{name} 中没有名为“{sheet}”的工作表（现有：{names}）")  # fmt: skip
        grid = pd.read_excel(book, sheet_name=sheet if sheet is not None else 0, dtype=str, keep_default_na=False,
                             header=None)
    except TableError:
        raise
    except Exception as exc:  # zipfile, openpyxl and lxml each raise their own kinds
        raise TableError(f"{name} cannot be opened as an Excel workbook ({type(exc).__name__})",
                         f"{name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）") from None  # fmt: skip
    grid = grid.fillna("").astype(str)
    filled = (grid != "").to_numpy()
    if not filled.any():
        raise TableError(f"{name} is empty: no header, no rows", f"{name} 是空文件：没有表头，也没有数据")
    # A sheet's used range often runs past the table: drop blank columns and rows at the right and bottom.
    last_col = int(filled.any(axis=0).nonzero()[0].max())
    last_row = int(filled.any(axis=1).nonzero()[0].max())
    grid = grid.iloc[: last_row + 1, : last_col + 1]
    header = [h.strip() for h in grid.iloc[0].tolist()]
    frame = grid.iloc[1:].reset_index(drop=True)
    frame.columns = [h or f"Unnamed: {i}" for i, h in enumerate(header)]  # blank: named as the CSV reader does
    frame.attrs["header"] = header
    return frame


# ---- header ----------------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _check_header(name: str, header: list[str], field_of: Callable[[str], str | None] | None,
                  require_known: bool) -> None:  # fmt: skip
    from loandesk.core.redact import safe_text

    seen: dict[str, int] = {}
    known = 0
    for i, raw in enumerate(header):
        text = str(raw).strip()
        if not text:
            continue
        field = field_of(text) if field_of else None
        known += field is not None
        key = field or text
        if key in seen:
            first = seen[key]
            what = f"'{safe_text(text)}'" if text == str(header[first]).strip() else \
                f"'{safe_text(str(header[first]).strip())}' and '{safe_text(text)}' (both {field})"
            raise TableError(
                f"{name}: columns {column_letter(first)} and {column_letter(i)} have the same header {what}: "
                "which one holds the value is not clear",
                f"{name}：第 {column_letter(first)} 列与第 {column_letter(i)} 列表头重复 {what}，无法确定取哪一列",
                1)  # fmt: skip
        seen[key] = i
    if require_known and not known:
        shown = ", ".join(safe_text(str(h).strip()) for h in header[:3] if str(h).strip())
        en = f"line 1 starts: {shown}" if shown else "line 1 has no header names"
        zh = f"第 1 行开头为：{shown}" if shown else "第 1 行没有表头"
        raise TableError(
            f"{name}: no column is one Loan Desk knows ({en}); use the data dictionary's "
            "names or Chinese headers, e.g. enterprise_name or 企业名称, annual_revenue or 营业收入(万元)",
            f"{name}：没有可识别的列（{zh}）；请使用数据字典的列名或中文表头，"
            "如 enterprise_name 或 企业名称、annual_revenue 或 营业收入(万元)", 1)  # fmt: skip
