"""Validators for credit codes (GB 32100-2015), ID numbers (GB 11643-1999) and phones."""

import datetime as dt

import pytest

from loandesk.core import codes
from loandesk.core.validation import Level


def levels(findings):
    return [(f.code, f.level) for f in findings]


def test_standard_worked_example_is_valid():
    assert codes.check_credit_code("91350100M000100Y43") == []


def test_worked_example_with_wrong_check_char_is_a_warning_naming_the_right_char():
    findings = codes.check_credit_code("91350100M000100Y44")
    assert levels(findings) == [("uscc_check", Level.WARNING)]
    assert "3" in findings[0].message("en") and "校验位应为 3" in findings[0].message("zh")


def test_broken_variant_from_domain_with_forbidden_letter_is_a_format_error():
    findings = codes.check_credit_code("91350100M000100Y4Z")
    assert levels(findings) == [("uscc_charset", Level.ERROR)]
    assert findings[0].params == {"ch": "Z", "pos": 18}


@pytest.mark.parametrize("bad", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_is_an_error(bad):
    findings = codes.check_credit_code(bad)
    assert findings and findings[0].level is Level.ERROR


@pytest.mark.parametrize("letter", "IOSVZ")
def test_letters_outside_the_charset_are_errors(letter):
    code = "9135010" + letter + "M000100Y43"
    assert codes.check_credit_code(code)[0].code == "uscc_charset"


def test_lower_case_and_spaces_are_normalised():
    assert codes.check_credit_code(" 91350100m000100y43 ") == []


def test_codes_with_letter_authority_are_accepted_unlike_stdnum():
    first = "N2330106" + "12345678"
    first += codes.org_code_check_char(first[8:16])
    code = first + codes.uscc_check_char(first)
    assert codes.check_credit_code(code) == []
    assert codes.entity_type_of(code) == "cooperative"


def test_organisation_code_check_char_is_checked():
    good = "91350100M000100Y43"
    # change position 17 (the organisation code's own check) and recompute the final check char
    first = good[:16] + "5"
    code = first + codes.uscc_check_char(first)
    assert levels(codes.check_credit_code(code)) == [("uscc_org_check", Level.WARNING)]


def test_check_char_weights_match_the_standard():
    assert codes._USCC_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert codes._ID_WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize(
    ("code", "kind"),
    [("91350100M000100Y43", "enterprise"), ("92330106MA2B3C4D5E", "individual_business"),
     ("93330106MA2B3C4D5E", "cooperative"), ("11330106MA2B3C4D5E", "institution")],
)  # fmt: skip
def test_entity_type_from_positions_one_and_two(code, kind):
    assert codes.entity_type_of(code) == kind


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_id_standard_examples_are_valid(number):
    assert codes.check_id_number(number) == []


def test_id_sex_from_sequence():
    assert codes.id_sex("11010519491231002X") == "female"
    assert codes.id_sex("440524188001010014") == "male"


def test_id_wrong_check_char_names_the_expected_one():
    findings = codes.check_id_number("110105194912310021")
    assert levels(findings) == [("id_check", Level.ERROR)]
    assert findings[0].params["expected"] == "X"


@pytest.mark.parametrize("birth", ["19490231", "19491331", "20991231"])
def test_id_birth_date_must_be_real_and_past(birth):
    first = "110105" + birth + "002"
    number = first + codes.id_check_char(first)
    assert "id_birth_date" in [f.code for f in codes.check_id_number(number, today=dt.date(2026, 11, 22))]


def test_id_unknown_region_is_only_a_warning():
    first = "990105194912310020"[:17]
    number = first + codes.id_check_char(first)
    assert levels(codes.check_id_number(number)) == [("id_region", Level.WARNING)]


@pytest.mark.parametrize("prefix", ["81", "82", "83"])
def test_residence_permits_use_the_same_check(prefix):
    first = prefix + "0000" + "19900101" + "001"
    assert codes.check_id_number(first + codes.id_check_char(first)) == []


@pytest.mark.parametrize("bad", ["1101051949123100", "11010519491231002Y", "A1010519491231002X"])
def test_id_format_errors(bad):
    assert codes.check_id_number(bad)[0].level is Level.ERROR


@pytest.mark.parametrize("phone", ["13812345678", "+86 138-1234-5678", "19912345678"])
def test_valid_mobiles(phone):
    assert codes.check_phone(phone) == []


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "0571-8888888"])
def test_invalid_mobiles(phone):
    assert codes.check_phone(phone)[0].code == "phone_format"


def test_masking_follows_domain_examples():
    assert codes.mask_id("330106199001011234") == "330106********1234"
    assert codes.mask_phone("13812345678") == "138****5678"
    assert codes.mask_name("王伟") == "王*"
