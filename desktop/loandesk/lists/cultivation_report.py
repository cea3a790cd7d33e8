"""The cultivation dashboard's figures (funnel, 首贷户占比, visits per officer, time to first loan) and
their Excel export: a sheet of figures and sheets of the underlying rows, personal data masked.

The SQL is in ``storage/cultivation_figures.py``; this module shapes it for the GUI, the command
line (``loandesk report cultivation``) and head office's workbook. The workbook is written to a
temporary file beside the target and renamed: a whole file or none.
"""

from __future__ import annotations

import os
from pathlib import Path

from loandesk.core.cultivation import stage_name
from loandesk.core.i18n import pick
from loandesk.core.industries import industry_name
from loandesk.core.models import masked
from loandesk.storage import Store
from loandesk.storage import cultivation_figures as sql

FUNNEL_STEPS = ("listed", "contacted", "need", "visited", "granted")
FUNNEL_NAMES = {
    "listed": ("Listed", "名单企业"), "contacted": ("Contacted", "已联系"), "need": ("Financing need", "有融资需求"),
    "visited": ("Visited", "已走访"), "granted": ("Credit granted", "已授信"), "amount": ("Amount granted (yuan)",
                                                                                  "授信金额（元）"),
}  # fmt: skip
ROW_HEADERS = {
    "ref": ("Reference", "编号"), "enterprise_name": ("Enterprise", "企业名称"),
    "credit_code": ("Credit code", "统一社会信用代码"), "region_code": ("Region code", "行政区划代码"),
    "industry": ("Industry", "行业"), "tax_grade": ("Tax grade", "纳税信用等级"),
    "cultivation_stage": ("Stage", "培育阶段"), "listed_on": ("Listed on", "列入名单日期"),
    "officer": ("Account manager", "客户经理"), "contacted": ("Contacted", "已联系"),
    "need": ("Financing need", "有融资需求"), "visited": ("Visited", "已走访"), "granted": ("Credit granted", "已授信"),
    "amount": ("Amount granted (yuan)", "授信金额（元）"), "legal_rep_name": ("Legal representative", "法定代表人"),
    "legal_rep_phone": ("Contact phone", "联系电话"),
}  # fmt: skip


def share(first: int, new: int) -> float | None:
    return round(first / new, 4) if new else None


def figures(store: Store, start: str | None = None, end: str | None = None) -> dict:
    """Every dashboard figure for the period (ISO dates or None), as plain data (JSON-ready)."""
    shares = {}
    for by in ("month", "officer", "branch"):
        rows = sql.first_loan_share(store, by, start, end)
        shares[by] = [{**r, "share": share(r["first_loan"], r["new_customers"])} for r in rows]
    total_new = sum(r["new_customers"] for r in shares["month"])
    total_first = sum(r["first_loan"] for r in shares["month"])
    return {
        "period": {"from": start, "to": end},
        "funnel": sql.funnel(store, start, end),
        "first_loan_share": {"new_customers": total_new, "first_loan": total_first,
                             "share": share(total_first, total_new), **shares},
        "visits_per_officer": sql.visits_per_officer(store, start, end),
        "time_to_first_loan": sql.time_to_first_loan(store, start, end),
    }  # fmt: skip


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def figure_lines(data: dict, lang: str | None = None) -> list[list]:
    """The figures sheet: one table after another, each with its own header row."""
    t = lambda en, zh: pick(en, zh, lang)  # noqa: E731
    out: list[list] = [[t("Cultivation report", "首贷培育报表")],
                       [t("Period", "期间"), data["period"]["from"] or t("start", "起始"),
                        data["period"]["to"] or t("today", "至今")], [],
                       [t("Funnel", "培育漏斗"), t("Enterprises", "企业数"), t("Of listed", "占名单比")]]  # fmt: skip
    funnel = data["funnel"]
    for step in FUNNEL_STEPS:
        out.append([t(*FUNNEL_NAMES[step]), funnel[step], _percent(share(funnel[step], funnel["listed"]))])
    out.append([t(*FUNNEL_NAMES["amount"]), funnel["amount"]])
    fls = data["first_loan_share"]
    out += [[], [t("First-loan share of new loan customers", "首贷户占比"), t("New loan customers", "新增贷款户"),
                 t("First-loan customers", "首贷户"), t("Share", "占比")],
            [t("All", "合计"), fls["new_customers"], fls["first_loan"], _percent(fls["share"])]]  # fmt: skip
    for by, (en, zh) in (("month", ("by month", "按月")), ("officer", ("by officer", "按客户经理")),
                         ("branch", ("by branch", "按网点"))):  # fmt: skip
        for r in fls[by]:
            out.append([f"{t(en, zh)}: {r['key'] or t('unassigned', '未分配')}", r["new_customers"], r["first_loan"],
                        _percent(r["share"])])  # fmt: skip
    out += [[], [t("Visits per officer", "客户经理走访"), t("Visits", "走访次数"), t("Enterprises", "走访企业数"),
                 t("With a financing need", "有融资需求")]]  # fmt: skip
    for r in data["visits_per_officer"]:
        out.append([r["officer"], r["visits"], r["enterprises"], r["with_need"]])
    ttf = data["time_to_first_loan"]
    median = "" if ttf["median_days"] is None else round(ttf["median_days"], 1)
    out += [[], [t("Days from listing to first loan", "从列入名单到首贷天数"), t("Enterprises", "企业数")],
            [t("Median (days)", "中位数（天）"), median], [t("First-loan customers", "首贷户数"), ttf["count"]]]
    for b in ttf["distribution"]:
        out.append([t(f"{b['days']} days", f"{b['days']} 天"), b["count"]])
    return out


