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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loandesk.core import clock
from loandesk.core.dictionary import FIELDS
from loandesk.core.messages import CATALOGUE
from loandesk.core.validation import Finding, Level

from .header_mapping import LIST_FIELDS, Mapped, field_label
from .list_columns import Checker, clean

CATALOGUE.setdefault("list_superseded", ("same credit code as row {row}, which replaces this row",
                                         "与第 {row} 行信用代码相同，以第 {row} 行为准"))  # fmt: skip
CATALOGUE.setdefault("list_code_kept", ("check character should be {expected}; imported as listed "
                                        "(early pilot-city codes differ): verify it with the enterprise",
                                        "校验位应为 {expected}；已按名单导入（早期试点城市代码可能不符），"
                                        "请与企业核实"))  # fmt: skip
CATALOGUE.setdefault("list_person_dropped", ("not kept: the list gives no legal representative name",
                                             "未保存：名单未提供法定代表人姓名"))  # fmt: skip
REQUIRED = ("enterprise_name", "credit_code")
PERSON = ("legal_rep_name", "legal_rep_id", "legal_rep_phone")
REPORT_COLUMNS = ["row", "field", "value", "severity", "reason"]


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
    check = Checker(frame, mapping, today)
    for name, raw in check.raw.items():
        kind = FIELDS[name].kind if name in FIELDS else "text"
        col = clean(raw, fold=kind != "text")
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
