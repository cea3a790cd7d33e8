"""Industry codes of the data dictionary (shared/domain.md §9), named from the size table."""

from __future__ import annotations

import re

from .sizing import size_table


def industry_codes() -> list[str]:
    return list(size_table().industries)


def industry_name(code: str, lang: str = "zh") -> str:
    band = size_table().industries.get(code)
    if band is None:
        return code
    return band.name_zh if lang == "zh" else band.name_en


def _fold(text: str) -> str:
    return re.sub(r"[\s、，,()（）]", "", text)


_ALIASES = {"住宿和餐饮业": "ACC", "农林牧渔业": "AGR", "其他": "OTH", "仓储": "STO", "邮政": "PST"}


def parse_industry(raw: str) -> str | None:
    """Accept a code (IND) or a Chinese/English industry name; None when unknown."""
    text = (raw or "").strip()
    if not text:
        return None
    if text.upper() in size_table().industries:
        return text.upper()
    folded = _fold(text)
    if folded in _ALIASES:
        return _ALIASES[folded]
    for band in size_table().industries.values():
        if folded in (_fold(band.name_zh), _fold(band.name_en).lower()) or folded.lower() == _fold(
            band.name_en
        ).lower():
            return band.code
    return None