def _row_values(names: list[str], row: tuple, lang: str | None) -> list:
    record = masked(dict(zip(names, row, strict=True)))  # names and phones masked (domain.md §8)
    record["cultivation_stage"] = stage_name(record["cultivation_stage"], lang)
    if record.get("industry"):
        record["industry"] = industry_name(record["industry"], lang or "zh")
    yes, no = pick("yes", "是", lang), pick("no", "否", lang)
    for flag in ("contacted", "need", "visited", "granted"):
        record[flag] = yes if record[flag] else no
    return [record[n] for n in names]


def write_xlsx(store: Store, path: Path, start: str | None = None, end: str | None = None,
               lang: str | None = None, data: dict | None = None) -> dict:  # fmt: skip
    """The workbook: "Figures", then "Enterprises" (every listed enterprise past "listed") and "Visits".
    Returns the figures written. Audited as an export."""
    from openpyxl import Workbook

    from .safe_cells import safe_text

    def safe_cell(value):
        return safe_text(value) if isinstance(value, str) else value

    store.actor.require("export")
    data = data or figures(store, start, end)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(pick("Figures", "指标", lang))
    for line in figure_lines(data, lang):
        sheet.append([safe_cell(v) for v in line])
    rows_sheet = wb.create_sheet(pick("Enterprises", "企业明细", lang))
    names, cursor = sql.activity_rows(store, start, end)
    rows_sheet.append([pick(*ROW_HEADERS[n], lang) for n in names])
    count = 0
    for row in cursor:
        rows_sheet.append([safe_cell(v) for v in _row_values(names, row, lang)])
        count += 1
    visit_sheet = wb.create_sheet(pick("Visits", "走访记录", lang))
    visit_names, visits = sql_visits(store, start, end)
    visit_sheet.append([pick(*VISIT_HEADERS[n], lang) for n in visit_names])
    for row in visits:
        visit_sheet.append([safe_cell(v) for v in row])
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    with store.db.atomic():
        store.audit("exported", path.name, {"report": "cultivation", "rows": count})
    return data


VISIT_HEADERS = {
    "ref": ("Reference", "编号"), "enterprise_name": ("Enterprise", "企业名称"),
    "visited_on": ("Visit date", "走访日期"),
    "officer": ("Officer", "客户经理"), "findings": ("Findings", "走访情况"), "need": ("Financing need", "融资需求"),
    "need_amount": ("Need amount (yuan)", "需求金额（元）"), "next_step": ("Next step", "下一步"),
    "next_on": ("Next step date", "下一步日期"), "photos": ("Photos", "照片数"),
}  # fmt: skip


def sql_visits(store: Store, start: str | None, end: str | None):
    from loandesk.storage import cultivation_lists

    return cultivation_lists.visit_rows(store, start, end)
