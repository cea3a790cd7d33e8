"""The one validator behind forms and files: precise messages, typed values, product bounds."""

import datetime as dt

import pytest

from loandesk.core.intake import validate_intake
from loandesk.core.values import ValueProblem, parse_money


def codes_by_field(result):
    return {(f.field, f.code) for f in result.findings}


def test_valid_intake_gives_typed_values(intake):
    intake.update(requested_amount="50万", annual_revenue="1,200,000.40", registered_on="2019年5月1日")
    result = validate_intake(intake)
    assert result.ok, [f.describe("en") for f in result.findings]
    assert result.values["requested_amount"] == 500_000
    assert result.values["annual_revenue"] == 1_200_000
    assert result.values["registered_on"] == "2019-05-01"
    assert result.values["entity_type"] in {"enterprise", "individual_business"}


def test_every_required_field_is_named(intake):
    result = validate_intake({})
    required = {f.field for f in result.findings if f.code == "required"}
    assert {"enterprise_name", "credit_code", "legal_rep_id", "requested_amount", "purpose"} <= required
    assert ("consent_given", "consent_missing") in codes_by_field(result)


def test_check_char_warning_blocks_until_a_reason_is_given(intake):
    intake["credit_code"] = "91350100M000100Y44"
    result = validate_intake(intake)
    assert ("credit_code", "uscc_check") in codes_by_field(result)
    assert not result.ok and result.errors[0].field == "code_override_reason"
    intake["code_override_reason"] = "厦门早期试点代码，已核对营业执照原件"
    assert validate_intake(intake).ok


def test_amount_and_term_outside_product_bounds(intake):
    intake.update(requested_amount="3000001", term_months="13")
    result = validate_intake(intake)
    assert ("requested_amount", "above_max") in codes_by_field(result)
    assert ("term_months", "above_max") in codes_by_field(result)
    msg = next(f for f in result.findings if f.field == "requested_amount").describe("zh")
    assert msg == "申请金额：不能高于 3,000,000"


def test_bad_numbers_and_dates_say_what_was_typed(intake):
    intake.update(annual_revenue="lots", registered_on="2030-01-01", employees="12.5", tax_grade="E")
    result = validate_intake(intake, today=dt.date(2026, 11, 22))
    found = codes_by_field(result)
    assert {("annual_revenue", "not_money"), ("registered_on", "future_date"), ("employees", "not_integer"),
            ("tax_grade", "choice")} <= found  # fmt: skip
    assert "“lots”" in next(f for f in result.findings if f.field == "annual_revenue").message("zh")


def test_tax_paid_over_24_months_cannot_be_below_12(intake):
    intake.update(tax_paid_12m="100000", tax_paid_24m="90000")
    assert ("tax_paid_24m", "tax_24_lt_12") in codes_by_field(validate_intake(intake))


def test_chinese_choices_are_accepted(intake):
    intake.update(industry="零售业", guarantee_mode="信用", abnormal_operation="否", tax_grade="b")
    result = validate_intake(intake)
    assert result.ok
    assert (result.values["industry"], result.values["guarantee_mode"], result.values["tax_grade"]) == (
        "RET", "credit", "B")  # fmt: skip
    assert result.values["abnormal_operation"] is False


def test_consent_needs_date_and_scope(intake):
    intake["consent_scope"] = ""
    assert ("consent_scope", "required") in codes_by_field(validate_intake(intake))


@pytest.mark.parametrize("typed", ["1e6", "1E6", "1e+6", "2.5e3", "1.2E5万", "-1e6", ".5e7", "1e6元"])
def test_scientific_notation_is_refused_with_its_own_message(typed):
    with pytest.raises(ValueProblem) as caught:
        parse_money(typed)
    assert caught.value.code == "money_exponent"


def test_scientific_notation_in_a_form_names_what_was_typed(intake):
    intake.update(requested_amount="1e6")
    result = validate_intake(intake)
    finding = next(f for f in result.findings if f.field == "requested_amount")
    assert finding.code == "money_exponent" and finding.is_error
    assert "1e6" in finding.message("zh") and "科学计数法" in finding.message("zh")
    assert "scientific notation" in finding.message("en")


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [("1,200,000", 1_200_000), ("120万", 1_200_000), ("１２０万", 1_200_000), ("１，２００，０００元", 1_200_000),
     ("￥3000.50", 3001), (1e6, 1_000_000), (2.5, 3), ("1000000.00", 1_000_000), ("12 万", 120_000)],
)  # fmt: skip
def test_amounts_people_type_or_files_hold(typed, yuan):
    assert parse_money(typed) == yuan


@pytest.mark.parametrize("typed", ["abc", "1e", "e6", "Infinity", "NaN", "1.2.3", float("inf")])
def test_not_amounts(typed):
    with pytest.raises(ValueProblem) as caught:
        parse_money(typed)
    assert caught.value.code == "not_money"


def test_full_width_codes_ids_and_phones_in_a_form_are_stored_in_ascii(intake):
    wide = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
    expected = {k: intake[k] for k in ("credit_code", "legal_rep_id", "legal_rep_phone")}
    intake.update({k: v.translate(wide) for k, v in expected.items()})
    intake["legal_rep_phone"] = "（＋８６）" + intake["legal_rep_phone"]
    result = validate_intake(intake)
    assert result.ok, [f.describe("en") for f in result.findings]
    assert {k: result.values[k] for k in expected} == expected
