"""Dashboard figures on a known generated dataset (exact counts), the Excel workbook read back, and the
command line's cultivation commands."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from loandesk.approvals import service
from loandesk.core import clock
from loandesk.core.intake import validate_intake
from loandesk.core.permissions import Actor
from loandesk.demo import demo_record
from loandesk.lists import cultivation_report as report
from loandesk.scoring.service import score_application
from loandesk.storage import cultivation as cv

LISTED_AT = dt.datetime(2026, 8, 25, 9, 0, tzinfo=dt.UTC)  # the list arrived 90 days before the pinned day
TODAY = dt.date(2026, 11, 23)
GOOD = dict(industry="RET", employees=8, annual_revenue=5_000_000, social_insurance_headcount=8,
            invoice_sales_12m=4_800_000, tax_paid_12m=200_000, tax_paid_24m=380_000, tax_grade="A",
            registered_on="2015-03-01", abnormal_operation=False, dishonest_debtor=False, requested_amount=300_000,
            officer="周建华")  # fmt: skip


def intake(store, seed: int, enterprise_id: str | None = None, **changes) -> tuple[str, str]:
    """(enterprise id, application id) saved through the intake path."""
    record = demo_record(random.Random(seed), seed)
    record.update(GOOD, **changes)
    result = validate_intake(record, today=TODAY)
    assert result.ok, [f.describe("en") for f in result.errors]
    ent, app = store.save_intake(result.values, enterprise_id=enterprise_id)
    return ent.id, app.id


def approve(store, app_id: str, limit: int) -> None:
    score_application(store, app_id, officer="周建华", as_of=TODAY)
    service.decide(store, app_id, "approve", "陈静", limit=limit)


@pytest.fixture
def dataset(store):
    """20 listed enterprises + 1 with loan history. Listed on 2026-08-25; worked on 2026-11-23:
    e0-e2 contacted by phone, e3 declined; visits: e4 (no need), e5 twice (need), e6 (need, by zhao);
    e6 granted 200,000 then a second loan of 150,000 (partner); L1 (loan history) granted 100,000."""
    clock.pin(LISTED_AT)
    try:
        e6, e6_app = intake(store, 1, has_loan_history=False)
        loan_history, l1_app = intake(store, 2, has_loan_history=True)
        rng = random.Random(3)
        store.import_enterprises([{**demo_record(rng, i, today=TODAY), "has_loan_history": False}
                                  for i in range(19)])  # fmt: skip
    finally:
        clock.pin(clock.parse_instant("2026-11-23T09:30:00+00:00"))
    refs = {r[1]: r[0] for r in store.db.execute("SELECT ref, id FROM enterprises")}
    others = [r[0] for r in store.db.execute("SELECT ref FROM enterprises WHERE id NOT IN (?, ?) ORDER BY seq",
                                             (e6, loan_history))]  # fmt: skip
    for ref in others[:3]:
        cv.set_stage(store, ref, "contacted", "电话联系")
    cv.set_stage(store, others[3], "declined", "不符合准入")
    cv.assign(store, "li", keys=others[4:6])
    cv.assign(store, "zhao", keys=[refs[e6]])
    store.actor = Actor("li", "officer", "李明")
    base = dict(visited_on=TODAY, findings="走访经营场所")
    cv.record_visit(store, cv.Visit(others[4], need=False, **base))
    cv.record_visit(store, cv.Visit(others[5], need=True, need_amount=300_000, **base))
    cv.record_visit(store, cv.Visit(others[5], need=True, need_amount=300_000, **base))
    store.actor = Actor("zhao", "officer", "赵强")
    cv.record_visit(store, cv.Visit(refs[e6], need=True, need_amount=500_000, **base))
    store.actor = Actor("system", "system")
    approve(store, e6_app, 200_000)
    _, second = intake(store, 1, enterprise_id=e6, has_loan_history=False, requested_amount=150_000)
    approve(store, second, 150_000)
    approve(store, l1_app, 100_000)
    return {"store": store, "e6": refs[e6], "others": others}


def test_the_funnel_and_every_figure_on_a_known_dataset(dataset):
    store = dataset["store"]
    assert store.db.execute("SELECT cultivation_stage FROM enterprises WHERE ref = ?",
                            (dataset["e6"],)).fetchone()[0] == "partner"  # fmt: skip
    assert [e["source"] for e in cv.stage_events(store, dataset["e6"])] == ["visit", "approval", "second_loan"]
    data = report.figures(store)
    assert data["funnel"] == {"listed": 20, "contacted": 7, "need": 2, "visited": 3, "granted": 1, "amount": 350_000}
    share = data["first_loan_share"]
    assert (share["new_customers"], share["first_loan"], share["share"]) == (2, 1, 0.5)
    assert share["month"] == [{"key": "2026-11", "new_customers": 2, "first_loan": 1, "share": 0.5}]
    assert share["officer"] == [{"key": "zhao", "new_customers": 1, "first_loan": 1, "share": 1.0},
                                {"key": "周建华", "new_customers": 1, "first_loan": 0, "share": 0.0}]  # fmt: skip
    assert share["branch"] == [{"key": "HZ01", "new_customers": 2, "first_loan": 1, "share": 0.5}]
    assert data["visits_per_officer"] == [{"officer": "li", "visits": 3, "enterprises": 2, "with_need": 2},
                                          {"officer": "zhao", "visits": 1, "enterprises": 1, "with_need": 1}]
    ttf = data["time_to_first_loan"]
    assert (ttf["count"], ttf["median_days"]) == (1, 90.0)
    assert {b["days"]: b["count"] for b in ttf["distribution"]} == {"0-30": 0, "31-90": 1, "91-180": 0,
                                                                    "181-365": 0, ">365": 0}  # fmt: skip


def test_a_period_narrows_the_figures(dataset):
    store = dataset["store"]
    later = report.figures(store, "2026-09-01", None)  # listed before the period: none in the funnel
    assert later["funnel"]["listed"] == 0 and later["funnel"]["granted"] == 0
    assert later["first_loan_share"]["new_customers"] == 2  # approvals in the period still count
    before = report.figures(store, None, "2026-10-31")
    assert before["visits_per_officer"] == [] and before["first_loan_share"]["new_customers"] == 0


def test_the_workbook_holds_the_figures_and_masked_rows(dataset, tmp_path):
    store = dataset["store"]
    path = tmp_path / "cultivation.xlsx"
    report.write_xlsx(store, path, lang="zh")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["指标", "企业明细", "走访记录"]
    figures = [list(r) for r in wb["指标"].iter_rows(values_only=True)]
    by_label = {r[0]: tuple(r[1:]) for r in figures if r and r[0]}
    assert by_label["名单企业"][:2] == (20, "100.0%")
    assert by_label["已联系"][:2] == (7, "35.0%")
    assert by_label["已授信"][0] == 1 and by_label["授信金额（元）"][0] == 350_000
    assert by_label["合计"][:3] == (2, 1, "50.0%")
    assert by_label["中位数（天）"][0] == 90
    rows = [list(r) for r in wb["企业明细"].iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[:2] == ["编号", "企业名称"] and "法定代表人" in header
    assert len(body) == 7  # every listed enterprise past "listed": contacted, declined, visited, granted
    name_col, phone_col = header.index("法定代表人"), header.index("联系电话")
    names = {r[0] for r in store.db.execute("SELECT name FROM persons")}
    for row in body:
        assert row[name_col] not in names and "*" in row[name_col]  # masked
        assert row[phone_col] is None or "****" in row[phone_col]
    visits = list(wb["走访记录"].iter_rows(values_only=True))
    assert len(visits) == 1 + 4
    audit = store.db.execute("SELECT action, target FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert audit == ("exported", "cultivation.xlsx")


# ---- the command line ------------------------------------------------------------------------
def loandesk(home, *args, user="admin", lang="en"):
    from users_support import as_user

    return subprocess.run([sys.executable, "-m", "loandesk", "--home", str(home), "--lang", lang, *args],
                          capture_output=True, text=True, env=as_user(user), timeout=120)  # fmt: skip


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    from users_support import open_store, with_demo_users

    home = with_demo_users(tmp_path_factory.mktemp("cult") / "home")
    store = open_store(home)
    rng = random.Random(5)
    store.import_enterprises([{**demo_record(rng, i, today=TODAY), "has_loan_history": False} for i in range(8)])
    refs = [r[0] for r in store.db.execute("SELECT ref FROM enterprises ORDER BY seq")]
    store.close()
    return home, refs


def test_cli_assign_visit_stage_my_list_and_report(cli_home, tmp_path):
    home, refs = cli_home
    done = loandesk(home, "assign", "officer", refs[0], refs[1])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"officer": "officer", "assigned": 2}
    photo = tmp_path / "door.jpg"
    photo.write_bytes(b"\xff\xd8 shop door")
    done = loandesk(home, "visit", refs[0], "--findings", "经营正常", "--need", "--amount", "50万", "--next-step",
                    "补充材料", "--next-date", "2026-11-20", "--photo", str(photo), "--date", "2026-11-18",
                    user="officer")  # fmt: skip
    assert done.returncode == 0, done.stderr
    saved = json.loads(done.stdout)
    assert (saved["stage"], saved["need_amount"], saved["photos"]) == ("need_identified", 500_000, 1)
    done = loandesk(home, "stage", refs[1], "not_interested", "--reason", "暂无融资计划", user="officer")
    assert done.returncode == 0, done.stderr
    mine = json.loads(loandesk(home, "my-list", user="officer").stdout)
    assert [(r["ref"], r["overdue"]) for r in mine] == [(refs[0], True), (refs[1], False)]
    out = tmp_path / "report.xlsx"
    done = loandesk(home, "report", "cultivation", "--xlsx", str(out), "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["funnel"]["visited"] == 1 and out.is_file()
    assert figures["visits_per_officer"][0]["officer"] == "李明"  # the officer's display name, not the user name


@pytest.mark.parametrize(("args", "user", "message"), [
    (["stage", "E-NOPE", "contacted", "--reason", "x"], "officer", "no enterprise E-NOPE on file"),
    (["stage", "{3}", "partner", "--reason", "x"], "officer", "cannot move from no loan to partner by hand"),
    (["stage", "{2}", "contacted", "--reason", "x"], "teller", "may not change cultivation stages"),
    (["assign", "officer"], "admin", "no enterprises chosen"),
    (["assign", "teller", "{2}"], "admin", "teller is not an officer"),
    (["assign", "officer", "{2}"], "officer", "may not assign account managers"),
    (["visit", "{2}", "--findings", "x", "--date", "2026-02-30"], "officer", "--date must be a date"),
    (["visit", "{2}", "--findings", "x", "--amount", "lots"], "officer", "--amount must be an amount"),
    (["report", "cultivation", "--from", "2026-11-01", "--to", "2026-10-01"], "admin", "--from is after --to"),
    (["report", "cultivation", "--xlsx", "/no/such/folder/r.xlsx"], "admin", "does not exist"),
])  # fmt: skip
def test_cli_refusals_are_one_line_and_exit_2(cli_home, args, user, message):
    home, refs = cli_home
    done = loandesk(home, *[a.format(*refs) for a in args], user=user)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_cli_prequalify_a_filter_then_list_the_eligible(cli_home):
    home, _refs = cli_home
    done = loandesk(home, "prequalify", "--tax-grade", "A", user="officer")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    from users_support import open_store

    store = open_store(home)
    try:
        grade_a = store.db.execute("SELECT count(*) FROM enterprises WHERE tax_grade = 'A'").fetchone()[0]
        kept = store.db.execute("SELECT count(*), sum(eligible) FROM prequalifications").fetchone()
    finally:
        store.close()
    assert result["scored"] == grade_a == kept[0] and result["eligible"] == (kept[1] or 0)
    assert "likely eligible" in done.stderr
    refused = loandesk(home, "prequalify", user="teller")
    assert refused.returncode == 2 and "may not pre-qualify enterprises" in refused.stderr


def test_the_listing_date_is_the_list_imports_listed_on_when_the_store_has_it(store):
    """The list import (m012, another branch) records listed_on; until then the day the enterprise was added."""
    rng = random.Random(8)
    store.import_enterprises([{**demo_record(rng, i, today=TODAY), "has_loan_history": False} for i in range(6)])
    assert report.figures(store, "2026-11-23", "2026-11-23")["funnel"]["listed"] == 6  # added on the pinned day
    if "listed_on" not in {r[1] for r in store.db.execute("PRAGMA table_info(enterprises)")}:
        store.db.execute("ALTER TABLE enterprises ADD COLUMN listed_on TEXT")  # as m012 adds it (merged since)
    store.db.execute("UPDATE enterprises SET listed_on = '2026-01-15' WHERE seq <= 4")
    assert report.figures(store, "2026-01-01", "2026-01-31")["funnel"]["listed"] == 4
    assert report.figures(store, "2026-11-23", "2026-11-23")["funnel"]["listed"] == 2  # the rest: their added day
