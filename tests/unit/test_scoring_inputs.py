"""Reading scoring columns: the vectorised parser gives exactly what the data dictionary's own
parsers give cell by cell (values, blanks and problems), on plain numbers, formatted amounts, 万元,
yes/no, grades and dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loandesk.core.values import ValueProblem, check_bounds, is_blank, parse_int, parse_money
from loandesk.scoring.inputs import parse_column, problem_message

TODAY = dt.date(2026, 11, 22)

money_cells = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(0, 10**9).map(lambda v: f"{v:,}"),
    st.integers(0, 10**6).map(lambda v: f"{v}万"),
    st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
    st.decimals(0, 100, places=3, allow_nan=False).map(str),
    st.sampled_from(["", "  ", " 12 ", "-5", "abc", "1.2.3", "¥1,200", "1，200", "inf", "nan", "12元", "1e3"]),
)
int_cells = st.one_of(st.integers(0, 10**6).map(str),
                      st.sampled_from(["", "12.0", "12.5", "-1", "x", " 7 ", "1,200"]))  # fmt: skip


def _one_by_one(cells, parser):
    values, problems = [], []
    for i, cell in enumerate(cells):
        if is_blank(cell) or cell.strip() in ("nan", "None", "NaT"):
            values.append(np.nan)
            continue
        try:
            values.append(float(parser(cell)))
        except ValueProblem as exc:
            values.append(np.nan)
            problems.append((i, exc.code))
    return values, problems


@settings(max_examples=80, deadline=None)
@given(st.lists(money_cells, min_size=1, max_size=30), st.booleans())
def test_money_column_matches_the_dictionary_parser(cells, wan):
    problems = []
    got = parse_column("annual_revenue", pd.Series(cells, dtype="str"), problems, unit_wan=wan)
    # the dictionary's rule: parse, then the plausible bounds the intake form applies too
    want, want_problems = _one_by_one(cells, lambda v: check_bounds("annual_revenue", parse_money(v, wan)))
    np.testing.assert_array_equal(got.to_numpy(), np.array(want, dtype=float))
    wan_code = {"not_money": "not_money_wan"} if wan else {}
    assert sorted((p.row, p.code) for p in problems) == [(i, wan_code.get(c, c)) for i, c in want_problems]


@settings(max_examples=60, deadline=None)
@given(st.lists(int_cells, min_size=1, max_size=30))
def test_int_column_matches_the_dictionary_parser(cells):
    problems = []
    got = parse_column("employees", pd.Series(cells, dtype="str"), problems)
    want, want_problems = _one_by_one(cells, lambda v: check_bounds("employees", parse_int(v)))
    np.testing.assert_array_equal(got.to_numpy(), np.array(want, dtype=float))
    assert sorted((p.row, p.code) for p in problems) == want_problems


def test_typed_records_and_odd_cells():
    problems = []
    got = parse_column("annual_revenue", pd.Series([1_200_000, None, True, "0.00005万", "12.345"], dtype=object),
                       problems)  # fmt: skip
    assert got.iloc[0] == 1_200_000 and np.isnan(got.iloc[1])
    assert got.iloc[3] == 1 and got.iloc[4] == 12  # half-up to whole yuan, in Decimal
    assert [(p.row, p.code) for p in problems] == [(2, "not_money")]  # True is not an amount


def test_coded_columns_read_each_distinct_value_once_and_report_every_bad_row():
    problems = []
    cells = pd.Series(["是", "否", "", "yes", "maybe", "NO", "maybe", None], dtype=object)
    got = parse_column("has_loan_history", cells, problems)
    assert list(got.to_numpy())[:6] == [1.0, 0.0, pytest.approx(np.nan, nan_ok=True), 1.0,
                                        pytest.approx(np.nan, nan_ok=True), 0.0]  # fmt: skip
    assert [(p.row, p.code) for p in problems] == [(4, "yes_no"), (6, "yes_no")]
    problems = []
    dates = parse_column("registered_on", pd.Series(["2020/1/5", "2030-01-01", "2019-03-01", "x"]), problems,
                         today=TODAY)  # fmt: skip
    assert list(dates[[0, 2]]) == ["2020-01-05", "2019-03-01"]
    assert [(p.row, p.code) for p in problems] == [(1, "future_date"), (3, "not_date")]


def test_wan_message_names_the_unit():
    assert problem_message("not_money_wan", {"value": "很多"}, "en") == (
        "must be an amount in 万元 (10,000 yuan), got '很多'")
    assert problem_message("not_money_wan", {"value": "很多"}, "zh") == "应为以万元为单位的金额，实际为“很多”"


def test_pandas_missing_tokens_are_blank_in_every_kind():
    """NA, N/A, null, #N/A... (pandas' read_csv defaults) mean 'no value' in a rule pack's file too:
    scored as blank, never refused, exactly as an empty cell."""
    from loandesk.core.missing import MISSING_TOKENS

    tokens = ["NA", "N/A", "n/a", "null", "NULL", "#N/A", "<NA>", "NaN", "-nan", " NA ", ""]
    for name in ("annual_revenue", "employees", "has_loan_history", "tax_grade", "registered_on", "region"):
        problems = []
        got = parse_column(name, pd.Series(tokens, dtype="str"), problems, today=TODAY)
        assert problems == [] and got.isna().all(), name
    from pandas._libs.parsers import STR_NA_VALUES

    assert set(STR_NA_VALUES) == MISSING_TOKENS  # our copy is pandas' own list
