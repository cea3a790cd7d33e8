"""Imported scorecards score exactly as scorecardpy and optbinning themselves do (fixtures built with the
tools by tests/data/scoring/make_fixtures.py: edges, missing, special values, unseen categories, inf)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loandesk.scoring.batch import BatchError, score_with_card
from loandesk.scoring.importers import CardError, read_card
from loandesk.scoring.inputs import parse_column

DATA = Path(__file__).resolve().parents[1] / "data" / "scoring"
SPECIAL = {"avg_annual_tax": [-1.0], "employees": [-9]}


@pytest.mark.parametrize("prefix, dialect, special", [("sc", "scorecardpy", None), ("ob", "optbinning", SPECIAL)])
def test_totals_equal_the_tools_own_scores(prefix, dialect, special):
    card = read_card(DATA / f"{prefix}_card.csv", special_codes=special)
    assert card.dialect == dialect
    raw = pd.read_csv(DATA / f"{prefix}_data.csv", dtype=str, keep_default_na=False)
    out = score_with_card(raw, card)
    want = pd.read_csv(DATA / f"{prefix}_scores.csv")["score"].to_numpy()
    assert len(out) == len(want) > 200
    np.testing.assert_allclose(out["score"].to_numpy(), want, rtol=0, atol=1e-9)
    # the awkward rows are really there
    assert (raw["tax_grade"] == "").any() and (raw["tax_grade"] == "Z").any()
    assert (raw["months_in_operation"] == "inf").any() and (raw["employees"] == "-9").any()
    points = [c for c in out.columns if c.endswith("_points")]
    assert points == [f"{v}_points" for v in card.names]
    assert list(out.columns[: len(raw.columns)]) == list(raw.columns)


def test_optbinning_unseen_category_scores_as_missing():
    card = read_card(DATA / "ob_card.csv", special_codes=SPECIAL)
    grade = card.variable("tax_grade")
    got = grade.points(pd.Series(["A", "Z", None], dtype=object))
    assert got[1] == got[2] == grade.missing_points != got[0]


def test_scorecardpy_edge_goes_to_upper_bin_and_unmatched_adds_nothing():
    card = read_card(DATA / "sc_card.csv")
    months = card.variable("months_in_operation")
    labels = {b.label: b.points for b in months.bins}
    got = months.points(pd.Series([65.0, np.nextafter(65.0, 0), np.nan]))
    assert got[0] == labels["[65.0,120.0)"] and got[1] == labels["[-inf,65.0)"] and got[2] == labels["missing"]
    assert card.variable("industry").points(pd.Series(["never-seen"], dtype=object))[0] == 0


def test_bad_card_and_bad_cells_are_refused(tmp_path):
    bad = tmp_path / "card.csv"
    bad.write_text("variable,bin,points\nx,\"[-inf,1.0)\",ten\n", encoding="utf-8")
    with pytest.raises(CardError) as exc:
        read_card(bad)
    assert "line 2" in exc.value.message("en") and "ten" in exc.value.message("en")
    (tmp_path / "odd.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CardError):
        read_card(tmp_path / "odd.csv")
    card = read_card(DATA / "ob_card.csv", special_codes=SPECIAL)
    raw = pd.read_csv(DATA / "ob_data.csv", dtype=str, keep_default_na=False).head(9)
    raw.loc[1, "employees"] = "many"
    raw.loc[6, "avg_annual_tax"] = "lots"
    with pytest.raises(BatchError) as err:
        score_with_card(raw, card)
    en, zh = err.value.message("en"), err.value.message("zh")
    assert "line 3 (row 2), employees" in en and "line 8 (row 7), avg_annual_tax" in en  # every bad row
    assert "the header is line 1" in en and "nothing was written" in en
    assert "第 3 行（第 2 条数据），employees" in zh and "第 8 行" in zh and "表头为第 1 行" in zh


def test_optbinning_special_row_without_codes_is_refused():
    """The card was fitted with special codes (its Special rows count training values): without them,
    -1 would score in an ordinary bin, unlike optbinning. Refused, saying how to give them."""
    with pytest.raises(CardError) as exc:
        read_card(DATA / "ob_card.csv")
    en, zh = exc.value.message("en"), exc.value.message("zh")
    assert "avg_annual_tax" in en and "--special avg_annual_tax=" in en and "148" in en
    assert "line 17" in en  # the Special row of avg_annual_tax
    assert "--special avg_annual_tax=" in zh and "特殊值" in zh
    with pytest.raises(CardError, match="employees"):
        read_card(DATA / "ob_card.csv", special_codes={"avg_annual_tax": [-1.0]})
    # saying explicitly that the data hold none is accepted
    card = read_card(DATA / "ob_card.csv", special_codes={"avg_annual_tax": [], "employees": []})
    assert card.variable("avg_annual_tax").special_points == {}
    # a pack names its own setting
    with pytest.raises(CardError, match=r"special_codes = \{ avg_annual_tax"):
        read_card(DATA / "ob_card.csv", option="special_codes")


def test_optbinning_rounded_edges_are_warned_per_variable():
    card = read_card(DATA / "ob_card.csv", special_codes=SPECIAL)
    warned = [w["variable"] for w in card.warnings]
    assert warned == ["months_in_operation", "avg_annual_tax", "employees"]  # numeric ones only, each named
    first = card.warnings[0]
    assert "2 decimals" in first["en"] and "15.50" in first["en"] and "2 位小数" in first["zh"]
    assert read_card(DATA / "sc_card.csv").warnings == []  # scorecardpy prints full edges


def _revenue_card(tmp_path):
    """A scorecardpy-form card on a data dictionary money field (yuan)."""
    card = tmp_path / "rev_card.csv"
    card.write_text(",,variable,bin,points\nbasepoints,0,basepoints,,500.0\n"
                    'annual_revenue,1,annual_revenue,"[-inf,1000000.0)",10.0\n'
                    'annual_revenue,2,annual_revenue,"[1000000.0,inf)",50.0\n', encoding="utf-8")  # fmt: skip
    return read_card(card)


def test_scorecard_mode_reads_a_wan_header_in_wan(tmp_path):
    card = _revenue_card(tmp_path)
    wan = pd.DataFrame({"企业名称": ["甲", "乙"], "营业收入(万元)": ["300", "50"]})
    out = score_with_card(wan, card)
    assert list(out["score"]) == [550.0, 510.0]  # 300 万元 = 3,000,000 yuan; 50 万元 = 500,000 yuan
    assert list(out.columns[:2]) == ["企业名称", "营业收入(万元)"] and list(out["营业收入(万元)"]) == ["300", "50"]
    yuan = pd.DataFrame({"营业收入": ["300", "3000000"]})
    assert list(score_with_card(yuan, card)["score"]) == [510.0, 550.0]
    bad = pd.DataFrame({"营业收入(万元)": ["300", "很多"]})
    with pytest.raises(BatchError) as err:
        score_with_card(bad, card)
    assert "万元" in err.value.message("en") and "line 3 (row 2)" in err.value.message("en")
    assert "应为以万元为单位的金额" in err.value.message("zh")


@pytest.mark.parametrize("prefix, special", [("sc", None), ("ob", SPECIAL)])
def test_missing_tokens_and_spaced_labels_score_as_the_tool(prefix, special):
    """A user's CSV with NA, N/A, null, #N/A, empty cells and labels with stray spaces, scored by the tool
    from the file itself (pd.read_csv defaults): totals equal, the tokens go to the missing bin, a spaced
    label is an unseen category, and each spaced label that changes points is named with its lines."""
    card = read_card(DATA / f"{prefix}_tokens_card.csv", special_codes=special)
    raw = pd.read_csv(DATA / f"{prefix}_tokens_data.csv", dtype=str, keep_default_na=False)
    for token in ("NA", "N/A", "null", "#N/A", ""):
        assert (raw == token).to_numpy().any(), token  # the awkward cells are really there
    spaced = raw["tax_grade"][raw["tax_grade"] != raw["tax_grade"].str.strip()]
    assert len(spaced) >= 3
    notes: list[dict] = []
    out = score_with_card(raw, card, "in.csv", notes)
    want = pd.read_csv(DATA / f"{prefix}_tokens_scores.csv")["score"].to_numpy()
    np.testing.assert_allclose(out["score"].to_numpy(), want, rtol=0, atol=1e-9)
    grade = card.variable("tax_grade")
    na_rows = np.flatnonzero(raw["tax_grade"].isin(["NA", "N/A", "null", "NULL", "<NA>", "None", "#N/A"]).to_numpy())
    assert len(na_rows) and (out["tax_grade_points"].iloc[na_rows] == grade.missing_points).all()
    assert notes and all(n["label"] != n["label"].strip() for n in notes)
    first = notes[0]
    row = first["rows"][0]
    assert raw[first["variable"]].iloc[row] == first["label"]
    assert f"line {row + 2} (row {row + 1})" in first["en"] and f'"{first["label"]}"' in first["en"]
    assert f"第 {row + 2} 行" in first["zh"] and "空格" in first["zh"]


def test_na_is_missing_not_refused():
    """'NA' used to be refused as 'not a number'; it is the card's missing bin, as in the tools."""
    card = read_card(DATA / "sc_card.csv")
    raw = pd.read_csv(DATA / "sc_data.csv", dtype=str, keep_default_na=False).head(4)
    raw.loc[0, "months_in_operation"], raw.loc[1, "avg_annual_tax"] = "NA", "n/a"
    raw.loc[2, "months_in_operation"] = " null "
    out = score_with_card(raw, card)
    missing = card.variable("months_in_operation").missing_points
    assert out["months_in_operation_points"].iloc[0] == out["months_in_operation_points"].iloc[2] == missing
    assert out["avg_annual_tax_points"].iloc[1] == card.variable("avg_annual_tax").missing_points
    raw.loc[3, "employees"] = "N.A."  # not one of pandas' tokens: still a bad cell, named
    with pytest.raises(BatchError, match=r"line 5 \(row 4\), employees"):
        score_with_card(raw, card)


