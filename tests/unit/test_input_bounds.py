"""Plausible bounds (resources/input_bounds.toml): one table for the intake form and for files."""

from __future__ import annotations

import pandas as pd

from loandesk.core.intake import validate_intake
from loandesk.core.values import input_bounds
from loandesk.scoring.inputs import parse_column, problem_message


def test_forty_nines_of_revenue_is_refused_by_the_form_and_by_a_file(intake):
    intake.update(annual_revenue="9" * 40, employees="2000000", term_months="0")
    result = validate_intake(intake)
    found = {(f.field, f.code) for f in result.findings}
    assert {("annual_revenue", "implausible"), ("employees", "implausible"), ("term_months", "implausible")} <= found
    text = next(f for f in result.findings if f.field == "annual_revenue").describe("en")
    assert "not plausible" in text and "1,000,000,000,000 yuan" in text and "9" * 30 not in text

    problems = []
    got = parse_column("annual_revenue", pd.Series(["3000000", "9" * 40, "", "1000000000000"]), problems)
    assert [(p.row, p.code) for p in problems] == [(1, "implausible")]  # the ceiling itself is plausible
    assert got.iloc[0] == 3_000_000 and pd.isna(got.iloc[1])
    assert "1,000,000,000,000" in problem_message(problems[0].code, problems[0].params, "zh", "annual_revenue")


def test_a_wan_column_is_bounded_in_yuan():
    problems = []
    parse_column("annual_revenue", pd.Series(["300", "200000000"]), problems, unit_wan=True)  # 2 万亿 yuan
    assert [(p.row, p.code) for p in problems] == [(1, "implausible")]


def test_a_real_micro_enterprise_is_within_every_bound(intake):
    # a small shop: 6 staff, 1.2 million revenue, a 300,000 yuan loan over 12 months
    intake.update(employees="6", social_insurance_headcount="4", annual_revenue="1200000", total_assets="400000",
                  tax_paid_12m="30000", tax_paid_24m="55000", invoice_sales_12m="1000000",
                  requested_amount="300000", term_months="12")  # fmt: skip
    result = validate_intake(intake)
    assert result.ok, [f.describe("en") for f in result.findings]


def test_every_bounded_field_is_a_numeric_dictionary_field():
    from loandesk.core.dictionary import FIELDS

    bounds = input_bounds()
    assert {"employees", "annual_revenue", "total_assets", "tax_paid_12m", "tax_paid_24m", "invoice_sales_12m",
            "requested_amount", "term_months", "social_insurance_headcount"} == set(bounds)  # fmt: skip
    assert all(FIELDS[name].kind in ("int", "money") and b.min <= b.max for name, b in bounds.items())
