"""Read a CSV or XLSX table strictly: every cell as text, or a clear refusal that says where.

Used by batch scoring and by list imports. A file is refused, never half-read, when it is empty,
has a header but no rows, is not a table at all (binary bytes, a workbook that does not open), is in
an encoding that does not decode cleanly (a Big5 file must not be misread as GB18030), has a row with
more or fewer fields than the header (a row cut off at the end of the file included), an unclosed
quote, two columns with the same name (or two names for the same field), or no column the caller
knows. Line numbers are the ones a spreadsheet shows: the header is line 1.

Reading stays one pass of pandas' C parser; the checks around it are C-level scans of the bytes
(byte counts, a regex over the first block) and one join per column, never a Python loop per row.
Only when a check has already found a bad row does the csv module walk the file to name the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
_HAN = re.compile("[\u4e00-\u9fff]")
IMPLAUSIBLE_SHARE = 0.02  # of the non-ASCII characters: a rare name character in a user-defined code is fine
RARE_HAN_SHARE = 0.25  # of the Han characters outside GB2312: mainland names use a few, Big5 gives ~40 %


class TableError(ValueError):
    """The file cannot be read as a table; ``message(lang)`` says what and where, in one line."""

    def __init__(self, en: str, zh: str, line: int | None = None):
        self.en, self.zh, self.line = en, zh, line
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Decoded:
    encoding: str  # the codec pandas reads the bytes with
    label: str  # what the user is told: UTF-8, GB18030


def read_table(path: str | Path, *, field_of: Callable[[str], str | None] | None = None,
               require_known: bool = False, allow_empty: bool = False) -> pd.DataFrame:  # fmt: skip
    """Every cell as text ('' when blank), columns named exactly as the header says.

    ``field_of(header)`` names the field a header means (None: not one the caller knows); two
    headers for the same field are refused, and with ``require_known`` a file with no known
    header is refused. ``allow_empty``: a header with no rows is a table (otherwise refused)."""
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
        frame = _read_excel(path, data)
    else:
        frame = _read_csv(name, data)
    _check_header(name, list(frame.columns), field_of, require_known)
    if frame.empty and not allow_empty:
        raise TableError(f"{name} has a header but no rows", f"{name} 只有表头，没有数据行")
    return frame


# ---- CSV -------------------------------------------------------------------------------------------


def _read_csv(name: str, data: bytes) -> pd.DataFrame:
    head = data[:SNIFF]
    if head.startswith(ZIP_MAGIC):
        raise TableError(f"{name} is an Excel workbook or other zip file, not CSV text: name it .xlsx",
                         f"{name} 是 Excel 工作簿或其他压缩文件，不是 CSV 文本；请以 .xlsx 为扩展名")  # fmt: skip
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(f"{name} is UTF-16 text: save it as CSV UTF-8 (comma-separated)",
                         f"{name} 是 UTF-16 文本，请另存为 CSV UTF-8（逗号分隔）")  # fmt: skip
    bad = _CONTROL.search(head)
    if bad or b"\x00" in data:  # NUL anywhere (memchr: cheap); other control bytes in the first block
        line = data.count(b"\n", 0, bad.start() if bad else data.index(b"\x00")) + 1
        raise TableError(f"{name} is not a text table (binary bytes on line {line})",
                         f"{name} 不是文本表格（第 {line} 行含二进制字节）", line)  # fmt: skip
    decoded = _encoding(name, data)
    header = _header_fields(data, decoded.encoding)
    try:
        with warnings.catch_warnings():  # rows longer than the header: counted below, named by line
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=decoded.encoding,
                                index_col=False, engine="c")  # fmt: skip
    except pd.errors.ParserError as exc:
        raise _parser_error(name, str(exc), len(header)) from None
    except UnicodeDecodeError:  # _encoding decoded the whole file already; kept as a safety net
        raise TableError(f"{name}: not {decoded.label} text", f"{name}：不是 {decoded.label} 编码的文本") from None
    if frame.shape[1] == len(header):
        frame.columns = header  # pandas renames a repeated 'x' to 'x.1': the check below needs the real names
    _check_field_counts(name, data, decoded.encoding, frame, header)
    return frame


def _encoding(name: str, data: bytes) -> Decoded:
    """UTF-8 (with or without BOM); otherwise GB18030 (which covers GBK and GB2312) only if every byte
    decodes and the text is plausible mainland Chinese. Big5 bytes nearly always *decode* as GB18030,
    into private-use characters, kana, Cyrillic and rare ideographs: that is how they are told apart."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            _decode_utf8(data)
        except UnicodeDecodeError as exc:
            raise _undecodable(name, data, exc, "UTF-8") from None
        return Decoded("utf-8-sig", "UTF-8")
    try:
        _decode_utf8(data)
        return Decoded("utf-8", "UTF-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _undecodable(name, data, utf8_error, "UTF-8 / GB18030") from None
    _check_plausible(name, text)
    return Decoded("gb18030", "GB18030")


def _decode_utf8(data: bytes) -> None:
    """Strict UTF-8 over the whole file in blocks (bounded memory), refusing U+FFFD too: a replacement
    character means an earlier conversion already lost what the cell said."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    block = 8 * 1024 * 1024
    view = memoryview(data)
    for start in range(0, len(data), block):
        chunk = decoder.decode(view[start : start + block], final=start + block >= len(data))
        at = chunk.find("\ufffd")
        if at >= 0:
            offset = start + len(chunk[:at].encode("utf-8"))
            raise UnicodeDecodeError("utf-8", data, offset, offset + 3, "replacement character")


def _undecodable(name: str, data: bytes, exc: UnicodeDecodeError, tried: str) -> TableError:
    line = data.count(b"\n", 0, exc.start) + 1
    return TableError(f"{name} is not {tried} text (line {line} has bytes that do not decode): "
                      "save it as CSV UTF-8",
                      f"{name} 不是 {tried} 编码的文本（第 {line} 行含无法解码的字节）；请另存为 CSV UTF-8",
                      line)  # fmt: skip


def _check_plausible(name: str, text: str) -> None:
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if not wide:
        return
    odd = _IMPLAUSIBLE.findall(text)
    han = _HAN.findall(text)
    rare = len(han) - len("".join(han).encode("gb2312", "ignore")) // 2
    if len(odd) > IMPLAUSIBLE_SHARE * wide or (len(han) >= 2 and rare > RARE_HAN_SHARE * len(han)):
        first = _IMPLAUSIBLE.search(text) or _first_rare(text)
        line = text.count("\n", 0, first.start()) + 1 if first else 1
        raise TableError(
            f"{name} is not UTF-8, and read as GBK/GB18030 it gives characters no mainland table holds "
            f"(from line {line}): it may be Big5 (Traditional Chinese) or another encoding; save it as CSV UTF-8",
            f"{name} 不是 UTF-8 编码；按 GBK/GB18030 读取会得到不合常理的字符（自第 {line} 行起），"
            "可能是 Big5（繁体）或其他编码；请另存为 CSV UTF-8", line)  # fmt: skip


def _first_rare(text: str) -> re.Match | None:
    for m in _HAN.finditer(text):
        try:
            m.group().encode("gb2312")
        except UnicodeEncodeError:
            return m
    return None


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


def _check_field_counts(name: str, data: bytes, encoding: str, frame: pd.DataFrame, header: list[str]) -> None:
    """pandas pads a short row (one cut off at the end of the file, one with a cell missing) with blanks
    silently; longer rows it refuses itself. Every comma outside quotes is a delimiter and every comma
    inside quotes is in a cell's text, so when the delimiters do not add up to (width - 1) per record
    some row is short. Only then is the file walked to name the line."""
    width = len(header)
    if width <= 1:
        return
    commas = data.count(b",")  # in UTF-8, GBK and GB18030 the byte 0x2C is always a comma
    if b'"' in data:
        commas -= sum(h.count(",") for h in header)
        for col in range(frame.shape[1]):
            values = frame.iloc[:, col].tolist()
            commas -= "\x00".join(values).count(",")
    if commas == (width - 1) * (len(frame) + 1):
        return
    text = io.StringIO(data.decode(encoding))
    for line, record in enumerate(csv.reader(text), start=1):
        if record and len(record) != width:  # blank lines are skipped, as pandas skips them
            raise _ragged(name, line, len(record), width)
    # Quote rules differ slightly between the parsers; a count that does not add up is still refused.
    raise TableError(f"{name}: some row has fewer fields than the header ({width})",
                     f"{name}：有数据行的字段数少于表头（{width} 个）")  # fmt: skip


# ---- XLSX ------------------------------------------------------------------------------------------


def _read_excel(path: Path, data: bytes) -> pd.DataFrame:
    name = path.name
    if data.startswith(OLE_MAGIC):
        raise TableError(f"{name} is an old-format .xls workbook: save it as .xlsx or CSV UTF-8",
                         f"{name} 是旧版 .xls 工作簿，请另存为 .xlsx 或 CSV UTF-8")  # fmt: skip
    if not data.startswith(ZIP_MAGIC):
        raise TableError(f"{name} is not an Excel workbook (.xlsx)", f"{name} 不是 Excel 工作簿（.xlsx）")
    try:
        grid = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, header=None, engine="openpyxl")
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
    frame.columns = header
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
        raise TableError(
            f"{name}: no column is one Loan Desk knows (line 1 starts: {shown}); use the data dictionary's "
            "names or Chinese headers, e.g. enterprise_name or 企业名称, annual_revenue or 营业收入(万元)",
            f"{name}：没有可识别的列（第 1 行开头为：{shown}）；请使用数据字典的列名或中文表头，"
            "如 enterprise_name 或 企业名称、annual_revenue 或 营业收入(万元)", 1)  # fmt: skip
