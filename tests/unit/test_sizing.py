"""SME size classes at every threshold of every industry (工信部联企业〔2011〕300号).

The expected thresholds are written here, copied by hand from shared/domain.md §4 (the notice's
Article 4), and never read from ``resources/sme_size_2011.toml``: a wrong number in the resource
must fail these tests, not be agreed with.
"""

import pytest

from loandesk.core.sizing import WAN, SizeClass, classify, missing_metrics, size_table

E, R, A = "employees", "revenue", "assets"  # persons; 万元; 万元

# industry: (SME ceilings: large only when it meets all of them, medium minimums, small minimums)
EXPECTED = {
    "AGR": ({R: 20_000}, {R: 500}, {R: 50}),
    "IND": ({E: 1_000, R: 40_000}, {E: 300, R: 2_000}, {E: 20, R: 300}),
    "CON": ({R: 80_000, A: 80_000}, {R: 6_000, A: 5_000}, {R: 300, A: 300}),
    "WHS": ({E: 200, R: 40_000}, {E: 20, R: 5_000}, {E: 5, R: 1_000}),
    "RET": ({E: 300, R: 20_000}, {E: 50, R: 500}, {E: 10, R: 100}),
    "TRN": ({E: 1_000, R: 30_000}, {E: 300, R: 3_000}, {E: 20, R: 200}),
    "STO": ({E: 200, R: 30_000}, {E: 100, R: 1_000}, {E: 20, R: 100}),
    "PST": ({E: 1_000, R: 30_000}, {E: 300, R: 2_000}, {E: 20, R: 100}),
    "ACC": ({E: 300, R: 10_000}, {E: 100, R: 2_000}, {E: 10, R: 100}),
    "CAT": ({E: 300, R: 10_000}, {E: 100, R: 2_000}, {E: 10, R: 100}),
    "ITC": ({E: 2_000, R: 100_000}, {E: 100, R: 1_000}, {E: 10, R: 100}),
    "SWS": ({E: 300, R: 10_000}, {E: 100, R: 1_000}, {E: 10, R: 50}),
    "RED": ({R: 200_000, A: 10_000}, {R: 1_000, A: 5_000}, {R: 100, A: 2_000}),
    "PMG": ({E: 1_000, R: 5_000}, {E: 300, R: 1_000}, {E: 100, R: 500}),
    "LBS": ({E: 300, A: 120_000}, {E: 100, A: 8_000}, {E: 10, A: 100}),
    "OTH": ({E: 300}, {E: 100}, {E: 10}),
}
LEVELS = {"ceiling": 0, "medium": 1, "small": 2}
# At a level's thresholds, and one unit (a person, a yuan) below one of them.
AT = {"ceiling": SizeClass.LARGE, "medium": SizeClass.MEDIUM, "small": SizeClass.SMALL}
BELOW = {"ceiling": SizeClass.MEDIUM, "medium": SizeClass.SMALL, "small": SizeClass.MICRO}


def args_at(code: str, level: str) -> dict:
    """classify() keyword arguments (persons, yuan) with every metric exactly at ``level``'s threshold."""
    thresholds = EXPECTED[code][LEVELS[level]]
    names = {E: "employees", R: "annual_revenue", A: "total_assets"}
    return {names[m]: (v if m == E else v * WAN) for m, v in thresholds.items()}


def cases():
    for code, rows in EXPECTED.items():
        for level, index in LEVELS.items():
            yield pytest.param(code, level, None, id=f"{code}-{level}-at")
            for metric in rows[index]:
                yield pytest.param(code, level, metric, id=f"{code}-{level}-{metric}-below")


def test_expected_table_has_the_sixteen_industries_of_the_data_dictionary():
    order = ["AGR", "IND", "CON", "WHS", "RET", "TRN", "STO", "PST", "ACC", "CAT", "ITC", "SWS", "RED", "PMG",
             "LBS", "OTH"]  # fmt: skip
    assert list(EXPECTED) == order
    assert list(size_table().industries) == order


def test_each_industry_uses_the_metrics_of_the_notice():
    for code, (ceiling, medium, small) in EXPECTED.items():
        assert set(size_table().industries[code].metrics) == set(ceiling) | set(medium) | set(small), code


@pytest.mark.parametrize(("code", "level", "below"), list(cases()))
def test_at_each_threshold_and_one_unit_below(code, level, below):
    args = args_at(code, level)
    if below is None:
        assert classify(code, **args) is AT[level]
        return
    key = {E: "employees", R: "annual_revenue", A: "total_assets"}[below]
    args[key] -= 1
    assert classify(code, **args) is BELOW[level]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_far_above_every_ceiling_is_large_and_zero_is_micro(code):
    huge = {k: v * 10 for k, v in args_at(code, "ceiling").items()}
    assert classify(code, **huge) is SizeClass.LARGE
    assert classify(code, **{k: 0 for k in huge}) is SizeClass.MICRO


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
    # Real estate: revenue 200,000 万元 but assets under 10,000 万元 is an SME (medium here).
    assert classify("RED", None, 200_000 * WAN, 9_999 * WAN) is SizeClass.MEDIUM


def test_missing_metric_gives_no_class_and_names_the_field():
    assert classify("IND", 30, None) is None
    assert missing_metrics("IND", employees=30, annual_revenue=None) == ["annual_revenue"]
    assert classify("CON", None, 400 * WAN, 400 * WAN) is SizeClass.SMALL  # construction ignores staff
