"""The column checks of an enterprise list import (``lists.enterprise_import``), one kind at a time.

Each check runs over a whole column: a C-level search of the joined column decides whether any cell
needs a per-cell step (a clean 530,000-row list needs none), shapes are checked on byte matrices,
check characters computed with numpy, digit-only amounts and ISO dates parsed in C. Only the rows a
check flags go through the core validators (``core.codes``) one at a time, for their exact message.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from loandesk.core import codes
from loandesk.core.dictionary import FIELDS
from loandesk.core.intake import OLDEST_REGISTRATION, TEXT_LIMITS, parse_value
from loandesk.core.validation import Level
from loandesk.core.values import ValueProblem, input_bounds

from .header_mapping import Mapped

LIST_TEXT_LIMITS = {**TEXT_LIMITS, "list_branch": 100, "list_officer": 40}
_USCC_LUT = np.zeros(256, np.int64)
for _i, _c in enumerate(codes.USCC_CHARS):
    _USCC_LUT[ord(_c)] = _i
_ORG_LUT = np.zeros(256, np.int64)
for _i in range(10):
    _ORG_LUT[48 + _i] = _i
for _i in range(26):
    _ORG_LUT[65 + _i] = 10 + _i
_USCC_W = np.array([pow(3, i, 31) for i in range(17)], np.int64)
_ORG_W = np.array([3, 7, 9, 10, 5, 8, 4, 2], np.int64)
_ID_W = np.array([pow(2, 17 - i, 11) for i in range(17)], np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", np.uint8)
_PROVINCES = sorted(codes.ID_PROVINCES)


def _shown(field_name: str, value: str) -> str:
    """The value as the report shows it: personal data masked (the row number finds it in the file)."""
    if not value:
        return ""
    if field_name == "legal_rep_id":
        return codes.mask_id(value)
    if field_name == "legal_rep_phone":
        return codes.mask_phone(value)
    if field_name == "legal_rep_name":
        return codes.mask_name(value)
    return value


class Issues:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, rows: np.ndarray, field_name: str, values, severity: str, code: str, params) -> None:
        """``rows``: 0-based positions; ``params`` one dict for all, or a list of one per row."""
        if not len(rows):
            return
        values = [_shown(field_name, str(v)) for v in values]
        params = params if isinstance(params, list) else [params] * len(rows)
        self.parts.append(pd.DataFrame({"row": np.asarray(rows) + 1, "field": field_name, "value": values,
                                        "severity": severity, "code": code, "params": params}))  # fmt: skip

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["row", "field", "value", "severity", "code", "params"])
        return pd.concat(self.parts, ignore_index=True)


def _joined(col: pd.Series) -> str:
    """The column as one string, so one C-level search decides whether any cell needs a per-cell step
    (a clean list of 530,000 rows then costs no Python loop at all)."""
    return "\x00".join(col.tolist())


_SPACES = (" ", "\t", "\r", "\n", "\u3000", "\xa0")


def _edge_space(joined: str) -> bool:
    """A cell starts or ends with white space (substring searches: memchr-fast, unlike a regex)."""
    return any(joined.startswith(w) or joined.endswith(w) or f"\x00{w}" in joined or f"{w}\x00" in joined
               for w in _SPACES)  # fmt: skip


def _any_of(col: pd.Series, chars: str) -> bool:
    joined = _joined(col)
    return any(c in joined for c in chars)


def _only(col: pd.Series, allowed: bytes) -> bool:
    """Every cell holds only ``allowed`` ASCII characters (one C translate over the column)."""
    joined = _joined(col)
    return joined.isascii() and not joined.encode("ascii").translate(None, allowed + b"\x00")


def _shaped(col: pd.Series, width: int, allowed: np.ndarray) -> np.ndarray:
    """Cells of exactly ``width`` ASCII characters, each allowed at its position (``allowed``: a
    (width, 256) table, or (256,) for every position): numpy over a byte matrix, not a regex per cell."""
    lengths = np.fromiter(map(len, col.tolist()), np.int64, count=len(col))
    rows = np.flatnonzero(lengths == width)
    out = np.zeros(len(col), bool)
    cells = col.iloc[rows].tolist()
    text = "".join(cells)
    if not text.isascii():  # a few cells with other characters: never shaped, the rest checked as usual
        keep = np.fromiter(map(str.isascii, cells), bool, count=len(cells))
        rows = rows[keep]
        text = "".join(c for c, k in zip(cells, keep, strict=True) if k)
    if not len(rows):
        return out
    arr = np.frombuffer(text.encode("ascii"), np.uint8).reshape(-1, width)
    ok = allowed[arr] if allowed.ndim == 1 else allowed[np.arange(width), arr]
    out[rows] = ok.all(axis=1)
    return out


def _table(*positions: str) -> np.ndarray:
    table = np.zeros((len(positions), 256), bool)
    for i, chars in enumerate(positions):
        table[i, np.frombuffer(chars.encode(), np.uint8)] = True
    return table


_USCC_OK = _table(*[codes.USCC_CHARS] * 18)[0]
_ID_OK = _table(*["0123456789"] * 17, "0123456789X")
_PHONE_OK = _table("1", "3456789", *["0123456789"] * 9)


def clean(col: pd.Series, fold: bool) -> pd.Series:
    """Strip; with ``fold``, full-width letters and digits folded (NFKC) where a cell is not ASCII (a
    code, number or date typed with a Chinese input method). Names and other text are kept as written."""
    col = col.astype(str)
    if _edge_space(_joined(col)):
        col = col.str.strip()
    if fold and not _joined(col).isascii():  # one C pass decides for the whole column
        wide = ~col.map(str.isascii).astype(bool)
        col = col.copy()
        col[wide] = col[wide].map(lambda t: unicodedata.normalize("NFKC", t).strip())
    return col


def _chars(codes_: pd.Series, width: int) -> np.ndarray:
    return np.frombuffer("".join(codes_.tolist()).encode("ascii"), np.uint8).reshape(-1, width)


class Checker:
    """Checks one list's columns; ``bad``/``warn`` mark rows, ``issues`` says why, ``out`` the values."""

    def __init__(self, frame: pd.DataFrame, mapping: dict[str, Mapped], today: dt.date):
        self.n = len(frame)
        self.today = today
        self.bad = np.zeros(self.n, bool)
        self.warn = np.zeros(self.n, bool)
        self.issues = Issues()
        self.out: dict[str, pd.Series] = {}
        self.raw: dict[str, pd.Series] = {}
        for header, mapped in mapping.items():
            self.raw[mapped.field] = frame[header]
        self.units = {m.field: m.unit_wan for m in mapping.values()}

    def error(self, mask: np.ndarray, name: str, values: pd.Series, code: str, params) -> None:
        rows = np.flatnonzero(mask)
        self.bad[rows] = True
        self.issues.add(rows, name, values.to_numpy()[rows], "error", code, params)

    def warning(self, mask: np.ndarray, name: str, values: pd.Series, code: str, params) -> None:
        rows = np.flatnonzero(mask)
        self.warn[rows] = True
        self.issues.add(rows, name, values.to_numpy()[rows], "warning", code, params)

    def findings(self, rows: np.ndarray, name: str, values: pd.Series, check) -> None:
        """Rows a vectorised check flagged: the core validator's own findings, one row at a time."""
        texts = values.to_numpy()
        for r in rows:
            for f in check(texts[r]):
                if f.level is Level.ERROR:
                    self.error(_one(self.n, r), name, values, f.code, f.params)
                else:
                    code = "list_code_kept" if f.code == "uscc_check" else f.code
                    self.warning(_one(self.n, r), name, values, code, f.params)

    # ---- kinds ------------------------------------------------------------------------------------
    def text(self, name: str, col: pd.Series) -> pd.Series:
        limit = LIST_TEXT_LIMITS.get(name)
        if limit:
            self.error((col.str.len() > limit).to_numpy(), name, col, "too_long", {"max": limit})
        return col

    def credit_code(self, col: pd.Series) -> pd.Series:
        if _any_of(col, "".join(_SPACES)):
            col = col.str.replace(r"\s+", "", regex=True)
        if not _joined(col).isupper():
            col = col.str.upper()
        blank = (col == "").to_numpy()
        shaped = _shaped(col, 18, _USCC_OK) & ~blank
        self.findings(np.flatnonzero(~shaped & ~blank), "credit_code", col, codes.check_credit_code)
        rows = np.flatnonzero(shaped)
        if len(rows):
            arr = _chars(col.iloc[rows], 18)
            vals = _USCC_LUT[arr]
            expected = (31 - (vals[:, :17] @ _USCC_W) % 31) % 31
            org = 11 - (_ORG_LUT[arr[:, 8:16]] @ _ORG_W) % 11
            org_char = np.where(org == 10, ord("X"), np.where(org == 11, ord("0"), 48 + org))
            off = (vals[:, 17] != expected) | (arr[:, 16] != org_char)
            self.findings(rows[off], "credit_code", col, codes.check_credit_code)
        return col

    def id_number(self, col: pd.Series) -> pd.Series:
        if _any_of(col, "".join(_SPACES)):
            col = col.str.replace(r"\s+", "", regex=True)
        if "x" in _joined(col):
            col = col.str.upper()
        given = (col != "").to_numpy()
        shaped = _shaped(col, 18, _ID_OK) & given
        flagged = given & ~shaped
        rows = np.flatnonzero(shaped)
        if len(rows):
            sub = col.iloc[rows]
            arr = _chars(sub, 18)
            check = _ID_CHECK[((arr[:, :17] - 48).astype(np.int64) @ _ID_W) % 11]
            born = pd.to_datetime(sub.str.slice(6, 14), format="%Y%m%d", errors="coerce")
            late = (born > pd.Timestamp(self.today)) | (born.dt.year < 1880) | born.isna()
            city = sub.str.slice(2, 4)
            region = sub.str.slice(0, 2).isin(_PROVINCES) & (
                sub.str.slice(0, 2).isin(["71", "81", "82", "83"]) | (city == "90") | ((city >= "01") & (city <= "70")))
            off = (arr[:, 17] != check) | late.to_numpy() | ~region.to_numpy()
            flagged[rows[off]] = True
        self.findings(np.flatnonzero(flagged), "legal_rep_id", col,
                      lambda v: codes.check_id_number(v, today=self.today))  # fmt: skip
        return col

    def phone(self, col: pd.Series) -> pd.Series:
        if not _only(col, b"0123456789+"):
            col = col.str.replace(r"[\s\-\u2010-\u2015\u2212()]", "", regex=True)
        joined = _joined(col)
        if any(joined.startswith(p) or f"\x00{p}" in joined for p in ("86", "+86", "0086")):
            col = col.str.replace(r"^(?:\+|00)?86(1\d{10})$", r"\1", regex=True)
        given = (col != "").to_numpy()
        bad = given & ~_shaped(col, 11, _PHONE_OK)
        self.error(bad, "legal_rep_phone", col, "phone_format", {})
        return col

    def money(self, name: str, col: pd.Series) -> pd.Series:
        given = (col != "").to_numpy()
        if _only(col, b"0123456789.+-"):  # digits only (the common case): parsed in C
            number = pd.to_numeric(col.where(given, None), errors="coerce").to_numpy(float)
            shaped = given & np.isfinite(number)
            self.error(given & ~shaped, name, col, "not_money", [{"value": v} for v in col[given & ~shaped]])
            number = number * (10_000 if self.units.get(name, False) else 1)
            neg = shaped & (number < 0)
            self.error(neg, name, col, "negative", {})
            return self._bounded(name, col, shaped & ~neg, np.floor(number + 0.5))
        text = col.str.replace(r"[,，元¥]", "", regex=True).str.strip()
        wan = text.str.endswith("万").to_numpy(bool)
        text = text.str.removesuffix("万").str.strip()
        exponent = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+").to_numpy(bool)
        self.error(exponent & given, name, col, "money_exponent", [{"value": v} for v in col[exponent & given]])
        shaped = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)").to_numpy(bool)
        number = pd.to_numeric(text.where(shaped, None), errors="coerce").to_numpy(float)
        bad = given & ~shaped & ~exponent
        self.error(bad, name, col, "not_money", [{"value": v} for v in col[bad]])
        number = number * np.where(wan | self.units.get(name, False), 10_000, 1)
        neg = given & shaped & (number < 0)
        self.error(neg, name, col, "negative", {})
        return self._bounded(name, col, given & shaped & ~neg, np.floor(number + 0.5))

    def integer(self, name: str, col: pd.Series) -> pd.Series:
        given = (col != "").to_numpy()
        if _only(col, b"0123456789"):  # digits only: parsed in C
            shaped = given
            text = col
        else:
            text = col.str.replace(",", "", regex=False)
            shaped = text.str.fullmatch(r"-?\d+(\.0+)?").to_numpy(bool)
        bad = given & ~shaped
        self.error(bad, name, col, "not_integer", [{"value": v} for v in col[bad]])
        number = pd.to_numeric(text.where(shaped, None), errors="coerce").to_numpy(float)
        neg = given & shaped & (number < 0)
        self.error(neg, name, col, "negative", {})
        return self._bounded(name, col, given & shaped & ~neg, number)

    def _bounded(self, name: str, col: pd.Series, ok: np.ndarray, number: np.ndarray) -> pd.Series:
        bounds = input_bounds().get(name)
        if bounds is not None:
            out = ok & ((number < bounds.min) | (number > bounds.max))
            self.error(out, name, col, "implausible", [bounds.problem(v).params for v in col[out]])
            ok = ok & ~out
        values = pd.Series(np.where(ok, number, 0), dtype="int64").astype(object)
        values[~ok] = None
        return values

    def date(self, name: str, col: pd.Series) -> pd.Series:
        given = (col != "").to_numpy()
        iso = col.str.len().to_numpy() == 10
        day = pd.Series(pd.NaT, index=col.index, dtype="datetime64[ns]")
        if iso.any():  # YYYY-MM-DD, as most lists hold it: parsed in C
            day[iso] = pd.to_datetime(col[iso], format="%Y-%m-%d", errors="coerce")
        rest = given & day.isna().to_numpy()
        if rest.any():  # 2020/1/5, 2020年1月5日, 20200105, a workbook's 2020-01-05 00:00:00
            sub = col[rest]
            parts = sub.str.extract(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00:00)?$")
            parts = parts.fillna(sub.str.extract(r"^(\d{4})(\d{2})(\d{2})$"))
            day[rest] = pd.to_datetime(parts.set_axis(["year", "month", "day"], axis=1).astype("float"),
                                       errors="coerce")  # fmt: skip
        bad = given & day.isna().to_numpy()
        self.error(bad, name, col, "not_date", [{"value": v} for v in col[bad]])
        future = given & (day > pd.Timestamp(self.today)).to_numpy()
        self.error(future, name, col, "future_date", {})
        old = given & (day < pd.Timestamp(OLDEST_REGISTRATION)).to_numpy() if name == "registered_on" else ~given
        self.error(old, name, col, "date_too_old", {"min": OLDEST_REGISTRATION.isoformat()})
        ok = given & ~bad & ~future & ~old
        values = day.dt.strftime("%Y-%m-%d").astype(object)
        values[~ok] = None
        return values

    def choice(self, name: str, col: pd.Series) -> pd.Series:
        """Industry, grade, yes/no, region: each distinct value parsed once by the core parser."""
        kind = FIELDS[name].kind
        parsed, problems = {}, {}
        for raw in col.unique():
            if raw == "":
                parsed[raw] = None
                continue
            try:
                parsed[raw] = parse_value(kind, raw, today=self.today)
            except ValueProblem as problem:
                parsed[raw], problems[raw] = None, problem
        by_code: dict[str, list] = {}
        for raw, problem in problems.items():
            by_code.setdefault(problem.code, []).append(raw)
        for code, raws in by_code.items():
            bad = col.isin(raws).to_numpy()
            self.error(bad, name, col, code, [problems[v].params for v in col[bad]])
        values = col.map(parsed)
        if kind == "yesno":
            values = values.map(lambda v: None if v is None else int(v))
        return values.astype(object).where(values.notna(), None)


def _one(n: int, r: int) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[r] = True
    return mask

