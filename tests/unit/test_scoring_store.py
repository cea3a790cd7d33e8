"""Decisions in a real encrypted store: stored with pack and inputs, replayed exactly, rescored,
overrides with maker-checker, limit-shopping flags, packs installed or refused; the CLI faces."""

from __future__ import annotations

import csv
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

DATA = Path(__file__).resolve().parents[1] / "data" / "scoring"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "home")
    populate(s, 12, seed=5)
    yield s
    s.close()


def test_score_application_stores_decision_with_pack_and_snapshot(store):
    app_id = store.all_application_ids()[0]
    before_outbox = store.unsynced_count()
    saved = service.score_application(store, app_id, officer="张三")
    assert saved["is_current"] and saved["pack_id"] == "bank-tax-first-loan" and len(saved["pack_hash"]) == 64
    assert store.application(app_id).stage == "scored"
    assert store.unsynced_count() == before_outbox + 2
    assert "legal_rep_id" not in saved["inputs"] and saved["inputs"]["tax_grade"]
    assert saved["result"]["factors"][0]["label_zh"] and saved["result"]["decision_label"]["zh"]
    again = service.score_application(store, app_id)
    assert service.current_decision(store, app_id)["id"] == again["id"]
    assert [d["is_current"] for d in repo.decisions_for(store, app_id)] == [False, True]
    assert again["flags"] == []  # same figures: no limit-shopping flag
    replayed = service.replay(store, again).to_dict()
    assert replayed == {**again["result"], "flags": []}


def test_reentered_figures_are_flagged(store):
    app_id = store.all_application_ids()[1]
    service.score_application(store, app_id)
    record = store.application_record(app_id)
    store.save_intake({**record, "annual_revenue": record["annual_revenue"] * 2}, application_id=app_id)
    flagged = service.score_application(store, app_id)
    assert flagged["flags"][0]["code"] == "reentry" and "annual_revenue" in flagged["flags"][0]["fields"]
    assert repo.flag_count(store, "reentry") == 1


def test_override_needs_reason_and_a_different_approver(store):
    app_id = store.all_application_ids()[2]
    d = service.score_application(store, app_id)
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
    good.write_text(default_pack_path().read_text(encoding="utf-8").replace('version = "2026.1"', 'version = "2026.2"')
                    .replace("lower = 620\n[[decision]]", "lower = 620\n[[decision]]"), encoding="utf-8")  # fmt: skip
    installed = service.install_pack(store, good)
    assert service.pack_in_force(store).version == "2026.2" == installed.version
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('variable = "tax_trend"', 'variable = "nope"'),
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(PackError):
        service.install_pack(store, bad)
    assert service.pack_in_force(store).hash == installed.hash


def test_rescore_reports_what_would_change(store, tmp_path):
    for app_id in store.all_application_ids():
        service.score_application(store, app_id)
    strict = tmp_path / "strict.toml"
    strict.write_text(default_pack_path().read_text(encoding="utf-8").replace("below = 24", "below = 60"),
                      encoding="utf-8")  # fmt: skip
    from loandesk.scoring.pack import load_pack
    from loandesk.scoring.replay import compare

    same = compare(store, repo.current_decisions(store), service.default_pack())
    assert same["changed"] == 0 and same["decisions"] == 12
    report = compare(store, repo.current_decisions(store), load_pack(strict))
    expected = sum(1 for d in repo.current_decisions(store) if d["decision"] != "decline"
                   and d["result"]["factors"][1]["value"] < 60)  # fmt: skip
    assert report["changed"] >= expected > 0
    assert all(r["decision_after"] == "decline" for r in report["rows"] if r["changed"] and
               r["decision_before"] != r["decision_after"])  # fmt: skip


def test_pack_with_imported_scorecard(tmp_path):
    shutil.copy(DATA / "ob_card.csv", tmp_path / "card.csv")
    text = default_pack_path().read_text(encoding="utf-8")
    head, _, rest = text.partition("# ---- points scorecard")
    rest = rest[rest.index("# ---- grades"):]
    text = head + '[scorecard]\nfile = "card.csv"\nspecial_codes = { avg_annual_tax = [-1.0], employees = [-9] }\n\n'
    bands = rest[: rest.index("# ---- credit limit")]
    scale = ('[[grade]]\nname = "A"\nlower = 500\n[[grade]]\nname = "B"\nlower = 460\nupper = 500\n[[grade]]\n'
             'name = "C"\nlower = 420\nupper = 460\n[[grade]]\nname = "D"\nupper = 420\n'
             '[[decision]]\nname = "approve"\nlower = 460\n[[decision]]\nname = "refer"\nlower = 420\nupper = 460\n'
             '[[decision]]\nname = "decline"\nupper = 420\n\n')
    text += rest.replace(bands, scale)
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    from loandesk.scoring.pack import load_pack

    pack = load_pack(tmp_path / "p.toml")
    assert [f.variable.name for f in pack.factors] == ["months_in_operation", "avg_annual_tax", "employees",
                                                       "tax_grade", "industry"]  # fmt: skip
    r = service.score_record({"industry": "RET", "registered_on": "2015-01-01", "employees": 12,
                              "annual_revenue": 3_000_000, "tax_grade": "A", "tax_paid_12m": 60_000,
                              "tax_paid_24m": 110_000}, pack)  # fmt: skip
    card_total = sum(f["points"] for f in r.factors)
    assert r.score == pytest.approx(card_total, abs=1e-9) and len(r.factors) == 5


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


def test_cli_score_chinese_headers_in_wan(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    missing = list(ROW)
    missing[8] = ""  # no 24-month tax: scored, referred, says what is missing
    _write(src, HEAD, [ROW, missing])
    args = ["--home", str(tmp_path / "h"), "--lang", "en", "score", "--input", str(src), "--output", str(out)]
    assert main(args) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert list(rows[0])[: len(HEAD)] == HEAD and rows[0]["营业收入(万元)"] == "300"
    assert (rows[0]["decision"], rows[0]["limit"], rows[0]["rate"], rows[0]["size_class"]) == (
        "approve", "160000", "3.4", "small")
    assert rows[1]["decision"] == "refer" and "Tax paid, last 24 months" in rows[1]["reasons"]


def test_cli_bad_row_writes_nothing(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    bad = list(ROW)
    bad[4] = "很多"
    _write(src, HEAD, [ROW, ROW, bad])
    code = main(["--home", str(tmp_path / "h"), "--lang", "zh", "score", "--input", str(src), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "第 3 行" in err and "annual_revenue" in err and "营业收入" in err


def test_cli_scorecard_and_rules_commands(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["score", "--input", str(DATA / "sc_data.csv"), "--output", str(out), "--scorecard",
                 str(DATA / "sc_card.csv")]) == 0  # fmt: skip
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    want = [float(r["score"]) for r in csv.DictReader(open(DATA / "sc_scores.csv"))]
    assert [float(r["score"]) for r in rows] == pytest.approx(want, abs=1e-9)
    home = str(tmp_path / "h")
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack]\nid = 'x'\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--home", home, "--lang", "en", "rules", "install", str(bad)]) == 2
    assert "pack.version" in capsys.readouterr().err
    assert main(["--home", home, "rules", "show"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "bank-tax-first-loan"
