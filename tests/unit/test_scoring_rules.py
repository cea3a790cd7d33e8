"""The default rule pack: refusal of bad packs, every knock-out, band edges, limit branches, pricing,
explanations, and hypothesis properties (deterministic; better inputs never lower the score)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loandesk.scoring.pack import PackError, default_pack_path, load_pack
from loandesk.scoring.service import score_record

TODAY = dt.date(2026, 11, 22)
TEXT = default_pack_path().read_text(encoding="utf-8")
BASE = {
    "industry": "RET", "registered_on": "2019-03-01", "employees": 12, "annual_revenue": 3_000_000,
    "total_assets": 1_000_000, "tax_grade": "B", "tax_paid_12m": 60_000, "tax_paid_24m": 110_000,
    "invoice_sales_12m": 2_700_000, "social_insurance_headcount": 9, "abnormal_operation": False,
    "dishonest_debtor": False, "has_loan_history": False, "requested_amount": 500_000, "term_months": 12,
}  # fmt: skip


@pytest.fixture(scope="module")
def pack():
    return load_pack(default_pack_path(), today=TODAY)


def score(pack, **changes):
    return score_record({**BASE, **changes}, pack, as_of=TODAY)


def write(tmp_path, text):
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- refusing bad packs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "old, new, key, words",
    [
        ('variable = "tax_trend"', 'variable = "tax_trendz"', "factor[5].variable", "unknown field"),
        ("{ lower = 24, upper = 36, points = 30 }", "{ lower = 25, upper = 36, points = 30 }",
         "factor[1].bins[1].lower", "gap between 24"),
        ("{ lower = 36, upper = 60, points = 60 }", "{ lower = 30, upper = 60, points = 60 }",
         "factor[1].bins[2].lower", "overlaps"),
        ('name = "refer"\nlower = 540', 'name = "refer"\nlower = 530', "decision", "overlaps"),
        ("expires = 2027-12-31", "expires = 2026-01-31", "pack.expires", "expired on 2026-01-31"),
        ('{ values = ["C", "D"], points = 0 }', '{ values = ["B", "D"], points = 0 }', "factor[0].bins[3].values",
         "already in bin"),
        ("lpr_1y = 3.00", "lpr_1y = 'three'", "pricing.lpr_1y", "must be a number"),
        ("[pack]", "[pack", "-", "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_pack_is_refused_naming_file_line_and_key(tmp_path, old, new, key, words):
    assert old in TEXT
    path = write(tmp_path, TEXT.replace(old, new, 1))
    with pytest.raises(PackError) as exc:
        load_pack(path, today=TODAY)
    message = exc.value.message("en")
    assert str(path) in message and words in message and (key == "-" or key.split("[")[0] in exc.value.key)
    assert exc.value.line is not None
    assert new.splitlines()[0].strip()[:8] in TEXT.replace(old, new, 1).splitlines()[exc.value.line - 1] or key in (
        "decision", "pack.expires", "-", "factor[5].variable")
    assert "规则包" in exc.value.message("zh")


def test_monotonic_declaration_is_enforced(tmp_path):
    text = TEXT.replace("{ lower = 60, upper = 120, points = 90 }", "{ lower = 60, upper = 120, points = 10 }")
    with pytest.raises(PackError, match="monotonic"):
        load_pack(write(tmp_path, text), today=TODAY)


def test_default_pack_loads_with_its_hash(pack):
    assert pack.id == "bank-tax-first-loan" and len(pack.hash) == 64
    assert pack.pricing["lpr_1y"] == 3.0 and str(pack.pricing["lpr_date"]) == "2025-05-20"
    assert pack.limit["product_cap"] == 3_000_000


# ---- knock-outs --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, code",
    [
        ({"employees": 400, "annual_revenue": 60_000_000}, "not_small_micro"),
        ({"tax_grade": "C"}, "tax_grade_c_d"),
        ({"tax_grade": "D"}, "tax_grade_c_d"),
        ({"abnormal_operation": "是"}, "abnormal_operation"),
        ({"dishonest_debtor": True}, "dishonest_debtor"),
        ({"registered_on": "2025-01-01"}, "short_operation"),
        ({"prior_default": "yes"}, "prior_default"),
    ],
)
def test_each_knockout_declines(pack, changes, code):
    r = score(pack, **changes)
    assert r.decision == "decline" and r.limit == 0 and r.rate is None
    assert [k["code"] for k in r.knockouts] == [code]
    assert r.reasons[0]["en"] == r.knockouts[0]["en"]
    assert r.what_would_change[0]["kind"] == "knockout"


def test_short_operation_says_how_many_months(pack):
    r = score(pack, registered_on="2024-09-22")  # 26 months: fine
    assert not r.knockouts
    r = score(pack, registered_on="2025-01-22")  # 22 months
    assert r.knockouts[0]["fix_en"] == "2 more months of operation"
    assert r.knockouts[0]["fix_zh"] == "再经营 2 个月"
    assert not score(pack, registered_on="2024-11-22").knockouts  # exactly 24 months


def test_missing_required_data_refers_and_says_what(pack):
    r = score(pack, tax_paid_24m=None)
    assert r.decision == "refer" and "tax_paid_24m" in r.missing
    assert any("近24个月纳税额" in x["zh"] for x in r.reasons)
    assert any(x["kind"] == "missing" for x in r.what_would_change)


# ---- bands -------------------------------------------------------------------------------------------
def test_grade_and_decision_band_edges(pack):
    # base 300 + tax grade B 90 + months 90 + tax 60 + coverage 60 + insurance 50 + trend 40 + request 40 = 730
    r = score(pack)
    assert r.score == 730 and r.grade == "A" and r.decision == "approve"
    r = score(pack, social_insurance_headcount=3)  # 25% insured: -50 -> 680
    assert (r.score, r.grade, r.decision) == (680, "B", "approve")
    r = score(pack, social_insurance_headcount=3, tax_grade="M", requested_amount=600_000)  # 20%: -20
    assert (r.score, r.grade) == (630, "B")
    r = score(pack, social_insurance_headcount=3, tax_grade="M", invoice_sales_12m=2_400_000)  # 680-30=650 (80%)
    assert r.score == 650
    r = score(pack, social_insurance_headcount=3, tax_grade="M", invoice_sales_12m=2_399_999)  # 0.79999 -> -30
    assert (r.score, r.grade, r.decision) == (620, "B", "approve")  # 620 is the lower edge: approve
    r = score(pack, social_insurance_headcount=3, tax_grade="M", invoice_sales_12m=1_000_000, requested_amount=200_000)
    assert (r.score, r.grade, r.decision) == (620 - 30 + 20, "C", "refer")
    r = score(pack, social_insurance_headcount=3, tax_grade="M", invoice_sales_12m=1_000_000,
              requested_amount=700_000)  # fmt: skip
    assert (r.score, r.grade, r.decision) == (570, "C", "refer")
    r = score(pack, social_insurance_headcount=3, tax_grade="M", invoice_sales_12m=1_000_000,
              requested_amount=700_000, tax_paid_12m=40_000)  # trend 40k/70k < 0.8: -40 -> 530
    assert (r.score, r.grade, r.decision) == (530, "D", "decline")
    assert any(w["kind"] == "decision" for w in r.what_would_change)


# ---- limit formula -----------------------------------------------------------------------------------
def test_limit_branches(pack):
    r = score(pack)  # B: 3 x 55,000 = 165,000 -> 160,000 (rounded down to 10,000)
    assert (r.limit, r.limit_basis) == (160_000, "tax_multiple")
    r = score(pack, tax_grade="A", tax_paid_24m=120_000)  # 5 x 60,000 = 300,000
    assert (r.limit, r.limit_basis) == (300_000, "tax_multiple")
    r = score(pack, tax_paid_12m=500_000, tax_paid_24m=1_000_000, invoice_sales_12m=2_700_000)
    assert (r.limit, r.limit_basis) == (500_000, "request")  # 1.5 m > request; revenue share 600,000
    r = score(pack, tax_paid_12m=500_000, tax_paid_24m=1_000_000, requested_amount=900_000)
    assert (r.limit, r.limit_basis) == (600_000, "revenue_share")  # 20% of 3,000,000
    r = score(pack, annual_revenue=40_000_000, invoice_sales_12m=36_000_000, tax_paid_12m=2_000_000,
              tax_paid_24m=4_000_000, requested_amount=3_000_000, employees=40, social_insurance_headcount=40)
    assert r.size_class == "small" and (r.limit, r.limit_basis) == (3_000_000, "product_cap")
    r = score(pack, tax_paid_12m=3_000, tax_paid_24m=5_000)  # 3 x 2,500 = 7,500 -> 0 < minimum 10,000
    assert r.decision == "decline" and r.limit == 0 and any("minimum" in x["en"] for x in r.reasons)


# ---- pricing -----------------------------------------------------------------------------------------
def test_pricing_rules(pack):
    assert score(pack).rate == 3.40  # LPR 3.00 + A 60bp - first-loan 20bp
    assert score(pack, has_loan_history=True).rate == 3.60
    r = score(pack, social_insurance_headcount=3, tax_grade="M")  # grade B: +100bp - 20bp
    assert (r.grade, r.rate) == ("B", 3.80)
    assert score(pack, term_months=24).term_months == 12  # capped at the product's 12 months


def test_pricing_floor_cap_and_long_term(tmp_path):
    text = TEXT.replace("max_months = 12", "max_months = 84").replace("floor = 3.20", "floor = 3.50")
    pack = load_pack(write(tmp_path, text), today=TODAY)
    assert score(pack).rate == 3.50  # 3.40 lifted to the floor
    assert score(pack, term_months=72).rate == 3.90  # 5-year LPR 3.50 + 60 - 20
    text = TEXT.replace("cap = 6.00", "cap = 3.30").replace("floor = 3.20", "floor = 3.00")
    capped = load_pack(write(tmp_path, text), today=TODAY)
    assert score(capped).rate == 3.30


# ---- properties --------------------------------------------------------------------------------------
records = st.fixed_dictionaries({
    "registered_on": st.dates(dt.date(1990, 1, 1), TODAY).map(dt.date.isoformat),
    "employees": st.integers(1, 500), "annual_revenue": st.integers(0, 50_000_000),
    "tax_grade": st.sampled_from("ABMCD"), "tax_paid_12m": st.integers(0, 2_000_000),
    "tax_paid_24m": st.integers(0, 4_000_000), "invoice_sales_12m": st.integers(0, 50_000_000),
    "social_insurance_headcount": st.integers(0, 500), "requested_amount": st.integers(10_000, 3_000_000),
    "industry": st.sampled_from(["RET", "IND", "SWS", "CAT", "OTH"]),
})  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(records)
def test_score_is_deterministic(pack, rec):
    a, b = score(pack, **rec).to_dict(), score(pack, **rec).to_dict()
    assert a == b


@settings(max_examples=40, deadline=None)
@given(records, st.sampled_from(["tax_grade", "registered_on", "tax_paid_24m", "invoice_sales_12m",
                                 "social_insurance_headcount", "requested_amount"]))  # fmt: skip
def test_better_input_never_lowers_the_score(pack, rec, field):
    better = dict(rec)
    if field == "tax_grade":
        order = "DCMBA"
        better["tax_grade"] = order[min(order.index(rec["tax_grade"]) + 1, 4)]
    elif field == "registered_on":
        better["registered_on"] = (dt.date.fromisoformat(rec["registered_on"]) - dt.timedelta(days=400)).isoformat()
    elif field == "requested_amount":
        better["requested_amount"] = rec["requested_amount"] // 2
    elif field == "tax_paid_24m":  # more tax the year before last: average up (trend may fall: compare factor)
        better["tax_paid_24m"] = rec["tax_paid_24m"] + 50_000
    else:
        better[field] = rec[field] + 1_000_000 if field == "invoice_sales_12m" else rec[field] + 5
    before, after = score(pack, **rec), score(pack, **better)
    if field == "tax_paid_24m":
        pts = {f["variable"]: f["points"] for f in after.factors}
        old = {f["variable"]: f["points"] for f in before.factors}
        assert pts["avg_annual_tax"] >= old["avg_annual_tax"]
    elif field == "social_insurance_headcount":
        pts = {f["variable"]: f["points"] for f in after.factors}
        old = {f["variable"]: f["points"] for f in before.factors}
        assert pts["social_insurance_ratio"] >= old["social_insurance_ratio"]
    else:
        assert after.score >= before.score


@settings(max_examples=30, deadline=None)
@given(records)
def test_vectorised_size_class_matches_core(pack, rec):
    from loandesk.core.sizing import classify

    r = score(pack, **rec)
    assert r.size_class == classify(rec["industry"], rec["employees"], rec["annual_revenue"], None if rec[
        "industry"] not in ("CON", "RED", "LBS") else 0).value  # fmt: skip
