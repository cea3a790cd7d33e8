"""Which data dictionary field a list's column header means.

Regulators, tax bureaux and market-supervision offices each export their lists with their own
headers: the dictionary's Chinese names (``core.dictionary``) and English names are known, and so
are the common variants seen on such lists (企业名称 / 单位名称 / 纳税人名称, 法定代表人 / 法人 / 法人代表,
联系电话 / 手机号 ...). A header none of these covers is left unmapped for the user to choose (the
import dialog's mapping step) or skipped (the command line names it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loandesk.core.dictionary import FIELDS, match_header

# Fields a list import stores on the enterprise (and its legal representative), plus the list's own
# columns (m012): the branch or region the list assigns and the officer named on it.
LIST_FIELDS = (
    "enterprise_name", "credit_code", "industry", "region_code", "registered_on", "employees",
    "annual_revenue", "total_assets", "tax_grade", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
    "social_insurance_headcount", "abnormal_operation", "dishonest_debtor", "has_loan_history",
    "legal_rep_name", "legal_rep_id", "legal_rep_phone", "list_branch", "list_officer",
)  # fmt: skip
# The list's own columns have no dictionary entry: their labels live here.
LIST_ONLY_LABELS = {
    "list_branch": ("Branch (from the list)", "所属机构"),
    "list_officer": ("Account manager (from the list)", "客户经理"),
}

# Variants seen on real lists, folded as ``_fold`` folds them.
_VARIANTS = {
    "enterprise_name": "单位名称 纳税人名称 企业名 名称 公司名称 主体名称 市场主体名称 企业全称 companyname",
    "credit_code": "信用代码 社会信用代码 统一代码 统一信用代码 统一社会信用代码证 纳税人识别号 uscc creditcode",
    "legal_rep_name": "法人 法人代表 法定代表人姓名 负责人 经营者 法定代表人负责人 legalrepresentative legalrep",
    "legal_rep_id": "法人身份证号 身份证号 身份证号码 法定代表人证件号码 证件号码 法人身份证号码 idnumber",
    "legal_rep_phone": "手机号 手机号码 联系方式 电话 手机 联系人电话 法人电话 法定代表人电话 phone mobile",
    "registered_on": "注册日期 成立时间 登记日期 注册时间 开业日期 establishedon",
    "industry": "所属行业 行业类别 行业门类",
    "region_code": "区划代码 行政区划 地区代码",
    "employees": "从业人数 员工人数 职工人数 人数",
    "annual_revenue": "营业收入 年营业收入 销售收入 主营业务收入",
    "total_assets": "资产 总资产",
    "tax_grade": "纳税等级 纳税信用级别 信用等级",
    "social_insurance_headcount": "参保人数 社保人数",
    "abnormal_operation": "是否经营异常 经营异常名录",
    "dishonest_debtor": "是否失信被执行人 失信",
    "has_loan_history": "有无贷款 是否有贷款 贷款记录",
    "list_branch": "所属机构 所属支行 支行 网点 所属网点 营业网点 管辖机构 所属地区 branch",
    "list_officer": "客户经理 营销人员 对接人 走访人员 负责客户经理 officer accountmanager",
}


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-（）()：:]", "", str(text)).lower()


_BY_VARIANT = {_fold(v): name for name, words in _VARIANTS.items() for v in words.split()}
_BY_VARIANT.update({_fold(name): name for name in LIST_ONLY_LABELS})
_BY_VARIANT.update({_fold(zh): name for name, (_en, zh) in LIST_ONLY_LABELS.items()})


@dataclass(frozen=True)
class Mapped:
    field: str
    unit_wan: bool = False  # money headed 万元: multiply by 10,000


def map_header(header: str) -> Mapped | None:
    """The list field a header means, or None. Dictionary names first (with their units), then variants."""
    text = str(header).strip().lstrip("\ufeff")
    match = match_header(text)
    if match and match.field in LIST_FIELDS:
        return Mapped(match.field, match.unit_wan)
    if match:
        return None  # a dictionary field a list does not store (the loan request's columns)
    unit_wan = bool(re.search(r"[(（]\s*万元\s*[)）]\s*$", text))
    bare = re.sub(r"[(（]\s*(万元|元|yuan)\s*[)）]\s*$", "", text)
    name = _BY_VARIANT.get(_fold(bare))
    return Mapped(name, unit_wan and FIELDS.get(name) is not None and FIELDS[name].kind == "money") if name else None


def field_of(header: str) -> str | None:
    """For ``lists.reading.read_table``: two headers for the same field are refused there."""
    found = map_header(header)
    return found.field if found else None


def auto_mapping(headers: list[str]) -> dict[str, Mapped | None]:
    """Every header with the field it maps to (None: unknown, for the user to choose or to skip)."""
    return {h: map_header(h) for h in headers}


def field_label(name: str, lang: str) -> str:
    from loandesk.core.validation import field_label as dictionary_label

    if name in LIST_ONLY_LABELS:
        en, zh = LIST_ONLY_LABELS[name]
        return zh if lang == "zh" else en
    return dictionary_label(name, lang)
