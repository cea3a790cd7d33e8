"""The domain of an enterprise list import: map headers, validate every row, say what happened.

A regulator's list (530,000 rows for Zhejiang) is validated column by column with numpy/pandas: the
common case costs a few vectorised passes, and only rows a check flags go through the core
validators one by one, for their exact message (``core.codes``, ``core.values``). Categorical columns
(industry, grade, yes/no) are parsed once per distinct value.

Rules (issue 10):

* 企业名称 and 统一社会信用代码 are required; a list without either column is refused whole.
* A credit code failing only its check character(s) is imported with a warning (pilot-city codes
  are legal); a malformed one rejects the row. Bad ID numbers, phones, dates, amounts and choices
  reject the row, each with its field and reason.
* The same credit code twice in one file: the LATER valid row wins; each earlier one is reported
  as a warning ("superseded by row N") and counted in ``duplicates``, not written.
* A blank cell never erases a stored value: an update changes only the fields the list gives.

Nothing here speaks SQL: ``storage.enterprise_import`` writes what this module accepts.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loandesk.core import clock, codes
from loandesk.core.dictionary import FIELDS
from loandesk.core.intake import OLDEST_REGISTRATION, TEXT_LIMITS, parse_value
from loandesk.core.messages import CATALOGUE
from loandesk.core.validation import Finding, Level
from loandesk.core.values import ValueProblem, input_bounds

from .header_mapping import LIST_FIELDS, Mapped, field_label

CATALOGUE.setdefault("list_superseded", ("same credit code as row {row}, which replaces this row",
                                         "与第 {row} 行信用代码相同，以第 {row} 行为准"))  # fmt: skip
CATALOGUE.setdefault("list_code_kept", ("check character should be {expected}; imported as listed "
                                        "(early pilot-city codes differ): verify it with the enterprise",
                                        "校验位应为 {expected}；已按名单导入（早期试点城市代码可能不符），"
                                        "请与企业核实"))  # fmt: skip
CATALOGUE.setdefault("list_person_dropped", ("not kept: the list gives no legal representative name",
                                             "未保存：名单未提供法定代表人姓名"))  # fmt: skip
LIST_TEXT_LIMITS = {**TEXT_LIMITS, "list_branch": 100, "list_officer": 40}
REQUIRED = ("enterprise_name", "credit_code")
PERSON = ("legal_rep_name", "legal_rep_id", "legal_rep_phone")
REPORT_COLUMNS = ["row", "field", "value", "severity", "reason"]
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


class ListRefused(ValueError):
    """The whole list is refused (nothing written); ``message(lang)`` is one line."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Validated:
    """The accepted rows (typed, one per credit code) and every problem found, by 1-based data row."""

    rows: int  # data rows in the file
    accepted: pd.DataFrame  # column 'row' plus one column per mapped field (None where blank)
    fields: list[str]  # the fields the list gives (blank cells in them never erase stored values)
    issues: pd.DataFrame  # row, field, value, severity, code, params
    rejected: int = 0
    duplicates: int = 0
    warned_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def report(self, lang: str) -> pd.DataFrame:
        """The report CSV's rows: row, field, value, severity, reason (in ``lang``), by row."""
        if self.issues.empty:
            return pd.DataFrame(columns=REPORT_COLUMNS)
        issues = self.issues.sort_values(["row", "severity"], kind="stable")
        reasons = [_reason(f, c, p, lang) for f, c, p in zip(issues["field"], issues["code"], issues["params"],
                                                            strict=True)]  # fmt: skip
        return pd.DataFrame({"row": issues["row"].to_numpy(), "field": issues["field"].to_numpy(),
                             "value": issues["value"].to_numpy(), "severity": issues["severity"].to_numpy(),
                             "reason": reasons})  # fmt: skip


def _reason(field_name: str, code: str, params: dict, lang: str) -> str:
    text = Finding(field_name, Level.ERROR, code, params).message(lang)
    sep = "：" if lang == "zh" else ": "
    return f"{field_label(field_name, lang)}{sep}{text}"


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


class _Issues:
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


def _clean(col: pd.Series, fold: bool) -> pd.Series:
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


class _Checker:
    def __init__(self, frame: pd.DataFrame, mapping: dict[str, Mapped], today: dt.date):
        self.n = len(frame)
        self.today = today
        self.bad = np.zeros(self.n, bool)
        self.warn = np.zeros(self.n, bool)
        self.issues = _Issues()
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


