"""SME size class (large/medium/small/micro) from the 2011 table kept in resources/.

The thresholds are data (``resources/sme_size_2011.toml``); this module only
applies the notice's rules: large meets every ceiling, medium and small need
all their minimums, anything below a small minimum is micro.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from loandesk.paths import resource

WAN = 10_000  # thresholds are in 万元; money in the store is yuan


class SizeClass(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"


SIZE_LABELS = {
    SizeClass.LARGE: ("Large", "大型"),
    SizeClass.MEDIUM: ("Medium", "中型"),
    SizeClass.SMALL: ("Small", "小型"),
    SizeClass.MICRO: ("Micro", "微型"),
}


@dataclass(frozen=True)
class IndustryBand:
    code: str
    name_zh: str
    name_en: str
    ceiling: dict[str, int]
    medium: dict[str, int]
    small: dict[str, int]

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.ceiling) | set(self.medium) | set(self.small)))


@dataclass(frozen=True)
class SizeTable:
    source: str
    industries: dict[str, IndustryBand]


@cache
def size_table() -> SizeTable:
    import tomllib  # read when first asked for: models import this module on the way to the GUI's first window

    with open(resource("sme_size_2011.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    bands = {
        row["code"]: IndustryBand(
            row["code"], row["name_zh"], row["name_en"], row["ceiling"], row["medium"], row["small"]
        )
        for row in raw["industry"]
    }
    return SizeTable(raw["source"], bands)


def _meets(minimums: dict[str, int], values: dict[str, int | None]) -> bool:
    for metric, threshold in minimums.items():
        value = values[metric]
        limit = threshold if metric == "employees" else threshold * WAN
        if value < limit:
            return False
    return True


def classify(
    industry: str,
    employees: int | None = None,
    annual_revenue: int | None = None,
    total_assets: int | None = None,
) -> SizeClass | None:
    """Size class, or None when a metric the industry's row needs is missing.

    ``annual_revenue`` and ``total_assets`` are in yuan.
    """
    band = size_table().industries[industry]
    values = {"employees": employees, "revenue": annual_revenue, "assets": total_assets}
    if any(values[m] is None for m in band.metrics):
        return None
    if _meets(band.ceiling, values):
        return SizeClass.LARGE
    if _meets(band.medium, values):
        return SizeClass.MEDIUM
    if _meets(band.small, values):
        return SizeClass.SMALL
    return SizeClass.MICRO


def missing_metrics(industry: str, **values: int | None) -> list[str]:
    names = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}
    band = size_table().industries[industry]
    return [names[m] for m in band.metrics if values.get(names[m]) is None]
