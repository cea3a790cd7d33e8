"""Validators for China's identifiers, implemented from the standards.

* Unified social credit code, GB 32100-2015 (shared/domain.md §2). python-stdnum's
  ``cn.uscc`` rejects valid codes whose leading positions are letters, so the
  check is written here from the standard.
* Resident identity card number, GB 11643-1999 (§3).
* Mainland mobile numbers (11 digits, 13x-19x), written with or without +86 / 86 / 0086 / (+86)
  and spaces or dashes.

Every normaliser folds full-width characters first (NFKC): ``９１３５…`` typed with a Chinese
input method is the same code as ``9135…``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from loandesk.core import clock

from .validation import Finding, error, warning

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1,3,9,27,19,26,...
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7,9,10,5,8,4,2,1,6,3,...
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level prefixes, plus 81/82/83 (HK, Macau, Taiwan residence permits).
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
# Provinces whose numbers carry no city or county part (xx0000): Taiwan (GB/T 2260 710000) and the
# residence permits of Hong Kong (810000), Macau (820000) and Taiwan residents (830000).
_NO_CITY_PART = frozenset({"71", "81", "82", "83"})


def _city_part_valid(number: str) -> bool:
    """GB/T 2260 positions 3-4 number a province's prefecture-level divisions: 01-70, or 90 for the
    county-level divisions directly under the province (e.g. 429004 仙桃). 00 (no city, as in
    xx0000) and 71-89, 91-99 (e.g. 9999) are not the address of a resident."""
    city = number[2:4]
    if number[:2] in _NO_CITY_PART:
        return True
    return city == "90" or "01" <= city <= "70"


def _fold(raw: str) -> str:
    """Full-width letters, digits, spaces and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", raw or "")


def normalise_credit_code(raw: str) -> str:
    return re.sub(r"\s+", "", _fold(raw)).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    c = 11 - sum(value(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def check_credit_code(raw: str, field: str = "credit_code") -> list[Finding]:
    """Format problems are errors; a wrong check character is a warning an officer may override."""
    code = normalise_credit_code(raw)
    if not code:
        return [error(field, "required")]
    if len(code) != 18:
        return [error(field, "uscc_length", n=len(code))]
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUE:
            return [error(field, "uscc_charset", ch=ch, pos=pos)]
    findings: list[Finding] = []
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        findings.append(warning(field, "uscc_check", expected=expected))
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        findings.append(warning(field, "uscc_org_check", expected=org_expected))
    return findings


def entity_type_of(code: str) -> str:
    """Entity type read from positions 1-2 (registration authority, organisation type)."""
    code = normalise_credit_code(code)
    if len(code) < 2:
        return "unknown"
    if code[0] == "9":
        return {"1": "enterprise", "2": "individual_business", "3": "cooperative"}.get(code[1], "other")
    if code[0] == "N":
        return "cooperative" if code[1] in "23" else "other"
    return {"1": "institution", "5": "social_organisation"}.get(code[0], "other")


def region_of(code: str) -> str:
    code = normalise_credit_code(code)
    return code[2:8] if len(code) >= 8 else ""


def normalise_id_number(raw: str) -> str:
    return re.sub(r"\s+", "", _fold(raw)).upper()


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def check_id_number(raw: str, field: str = "legal_rep_id", today: dt.date | None = None) -> list[Finding]:
    number = normalise_id_number(raw)
    if not number:
        return [error(field, "required")]
    if len(number) != 18:
        return [error(field, "id_length", n=len(number))]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return [error(field, "id_charset")]
    findings: list[Finding] = []
    birth = number[6:14]
    try:
        born = dt.datetime.strptime(birth, "%Y%m%d").date()
    except ValueError:
        born = None
    today = today or clock.today()
    if born is None or born > today or born.year < 1880:
        findings.append(error(field, "id_birth_date", date=f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"))
    expected = id_check_char(number[:17])
    if number[17] != expected:
        findings.append(error(field, "id_check", expected=expected))
    if number[:2] not in ID_PROVINCES or not _city_part_valid(number):
        findings.append(warning(field, "id_region", prefix=number[:6]))
    return findings


def id_sex(number: str) -> str:
    return "male" if int(normalise_id_number(number)[16]) % 2 else "female"


_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212()]")  # spaces, dashes, brackets: NFKC folds （）－
_COUNTRY_CODE = re.compile(r"(?:\+|00)?86(1\d{10})")


def normalise_phone(raw: str) -> str:
    """``+86 138-1234-5678``, ``(+86)13812345678``, ``0086 138…``, ``86138…``, ``１３８…`` -> ``13812345678``.

    The country code is dropped only when 11 digits of a mobile number follow it; anything else is
    returned without separators, for ``check_phone`` to refuse."""
    digits = _PHONE_SEPARATORS.sub("", _fold(raw))
    match = _COUNTRY_CODE.fullmatch(digits)
    return match[1] if match else digits


def check_phone(raw: str, field: str = "legal_rep_phone") -> list[Finding]:
    phone = normalise_phone(raw)
    if not phone:
        return [error(field, "required")]
    if not re.fullmatch(r"1[3-9]\d{9}", phone):
        return [error(field, "phone_format")]
    return []


def mask_id(number: str) -> str:
    """``330106********1234``: region kept, birth date and sequence hidden."""
    if not number:
        return ""
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:] if len(number) > 10 else "*" * len(number)


def mask_phone(phone: str) -> str:
    """``138****5678``."""
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def mask_name(name: str) -> str:
    """Keep the surname: 王伟 -> 王*, 欧阳娜娜 -> 欧***."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
