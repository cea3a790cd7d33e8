"""Realistic demo data: Chinese enterprises with valid codes and IDs, every industry and tax grade.

Every record goes through ``core.intake.validate_intake`` like a typed one, so
demo data can never hold what a teller could not have saved.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from loandesk.core import clock
from loandesk.core.codes import id_check_char, org_code_check_char, uscc_check_char
from loandesk.core.dictionary import TAX_GRADES
from loandesk.core.industries import industry_codes
from loandesk.core.intake import validate_intake
from loandesk.storage import Store

if TYPE_CHECKING:
    from loandesk.scoring.pack import RulePack

CITIES = [
    ("杭州", "330106"), ("宁波", "330203"), ("温州", "330302"), ("嘉兴", "330402"), ("湖州", "330502"),
    ("绍兴", "330602"), ("金华", "330702"), ("台州", "331002"), ("义乌", "330782"), ("丽水", "331102"),
]  # fmt: skip
WORDS = "恒瑞鑫源泰丰华盛永达兴旺嘉禾宏图锦程明远博创新航卓越天成正信安康汇通金鼎"
TRADES = {
    "AGR": ["农业", "茶业", "果蔬种植", "水产养殖"], "IND": ["机械制造", "五金制品", "纺织", "电子科技"],
    "CON": ["建筑工程", "装饰工程"], "WHS": ["贸易", "商贸", "供应链"], "RET": ["超市", "便利店", "百货"],
    "TRN": ["物流运输", "货运"], "STO": ["仓储", "冷链仓储"], "PST": ["快递服务"], "ACC": ["酒店", "民宿"],
    "CAT": ["餐饮管理", "面馆", "小吃店"], "ITC": ["网络通信"], "SWS": ["软件科技", "信息技术"],
    "RED": ["房地产开发"], "PMG": ["物业管理"], "LBS": ["商务咨询", "设备租赁"], "OTH": ["文化传媒", "教育咨询"],
}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国志红"
PURPOSES = ["流动资金周转", "采购原材料", "支付货款", "店面装修", "购置设备", "备货"]
# The demo home's users (``loandesk demo``), one per role, each with the password DEMO_PASSWORD; the
# demo records carry their display names, as records made by those users signed in would.
DEMO_USERS = (("admin", "admin", "王管理"), ("approver", "approver", "陈静"), ("officer", "officer", "李明"),
              ("teller", "teller", "张柜员"))  # fmt: skip
DEMO_PASSWORD = "demo"
OFFICERS = ["李明"]
APPROVER = "陈静"
SITE_NOTES = [
    "实地查看经营场所，门店正常营业，库存充足；与实际控制人面谈，经营思路清晰。",
    "走访厂房及仓库，设备运转正常，员工在岗；核对近一年增值税申报表与开票数据一致。",
    "经营场所为租赁，租期至明年年底；抽查上下游合同及银行流水，回款稳定。",
    "现场核实社保缴纳名单与在岗人数基本一致；企业首次申请银行贷款，有融资需求。",
]
# How far each demo application has come, in turn: a teller sees every stage in the lists.
# (Record i mostly has tax grade "ABMCD"[i % 5]: the approved ones fall on grade A.)
LIFECYCLE = ("approved", "scored", "memo_zh", "submitted", "override", "approved", "memo_en", "scored",
             "memo_zh", "submitted")  # fmt: skip


def make_credit_code(rng: random.Random, region: str, individual: bool = False) -> str:
    # Codes issued since 2015 carry "MA" at positions 9-10 of the organisation code part.
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    org = body + org_code_check_char(body)
    first = ("92" if individual else "91") + region + org
    return first + uscc_check_char(first)


def make_id_number(rng: random.Random, region: str) -> str:
    born = dt.date(rng.randrange(1962, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
    first = region + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return first + id_check_char(first)


def make_phone(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + "".join(rng.choice("0123456789") for _ in range(9))


def _individual_suffix(industry: str, trade: str) -> str:
    """How individual businesses (个体工商户) are usually named: a shop, a workshop, a trading office."""
    if trade.endswith(("店", "馆", "超市", "民宿")):
        return ""
    return {"RET": "店", "IND": "加工厂", "AGR": "场", "SWS": "工作室", "ITC": "工作室",
            "LBS": "工作室", "OTH": "工作室"}.get(industry, "经营部")  # fmt: skip


def demo_record(rng: random.Random, i: int, today: dt.date | None = None) -> dict:
    """One enterprise with its legal representative and a loan request, as a form would hold it."""
    today = today or clock.today()
    industries = industry_codes()
    industry = industries[i % len(industries)]
    city, region = CITIES[rng.randrange(len(CITIES))]
    individual = rng.random() < 0.25
    trade = rng.choice(TRADES[industry])
    brand = "".join(rng.sample(WORDS, 2))
    suffix = _individual_suffix(industry, trade) if individual else "有限公司"
    name = f"{city}市{brand}{trade}{suffix}"
    years = rng.choice([0.5, 1.5, 2.5, 3, 4, 5, 8, 12])  # a quarter under the 2-year minimum
    employees = rng.choice([2, 5, 8, 12, 25, 40, 80, 150])
    revenue = rng.randrange(50, 5000) * 10_000
    tax_12 = int(revenue * rng.uniform(0.01, 0.05))
    grade = TAX_GRADES[i % len(TAX_GRADES)] if rng.random() < 0.7 else rng.choice("AABBM")
    amount = min(max(int(revenue * rng.uniform(0.05, 0.3)) // 10_000 * 10_000, 50_000), 3_000_000)
    return {
        "enterprise_name": name,
        "credit_code": make_credit_code(rng, region, individual),
        "industry": industry,
        "region_code": region,
        "registered_on": (today - dt.timedelta(days=int(365 * years))).isoformat(),
        "employees": employees,
        "annual_revenue": revenue,
        "total_assets": int(revenue * rng.uniform(0.3, 1.5)),
        "tax_grade": grade,
        "tax_paid_12m": tax_12,
        "tax_paid_24m": tax_12 + int(tax_12 * rng.uniform(0.6, 1.1)),
        "invoice_sales_12m": int(revenue * rng.uniform(0.7, 1.0)),
        "social_insurance_headcount": max(1, employees - rng.randrange(0, max(1, employees // 3))),
        "abnormal_operation": rng.random() < 0.05,
        "dishonest_debtor": rng.random() < 0.03,
        "has_loan_history": rng.random() < 0.15,
        "legal_rep_name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
        "legal_rep_id": make_id_number(rng, region),
        "legal_rep_phone": make_phone(rng),
        "requested_amount": amount,
        "term_months": rng.choice([6, 12, 12, 12]),
        "purpose": rng.choice(PURPOSES),
        "guarantee_mode": "credit",
        "product": "bank_tax_credit",
        "consent_given": True,
        "consent_date": (today - dt.timedelta(days=rng.randrange(0, 30))).isoformat(),
        "consent_scope": "税务数据、征信报告查询（本次授信）",
        "site_notes": rng.choice(SITE_NOTES),
        "officer": OFFICERS[i % len(OFFICERS)],
    }


def populate(store: Store, count: int = 60, seed: int = 20261122, *, lifecycle: bool = False,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> list[str]:  # fmt: skip
    """Add ``count`` enterprises, each with one application, and move the applications along
    (``LIFECYCLE``): scored, memo issued, approved, an override waiting for an approver.

    Every step is its own transaction, so a cancel keeps what was done. Returns the application ids.
    """
    rng = random.Random(seed)
    app_ids = []
    pack = None
    if lifecycle:
        from loandesk.scoring.service import pack_in_force  # scoring loads only when needed

        pack = pack_in_force(store)  # read and checked once, not once per application
    for i in range(count):
        if cancelled and cancelled():
            break
        result = validate_intake(demo_record(rng, i))
        if not result.ok:  # pragma: no cover - a generator bug, never user data
            raise AssertionError([f.describe("en") for f in result.errors])
        _, app = store.save_intake(result.values)
        app_ids.append(app.id)
        if lifecycle:
            advance(store, app.id, LIFECYCLE[i % len(LIFECYCLE)], result.values["officer"], pack)
        if progress:
            progress(i + 1, count)
    return app_ids


def advance(store: Store, application_id: str, stage: str, officer: str, pack: RulePack | None = None) -> None:
    """Take one stored application to ``stage`` the way an officer and approver would."""
    if stage == "submitted":
        return
    from loandesk.scoring.service import score_application  # scoring and memos load only when needed
    from loandesk.storage import decisions

    decision = score_application(store, application_id, officer=officer, pack=pack)
    if stage == "override":
        wanted = "refer" if decision["decision"] == "decline" else "decline"
        reason = ("实地走访发现经营场所已搬迁，需进一步核实" if wanted == "decline"
                  else "企业新签大额订单，申请转审批人复核")  # fmt: skip
        decisions.request_override(store, decision, wanted, reason, officer)
        return
    if stage in ("memo_zh", "memo_en", "approved"):
        from loandesk.memo.service import issue_memo

        lang = "en" if stage == "memo_en" else "zh"
        issue_memo(store, application_id, lang, officer=officer)
    if stage == "approved":  # the approver decides on the officer's memo: approve the model's limit, or decline
        from loandesk.approvals.service import decide
        from loandesk.core.decisions import ApprovalRefused

        try:
            if decision["decision"] == "decline":
                raise ApprovalRefused("outcome", "declined by the model", "模型结论为拒绝")
            decide(store, application_id, "approve", APPROVER, limit=decision["limit_amount"],
                   conditions=["每季度上门回访一次，核对开票及纳税数据。"])  # fmt: skip
        except ApprovalRefused:
            decide(store, application_id, "decline", APPROVER, reason="评分及准入条件未达本产品要求，本次不予授信。")