def test_cli_warns_of_spaced_labels_by_line_and_scores_na_in_a_pack_file_as_blank(tmp_path, capsys):
    from loandesk.cli import main

    out = tmp_path / "out.csv"
    assert main(["--lang", "en", "score", "--input", str(DATA / "sc_tokens_data.csv"), "--output", str(out),
                 "--scorecard", str(DATA / "sc_tokens_card.csv")]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert 'warning: ' in err and 'tax_grade: label " B" has spaces around it' in err and "line 6 (row 5)" in err
    # a rule pack's file: NA where the 24-month tax should be is blank (referred, said), not refused
    src = tmp_path / "pack.csv"
    head = "enterprise_name,industry,registered_on,employees,annual_revenue,total_assets,tax_grade,tax_paid_12m," \
           "tax_paid_24m,invoice_sales_12m,social_insurance_headcount,abnormal_operation,dishonest_debtor," \
           "has_loan_history,requested_amount,term_months"  # fmt: skip
    row = "恒瑞,RET,2019-03-01,12,3000000,1000000,B,60000,{tax},2700000,9,否,否,否,500000,12"
    src.write_text("\n".join([head, row.format(tax="110000"), row.format(tax="NA"), row.format(tax="")]) + "\n",
                   encoding="utf-8")  # fmt: skip
    assert main(["--lang", "en", "score", "--input", str(src), "--output", str(out), "--as-of", "2026-11-22"]) == 0
    rows = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(rows["decision"]) == ["approve", "refer", "refer"]
    assert rows["reasons"].iloc[1] == rows["reasons"].iloc[2] and "Tax paid, last 24 months" in rows["reasons"].iloc[1]
    assert rows["tax_paid_24m"].iloc[1] == "NA"  # echoed as given


def test_scorecard_mode_applies_the_plausible_bounds_as_rule_pack_mode_does(tmp_path):
    """40 nines of revenue is refused by a card too, by line, field and reason, in both languages, with
    every offending cell named; the bounds are in yuan for a 万元 column."""
    card = _revenue_card(tmp_path)
    raw = pd.DataFrame({"企业名称": ["甲", "乙", "丙", "丁"],
                        "annual_revenue": ["3000000", "9" * 40, "", "-5"]})  # fmt: skip
    with pytest.raises(BatchError) as err:
        score_with_card(raw, card, "cards.csv")
    en, zh = err.value.message("en"), err.value.message("zh")
    assert "cards.csv line 3 (row 2), annual_revenue" in en and "cards.csv line 5 (row 4), annual_revenue" in en
    assert "not plausible" in en and "1,000,000,000,000 yuan" in en and "nothing was written" in en
    assert "line 4" not in en  # a blank is missing (the card's missing bin), not implausible
    assert "第 3 行（第 2 条数据），annual_revenue" in zh and "不合常理" in zh and "未写出任何结果" in zh
    assert "9" * 30 not in en + zh  # the value is cut short, as in rule-pack mode
    # the same cell in a rule-pack file gets the same reason
    pack_problems: list = []
    parse_column("annual_revenue", raw["annual_revenue"], pack_problems)
    assert {(p.row, p.code) for p in pack_problems} == {(1, "implausible"), (3, "negative")}
    assert "line 5 (row 4), annual_revenue (Annual revenue): must not be negative" in en
    # the ceiling itself is plausible; 2 万亿 yuan written in 万元 is not
    assert list(score_with_card(pd.DataFrame({"annual_revenue": ["1000000000000"]}), card)["score"]) == [550.0]
    with pytest.raises(BatchError, match=r"line 2 \(row 1\), annual_revenue.*not plausible"):
        score_with_card(pd.DataFrame({"营业收入(万元)": ["200000000"]}), card)


@pytest.mark.parametrize("prefix, special", [("sc", None), ("ob", SPECIAL)])
def test_a_cards_special_code_is_not_out_of_bounds_but_other_negatives_are(prefix, special):
    """employees = -9 is the card's "headcount unknown" code (below the bound of 0 persons): scored as the
    tool does; -5 is a typo and refused with its line."""
    card = read_card(DATA / f"{prefix}_card.csv", special_codes=special)
    raw = pd.read_csv(DATA / f"{prefix}_data.csv", dtype=str, keep_default_na=False).head(6)
    raw.loc[0, "employees"] = "-9"
    out = score_with_card(raw, card)
    employees = card.variable("employees")
    special_points = employees.special_points.get(-9.0, employees.sc_labels.get("-9"))
    assert special_points is not None and out["employees_points"].iloc[0] == special_points
    raw.loc[2, "employees"], raw.loc[4, "employees"] = "-5", "2000000"
    with pytest.raises(BatchError) as err:
        score_with_card(raw, card, "f.csv")
    en = err.value.message("en")
    assert "f.csv line 4 (row 3), employees" in en and "f.csv line 6 (row 5), employees" in en
    assert "line 2 (row 1)" not in en and "must not be negative" in en and "1,000,000 persons" in en


def test_cli_refuses_an_implausible_value_in_a_scorecard_batch(tmp_path, capsys):
    from loandesk.cli import main

    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    raw = pd.read_csv(DATA / "sc_data.csv", dtype=str, keep_default_na=False).head(5)
    raw.loc[3, "employees"] = "1" + "0" * 12
    raw.to_csv(src, index=False)
    code = main(["--lang", "en", "score", "--input", str(src), "--output", str(out),
                 "--scorecard", str(DATA / "sc_card.csv")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "line 5 (row 4), employees" in err and "not plausible" in err
    assert "Traceback" not in err and not out.exists() and not list(tmp_path.glob("*.part"))
