"""Imported scorecards score exactly as scorecardpy and optbinning themselves do (fixtures built with the
tools by tests/data/scoring/make_fixtures.py: edges, missing, special values, unseen categories, inf)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loandesk.scoring.batch import BatchError, score_with_card
from loandesk.scoring.importers import CardError, read_card

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
