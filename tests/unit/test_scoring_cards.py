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
    card = read_card(DATA / "ob_card.csv")
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
    card = read_card(DATA / "ob_card.csv")
    raw = pd.read_csv(DATA / "ob_data.csv", dtype=str, keep_default_na=False).head(3)
    raw.loc[1, "employees"] = "many"
    with pytest.raises(BatchError) as err:
        score_with_card(raw, card)
    assert "row 2, employees" in err.value.message("en")
