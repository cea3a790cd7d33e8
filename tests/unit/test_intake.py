"""The one validator behind forms and files: precise messages, typed values, product bounds."""

import datetime as dt

from loandesk.core.intake import validate_intake


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
