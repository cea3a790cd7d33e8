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


# ---- full-width input (NFKC), phone prefixes, region codes ---------------------------------------------
FULL = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}  # ASCII -> full-width forms, space -> U+3000


def full_width(text: str) -> str:
    return text.translate(FULL)


def test_full_width_worked_example_is_valid_and_normalised():
    code = full_width("91350100M000100Y43")
    assert code != "91350100M000100Y43" and code.startswith("９１")
    assert codes.check_credit_code(code) == []
    assert codes.normalise_credit_code(full_width(" 91350100 M000100Y43 ")) == "91350100M000100Y43"
    assert codes.entity_type_of(code) == "enterprise" and codes.region_of(code) == "350100"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("91350100M000100Y4Z", [("uscc_charset", Level.ERROR)]), ("91350100M000100Y44", [("uscc_check", Level.WARNING)]),
     ("91350100M000100Y4", [("uscc_length", Level.ERROR)])],
)  # fmt: skip
def test_full_width_broken_variants_fail_as_their_ascii_forms(code, expected):
    assert levels(codes.check_credit_code(full_width(code))) == expected == levels(codes.check_credit_code(code))


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440524188001010014"])
def test_full_width_id_numbers_are_valid_and_normalised(number):
    wide = full_width(number)
    assert codes.check_id_number(wide) == []
    assert codes.normalise_id_number(wide) == number.upper()


def test_full_width_id_with_wrong_check_char_is_still_an_error():
    assert levels(codes.check_id_number(full_width("110105194912310021"))) == [("id_check", Level.ERROR)]


def id_with(prefix6: str) -> str:
    first = prefix6 + "19900101" + "001"
    return first + codes.id_check_char(first)


@pytest.mark.parametrize("region", ["110105", "330106", "429004", "654301", "540102", "460400", "500101"])
def test_real_region_codes_raise_no_warning(region):
    # 429004 仙桃 (province-administered county, city part 90); 654301 阿勒泰; 460400 儋州
    assert codes.check_id_number(id_with(region)) == []


@pytest.mark.parametrize("region", ["119999", "110000", "330000", "337101", "448905", "999999", "000000"])
def test_impossible_city_part_or_province_is_a_region_warning(region):
    findings = codes.check_id_number(id_with(region))
    assert levels(findings) == [("id_region", Level.WARNING)]
    assert findings[0].params == {"prefix": region}


@pytest.mark.parametrize("region", ["810000", "820000", "830000", "710000"])
def test_residence_permits_and_taiwan_carry_no_city_part(region):
    assert codes.check_id_number(id_with(region)) == []


@pytest.mark.parametrize(
    "phone",
    ["+86 138-1234-5678", "+8613812345678", "86 13812345678", "8613812345678", "0086 138 1234 5678",
     "(+86) 138 1234 5678", "(86)13812345678", "（＋８６）１３８－１２３４－５６７８", "１３８１２３４５６７８",
     "138 1234 5678", "138-1234-5678", "+86 (138) 1234 5678"],
)  # fmt: skip
def test_phones_with_country_code_and_separators_normalise_to_eleven_digits(phone):
    assert codes.normalise_phone(phone) == "13812345678"
    assert codes.check_phone(phone) == []


@pytest.mark.parametrize(
    "phone",
    ["+86 128 1234 5678", "86 138 1234 567", "0086 138123456789", "+1 138 1234 5678", "+86 0571 8888 8888",
     "８６１３８１２３４５６７", "861381234567", "138-1234-567８9"],
)  # fmt: skip
def test_broken_phones_are_refused_after_normalising(phone):
    assert [f.code for f in codes.check_phone(phone)] == ["phone_format"]


def test_a_number_that_merely_starts_with_86_is_not_cut():
    assert codes.normalise_phone("86123") == "86123"
    assert codes.normalise_phone("13986123456") == "13986123456"
