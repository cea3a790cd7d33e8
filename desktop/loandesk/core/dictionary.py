"""The data dictionary (shared/domain.md §9): field names, Chinese headers, kinds.

One table serves intake forms, file imports, batch scoring and exports, so a
column means the same thing everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    header_zh: str
    kind: str  # text, code, id, phone, int, money, date, grade, industry, region, yesno, guarantee
    personal: bool = False


DATA_DICTIONARY: tuple[FieldSpec, ...] = (
    FieldSpec("enterprise_name", "企业名称", "text"),
    FieldSpec("credit_code", "统一社会信用代码", "code"),
    FieldSpec("industry", "行业", "industry"),
    FieldSpec("region_code", "行政区划代码", "region"),
    FieldSpec("registered_on", "成立日期", "date"),
    FieldSpec("employees", "从业人员", "int"),
    FieldSpec("annual_revenue", "营业收入", "money"),
    FieldSpec("total_assets", "资产总额", "money"),
    FieldSpec("tax_grade", "纳税信用等级", "grade"),
    FieldSpec("tax_paid_12m", "近12个月纳税额", "money"),
    FieldSpec("tax_paid_24m", "近24个月纳税额", "money"),
    FieldSpec("invoice_sales_12m", "近12个月开票销售额", "money"),
    FieldSpec("social_insurance_headcount", "社保缴纳人数", "int"),
    FieldSpec("abnormal_operation", "经营异常", "yesno"),
    FieldSpec("dishonest_debtor", "失信被执行人", "yesno"),
    FieldSpec("has_loan_history", "有无贷款记录", "yesno"),
    FieldSpec("legal_rep_name", "法定代表人", "text", personal=True),
    FieldSpec("legal_rep_id", "法定代表人身份证号", "id", personal=True),
    FieldSpec("legal_rep_phone", "联系电话", "phone", personal=True),
    FieldSpec("requested_amount", "申请金额", "money"),
    FieldSpec("term_months", "申请期限(月)", "int"),
    FieldSpec("purpose", "贷款用途", "text"),
    FieldSpec("guarantee_mode", "担保方式", "guarantee"),
)
FIELDS = {f.name: f for f in DATA_DICTIONARY}
DICTIONARY_COLUMNS = [f.name for f in DATA_DICTIONARY]
PERSONAL_FIELDS = frozenset(f.name for f in DATA_DICTIONARY if f.personal)
TAX_GRADES = ("A", "B", "M", "C", "D")
GUARANTEE_MODES = {"credit": "信用", "guarantee": "保证", "collateral": "抵押", "insurance": "保证保险"}


def _fold_header(text: str) -> str:
    return re.sub(r"[\s_（）()]", "", str(text)).lower()


_BY_HEADER = {}
for _f in DATA_DICTIONARY:
    _BY_HEADER[_fold_header(_f.name)] = _f.name
    _BY_HEADER[_fold_header(_f.header_zh)] = _f.name


@dataclass(frozen=True)
class ColumnMatch:
    field: str
    unit_wan: bool  # the header says 万元: multiply money by 10,000


def match_header(header: str) -> ColumnMatch | None:
    """'营业收入(万元)' -> annual_revenue in 万元; 'annual_revenue' -> itself; unknown -> None."""
    text = str(header).strip().lstrip("\ufeff")
    unit_wan = bool(re.search(r"[(（]\s*万元\s*[)）]\s*$", text))
    text = re.sub(r"[(（]\s*(万元|元|yuan)\s*[)）]\s*$", "", text)
    name = _BY_HEADER.get(_fold_header(text))
    return ColumnMatch(name, unit_wan) if name else None


def parse_guarantee(raw: str) -> str | None:
    text = str(raw or "").strip().lower()
    if text in GUARANTEE_MODES:
        return text
    for code, zh in GUARANTEE_MODES.items():
        if text == zh:
            return code
    return None
