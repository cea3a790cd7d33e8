"""SME size classes at every threshold of every industry (工信部联企业〔2011〕300号)."""

import tomllib

import pytest

from loandesk.core.sizing import WAN, SizeClass, classify, missing_metrics, size_table
from loandesk.paths import resource

TABLE = tomllib.loads(resource("sme_size_2011.toml").read_text(encoding="utf-8"))["industry"]
ROWS = {row["code"]: row for row in TABLE}


def to_args(metrics: dict[str, int]) -> dict:
    """Thresholds (persons, 万元) to classify() keyword arguments (persons, yuan)."""
    names = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}
    return {names[k]: (v if k == "employees" else v * WAN) for k, v in metrics.items()}


def at_least(row: dict, level: str) -> dict:
    """Every metric the industry uses, set exactly at ``level``'s threshold."""
    out = {}
    for metric in set(row["ceiling"]) | set(row["medium"]) | set(row["small"]):
        out[metric] = row[level].get(metric, 0)
    return out


def test_table_lists_the_sixteen_industries_of_the_data_dictionary():
    assert list(size_table().industries) == [
        "AGR", "IND", "CON", "WHS", "RET", "TRN", "STO", "PST", "ACC", "CAT", "ITC", "SWS", "RED", "PMG",
        "LBS", "OTH",
    ]  # fmt: skip


@pytest.mark.parametrize("code", list(ROWS))
def test_exactly_at_each_threshold_and_one_below(code):
    row = ROWS[code]
    # Exactly at every ceiling: large. One unit below any one ceiling: not large.
    top = {m: row["ceiling"].get(m, row["medium"].get(m, 0)) for m in at_least(row, "ceiling")}
    assert classify(code, **to_args(top)) is SizeClass.LARGE
    for metric in row["ceiling"]:
        below = dict(top)
        below[metric] = top[metric] - (1 if metric == "employees" else 0)
        args = to_args(below)
        if metric != "employees":
            key = "annual_revenue" if metric == "revenue" else "total_assets"
            args[key] -= 1
        assert classify(code, **args) is SizeClass.MEDIUM, (code, metric)
    # Exactly at every medium minimum: medium; one unit below one of them: small.
    mid = at_least(row, "medium")
    assert classify(code, **to_args(mid)) is SizeClass.MEDIUM
    for metric in row["medium"]:
        args = to_args(mid)
        key = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}[metric]
        args[key] -= 1
        assert classify(code, **args) is SizeClass.SMALL, (code, metric)
    # Exactly at every small minimum: small; one unit below one of them: micro.
    low = at_least(row, "small")
    assert classify(code, **to_args(low)) is SizeClass.SMALL
    for metric in row["small"]:
        args = to_args(low)
        key = {"employees": "employees", "revenue": "annual_revenue", "assets": "total_assets"}[metric]
        args[key] -= 1
        assert classify(code, **args) is SizeClass.MICRO, (code, metric)


def test_industry_worked_examples():
    # Industry: 300 staff and 2,000 万元 revenue is medium; 20 staff and 300 万元 is small.
    assert classify("IND", 300, 2000 * WAN) is SizeClass.MEDIUM
    assert classify("IND", 299, 2000 * WAN) is SizeClass.SMALL
    assert classify("IND", 20, 300 * WAN) is SizeClass.SMALL
    assert classify("IND", 19, 300 * WAN) is SizeClass.MICRO
    # Large only when it meets every ceiling: 5,000 staff but 3,000 万元 revenue is medium, not large.
    assert classify("IND", 5000, 3000 * WAN) is SizeClass.MEDIUM
    # Retail with 9 staff is micro however large its revenue.
    assert classify("RET", 9, 10_000 * WAN) is SizeClass.MICRO


def test_missing_metric_gives_no_class_and_names_the_field():
    assert classify("IND", 30, None) is None
    assert missing_metrics("IND", employees=30, annual_revenue=None) == ["annual_revenue"]
    assert classify("CON", None, 400 * WAN, 400 * WAN) is SizeClass.SMALL  # construction ignores staff