def validate(frame: pd.DataFrame, mapping: dict[str, Mapped], today: dt.date | None = None) -> Validated:
    """Validate a list read by ``lists.reading.read_table`` (every cell text) under ``mapping``
    (header -> field; headers not in it are skipped)."""
    today = today or clock.today()
    mapping = {h: m for h, m in mapping.items() if m is not None and m.field in LIST_FIELDS}
    missing = [f for f in REQUIRED if f not in {m.field for m in mapping.values()}]
    if missing:
        en = ", ".join(f"{field_label(f, 'en')} ({FIELDS[f].header_zh})" for f in missing)
        zh = "、".join(field_label(f, "zh") for f in missing)
        raise ListRefused(f"the list has no column for {en}: nothing was imported",
                          f"名单缺少必需的列：{zh}；未导入任何数据")  # fmt: skip
    check = _Checker(frame, mapping, today)
    for name, raw in check.raw.items():
        kind = FIELDS[name].kind if name in FIELDS else "text"
        col = _clean(raw, fold=kind != "text")
        if name in REQUIRED:
            check.error((col == "").to_numpy(), name, col, "required", {})
        if name == "credit_code":
            check.out[name] = check.credit_code(col)
        elif kind == "id":
            check.out[name] = check.id_number(col)
        elif kind == "phone":
            check.out[name] = check.phone(col)
        elif kind == "money":
            check.out[name] = check.money(name, col)
        elif kind == "int":
            check.out[name] = check.integer(name, col)
        elif kind == "date":
            check.out[name] = check.date(name, col)
        elif kind in ("industry", "grade", "yesno", "region"):
            check.out[name] = check.choice(name, col)
        else:
            check.out[name] = check.text(name, col)
    out = check.out
    if "tax_paid_12m" in out and "tax_paid_24m" in out:
        t12 = pd.to_numeric(out["tax_paid_12m"], errors="coerce").to_numpy(float)
        t24 = pd.to_numeric(out["tax_paid_24m"], errors="coerce").to_numpy(float)
        check.error(t24 < t12, "tax_paid_24m", check.raw["tax_paid_24m"], "tax_24_lt_12", {})
    if any(f in out for f in PERSON[1:]):
        named = (out["legal_rep_name"] != "").to_numpy() if "legal_rep_name" in out else np.zeros(check.n, bool)
        for name in PERSON[1:]:
            if name in out:
                lost = ~named & (out[name] != "").to_numpy() & ~check.bad
                check.warning(lost, name, out[name], "list_person_dropped", {})
    ok = ~check.bad
    accepted = pd.DataFrame({"row": np.arange(1, check.n + 1)})
    for name, values in out.items():
        values = values.astype(object)
        if values.dtype == object:
            values = values.where(values != "", None)
        accepted[name] = values.to_numpy()
    accepted = accepted[ok]
    # The same credit code twice: the later valid row wins; each earlier one is reported.
    dup = accepted["credit_code"].duplicated(keep="last").to_numpy()
    issues = check.issues
    if dup.any():
        winner = accepted.drop_duplicates("credit_code", keep="last").set_index("credit_code")["row"]
        lost = accepted[dup]
        params = [{"row": int(w)} for w in winner.loc[lost["credit_code"]].to_numpy()]
        issues.add(lost["row"].to_numpy() - 1, "credit_code", lost["credit_code"].to_numpy(), "warning",
                   "list_superseded", params)  # fmt: skip
        accepted = accepted[~dup]
    warned = accepted["row"].to_numpy()[check.warn[accepted["row"].to_numpy() - 1]]
    return Validated(rows=check.n, accepted=accepted.reset_index(drop=True), fields=list(out),
                     issues=issues.frame(), rejected=int(check.bad.sum()), duplicates=int(dup.sum()),
                     warned_rows=warned)  # fmt: skip


@dataclass
class ImportResult:
    """What an import did, for the CLI's counts and the dialog's result page."""

    file_name: str
    rows: int
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warned: int = 0
    duplicates: int = 0
    batch_id: str | None = None
    sheet: str | None = None
    report: pd.DataFrame | None = None

    @property
    def written(self) -> bool:
        return self.imported + self.updated + self.unchanged > 0

    def counts(self) -> dict[str, int]:
        return {"imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "warned": self.warned, "duplicates": self.duplicates,
                "rows": self.rows}  # fmt: skip

    def summary(self, lang: str) -> str:
        if lang == "zh":
            return (f"{self.file_name}：共 {self.rows} 行，新增 {self.imported}，更新 {self.updated}，"
                    f"无变化 {self.unchanged}，拒绝 {self.rejected}，警告 {self.warned}，重复 {self.duplicates}")
        return (f"{self.file_name}: {self.rows} rows; {self.imported} imported, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.rejected} rejected, {self.warned} warned, "
                f"{self.duplicates} duplicates superseded")  # fmt: skip


def read_list(path: Path, sheet: str | None = None, mapping: dict | None = None) -> pd.DataFrame:
    """The list's cells as text, strictly (``lists.reading``): refused whole when unreadable. With the
    user's ``mapping`` (header -> Mapped or None) a file of headers Loan Desk does not know is read too."""
    from .header_mapping import field_of
    from .reading import read_table

    if mapping is not None:
        chosen = {h: m.field for h, m in mapping.items() if m is not None}
        return read_table(path, field_of=lambda h: chosen.get(h, field_of(h)), require_known=True, sheet=sheet)
    return read_table(path, field_of=field_of, require_known=True, sheet=sheet)


def sheet_names(path: Path) -> list[str]:
    """The sheets of an .xlsx workbook (the dialog offers them); [] for a CSV."""
    from .reading import EXCEL_SUFFIXES

    if Path(path).suffix.lower() not in EXCEL_SUFFIXES:
        return []
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()
