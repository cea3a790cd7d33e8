"""Loan products and their intake bounds, read from resources/products.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from loandesk.paths import resource


@dataclass(frozen=True)
class Product:
    id: str
    name_zh: str
    name_en: str
    min_amount: int
    max_amount: int
    min_term_months: int
    max_term_months: int
    guarantee_modes: tuple[str, ...]

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@cache
def products() -> dict[str, Product]:
    with open(resource("products.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    return {
        p["id"]: Product(**{**p, "guarantee_modes": tuple(p["guarantee_modes"])}) for p in raw["product"]
    }


def default_product() -> Product:
    return next(iter(products().values()))
