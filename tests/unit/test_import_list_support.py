"""Generated enterprise lists for the import tests (no data committed): valid codes and ID numbers
made from the standards (core.codes), realistic Chinese names, any header set and encoding."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from loandesk.core.codes import USCC_CHARS, id_check_char, org_code_check_char, uscc_check_char

ZH = {"enterprise_name": "企业名称", "credit_code": "统一社会信用代码", "legal_rep_name": "法定代表人",
      "legal_rep_id": "法定代表人身份证号", "legal_rep_phone": "联系电话", "registered_on": "成立日期",
      "annual_revenue": "营业收入(万元)", "employees": "从业人员", "tax_grade": "纳税信用等级",
      "industry": "行业", "list_branch": "所属机构"}  # fmt: skip
VARIANTS = {"enterprise_name": "纳税人名称", "credit_code": "社会信用代码", "legal_rep_name": "法人代表",
            "legal_rep_id": "身份证号码", "legal_rep_phone": "手机号", "registered_on": "成立时间",
            "annual_revenue": "营业收入（万元）", "employees": "从业人数", "tax_grade": "纳税信用级别",
            "industry": "所属行业", "list_branch": "所属支行"}  # fmt: skip
EN = {k: k for k in ZH}
COLUMNS = list(ZH)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
WORDS = "恒瑞鑫源泰丰华盛宏达兴隆金鼎嘉禾中天永安博远"
TRADES = ["科技", "贸易", "食品", "机械", "五金", "服饰", "电子", "物流"]
CITIES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州"]


def credit_code(rng: random.Random, region: str = "330106") -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY"[:10]) for _ in range(8))
    first = "91" + region + body + org_code_check_char(body)
    return first + uscc_check_char(first)


def bad_check_code(rng: random.Random) -> str:
    """Right shape, wrong final check character (as early pilot-city codes)."""
    code = credit_code(rng)
    wrong = USCC_CHARS[(USCC_CHARS.index(code[-1]) + 1) % len(USCC_CHARS)]
    return code[:-1] + wrong


def id_number(rng: random.Random) -> str:
    first = f"330106{rng.randrange(1960, 2000)}{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}" \
            f"{rng.randrange(1000):03d}"  # fmt: skip
    return first + id_check_char(first)


def record(rng: random.Random, i: int) -> dict:
    return {
        "enterprise_name": f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}"
                           f"{i}号有限公司",
        "credit_code": credit_code(rng),
        "legal_rep_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)]),
        "legal_rep_id": id_number(rng),
        "legal_rep_phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "registered_on": f"{rng.randrange(2000, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}",
        "annual_revenue": str(rng.randrange(50, 5000)),
        "employees": str(rng.randrange(1, 300)),
        "tax_grade": rng.choice("ABMCD"),
        "industry": rng.choice(["IND", "RET", "WHS", "ITC"]),
        "list_branch": rng.choice(["西湖支行", "滨江支行"]),
    }  # fmt: skip


def records(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    return [record(rng, i) for i in range(n)]


def write_list(path: Path, rows: list[dict], headers: dict | None = None, encoding: str = "utf-8",
               columns: list[str] | None = None) -> Path:  # fmt: skip
    headers = headers or ZH
    columns = columns or COLUMNS
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow([headers.get(c, c) for c in columns])
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])
    return path
