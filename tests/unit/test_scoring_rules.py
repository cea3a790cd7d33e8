"""The default rule pack: refusal of bad packs, every knock-out, band edges, limit branches, pricing,
missing and inconsistent data, term rules, explanations, and hypothesis properties (deterministic;
a better value never lowers the score, for every factor the pack declares monotonic or ordered).

Every test scores "as of" TODAY, a date inside the default pack's validity, so nothing starts
failing when the calendar passes the pack's expiry."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loandesk.scoring.engine import evaluate
from loandesk.scoring.inputs import derive, frame_from_records
from loandesk.scoring.pack import PackError, default_pack_path, load_pack
from loandesk.scoring.service import score_record

TODAY = dt.date(2026, 11, 22)  # inside the default pack's validity (checked below)
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


# ---- keys the pack format does not have --------------------------------------------------------------
@pytest.mark.parametrize(
    "old, new, key",
    [
        ("cap_at_request = true", "cap_at_requst = true", "limit.cap_at_requst"),
        ('variable = "months_in_operation"\nmonotonic', 'variable = "months_in_operation"\nmonotonc',
         "factor[1].monotonc"),
        ('variable = "tax_trend"\nmonotonic = "increasing"\nmissing_points = 0',
         'variable = "tax_trend"\nmonotonic = "increasing"\nmissing_pts = 0', "factor[5].missing_pts"),
        ("{ lower = 0.3, upper = 0.7, points = 25 }", "{ lower = 0.3, upper = 0.7, pionts = 25 }",
         "factor[4].bins[1].pionts"),
        ("[pricing]", "foo = 1\n[pricing]", "limit.foo"),
        ("[term]\nmax_months = 12", "[term]\nmax_months = 12\nrevolve = true", "term.revolve"),
        ('code = "prior_default"', 'code = "prior_default"\nseverity = "high"', "knockout[5].severity"),
        ('[[grade]]\nname = "A"', '[[grade]]\nname = "A"\nlabel = "top"', "grade[0].label"),
    ],
)  # fmt: skip
def test_unknown_key_is_refused_naming_file_line_and_key(tmp_path, old, new, key):
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    path = write(tmp_path, text)
    with pytest.raises(PackError) as exc:
        load_pack(path, today=TODAY)
    leaf = key.rsplit(".", 1)[-1]
    assert exc.value.key == key
    assert f"unknown key '{leaf}'" in exc.value.message("en") and str(path) in exc.value.message("en")
    assert f"未知的键“{leaf}”" in exc.value.message("zh")
    assert leaf in text.splitlines()[exc.value.line - 1]  # the line the user must fix


def test_is_true_false_is_refused(tmp_path):
    old = 'variable = "abnormal_operation"\nis_true = true'
    assert old in TEXT
    text = TEXT.replace(old, old.replace("is_true = true", "is_true = false"))
    with pytest.raises(PackError) as exc:
        load_pack(write(tmp_path, text), today=TODAY)
    assert exc.value.key == "knockout[2].is_true" and "must be true" in exc.value.message("en")
    assert "is_true = false" in text.splitlines()[exc.value.line - 1]


def test_missing_points_above_the_worst_bin_are_refused(tmp_path):
    old = 'variable = "invoice_coverage"\nmonotonic = "increasing"\nmissing_points = 0'
    assert old in TEXT
    text = TEXT.replace(old, old.replace("missing_points = 0", "missing_points = 10"))
    with pytest.raises(PackError) as exc:
        load_pack(write(tmp_path, text), today=TODAY)
    assert exc.value.key == "factor[3].missing_points" and "worst bin" in exc.value.message("en")
    assert "missing_points = 10" in text.splitlines()[exc.value.line - 1]
    assert "不提供数据" in exc.value.message("zh")


def test_shipped_pack_never_rewards_leaving_data_out(pack):
    for f in pack.factors:
        assert f.variable.missing_points <= f.variable.min_points, f.variable.name


def test_default_pack_loads_with_its_hash(pack):
    assert pack.effective <= TODAY <= pack.expires  # the tests' date is inside the pack's validity
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


def test_one_month_short_says_month_not_months_in_both_languages(pack, tmp_path):
    """22 months: "2 more months"; 23 months: "1 more month" (never "1 more months"), as the knock-out's
    advice and as the factor's; Chinese has no plural ("再经营 1 个月"). A pack written with the plural
    form {gap:one|other} reads the same, and so does an installed pack still saying "{gap} more months"."""
    r = score(pack, registered_on="2024-12-22")  # 23 months
    assert r.knockouts[0]["fix_en"] == "1 more month of operation"
    assert r.knockouts[0]["fix_zh"] == "再经营 1 个月"
    texts = [t for item in r.what_would_change for t in (item["en"], item["zh"])]
    assert "1 more month of operation" in texts and not any("1 more months" in t for t in texts), texts
    assert score(pack, registered_on="2025-01-22").knockouts[0]["fix_en"] == "2 more months of operation"
    explicit = TEXT.replace('fix_en = "{gap} more months of operation"',
                            'fix_en = "{gap} more {gap:month|months} in business"')  # fmt: skip
    assert explicit != TEXT
    written = load_pack(write(tmp_path, explicit), today=TODAY)
    assert score(written, registered_on="2024-12-22").knockouts[0]["fix_en"] == "1 more month in business"
    assert score(written, registered_on="2024-10-22").what_would_change  # 25 months: no knock-out, no crash


@pytest.mark.parametrize("fix, words", [("{gpa} more months", "only {gap} and {target}"),
                                        ("{gap more months", "cannot be filled in"),
                                        ("{gap:,} more months", "not a plural form")])  # fmt: skip
def test_advice_that_cannot_be_filled_in_is_refused_when_the_pack_is_loaded(tmp_path, fix, words):
    text = TEXT.replace('fix_en = "{gap} more months of operation"', f'fix_en = "{fix}"', 1)
    with pytest.raises(PackError) as exc:
        load_pack(write(tmp_path, text), today=TODAY)
    assert exc.value.key == "knockout[4].fix_en" and words in exc.value.message("en")
    assert exc.value.line == next(n for n, line in enumerate(text.splitlines(), 1) if fix in line)
    assert "只能填充" in exc.value.message("zh") or "无法填充" in exc.value.message("zh") or "单复数" in \
        exc.value.message("zh")


def test_no_month_count_is_advised_without_a_registration_date(pack):
    r = score(pack, registered_on=None)
    texts = [t for item in r.what_would_change for t in (item["zh"], item["en"])]
    assert any("成立日期" in t for t in texts)  # provide the date: the advice that makes sense
    assert not any("再经营" in t or "more months" in t for t in texts), texts


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


def test_scores_exactly_on_the_grade_and_decision_edges(pack):
    grades = {g.name: g.lower for g in pack.grades}
    decisions = {d.name: d.lower for d in pack.decisions}
    assert (grades["A"], grades["C"], decisions["approve"], decisions["refer"]) == (700, 540, 620, 540)
    # 730 - 30 (invoices cover 2/3 of revenue: 30 instead of 60) = 700, the lower edge of A
    r = score(pack, invoice_sales_12m=2_000_000)
    assert (r.score, r.grade, r.decision) == (700, "A", "approve")
    # 730 - 25 (half the staff insured) - 10 (tax flat year on year) = 695: just below A
    r = score(pack, social_insurance_headcount=6, tax_paid_24m=120_000)
    assert (r.score, r.grade, r.decision) == (695, "B", "approve")
    # 300 + M 60 + months 90 + tax 60 + invoices 0 + insured 0 + trend 30 + request 0 = 540, the lower edge of C
    low = {"tax_grade": "M", "invoice_sales_12m": 1_000_000, "social_insurance_headcount": 1,
           "tax_paid_24m": 120_000, "requested_amount": 1_200_000}  # fmt: skip
    r = score(pack, **low)
    assert (r.score, r.grade, r.decision) == (540, "C", "refer")
    # 5 points less (trend 0, insured 25): 535, grade D, declined by the score alone
    r = score(pack, **{**low, "tax_paid_24m": 140_000, "social_insurance_headcount": 6})
    assert (r.score, r.grade, r.decision) == (535, "D", "decline") and not r.knockouts


def test_grade_c_is_priced_with_its_own_spread(pack):
    low = {"tax_grade": "M", "invoice_sales_12m": 1_000_000, "social_insurance_headcount": 1,
           "tax_paid_24m": 120_000, "requested_amount": 1_200_000}  # fmt: skip
    assert pack.pricing["spread_bp"]["C"] == 160
    r = score(pack, **low)
    assert (r.grade, r.rate) == ("C", 4.40)  # LPR 3.00 + 160bp - first-loan 20bp
    assert score(pack, **low, has_loan_history=True).rate == 4.60


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


# ---- missing and inconsistent data ---------------------------------------------------------------------
@pytest.mark.parametrize("field, worst", [("invoice_sales_12m", 0), ("social_insurance_headcount", 0),
                                          ("has_loan_history", True), ("term_months", 12)])  # fmt: skip
def test_blank_optional_data_is_reported_and_never_scores_better(pack, field, worst):
    r = score(pack, **{field: None})
    assert field in r.missing
    zh, en = " ".join(x["zh"] for x in r.reasons), " ".join(x["en"] for x in r.reasons)
    from loandesk.scoring.inputs import variable_label

    assert variable_label(field, "zh").split("(")[0] in zh or "申请期限" in zh
    assert any(w in en for w in (variable_label(field, "en"), "loan history", "no term requested"))
    assert r.score <= score(pack, **{field: worst}).score
    assert any(c["kind"] == "missing" and variable_label(field, "en") in c["en"] for c in r.what_would_change)


def test_reasons_never_describe_a_value_that_is_missing(pack):
    r = score(pack, invoice_sales_12m=None)
    assert r.score == score(pack, invoice_sales_12m=0).score  # missing scores as the worst bin
    en = [x["en"] for x in r.reasons]
    assert not any("invoiced sales cover little" in x for x in en)
    assert "not provided: Invoiced sales, last 12 months (scored as missing)" in en
    assert any(x["zh"] == "未提供：近12个月开票销售额（按缺失计分）" for x in r.reasons)
    assert any("invoiced sales cover little" in x["en"] for x in score(pack, invoice_sales_12m=0).reasons)


def test_blank_loan_history_is_unknown_not_a_first_loan(pack):
    blank = score(pack, has_loan_history=None)
    assert blank.rate == score(pack, has_loan_history=True).rate == 3.60  # no first-loan discount on a guess
    assert score(pack, has_loan_history=False).rate == 3.40
    assert "loan history not given: priced without the first-loan discount of 20 basis points" in blank.texts(
        "reasons", "en")
    assert any("首贷优惠" in t for t in blank.texts("reasons", "zh"))


def test_required_data_missing_still_refers(pack):
    r = score(pack, annual_revenue=None)
    assert r.decision == "refer" and r.missing == ["annual_revenue"]
    assert r.reasons[0] == {"zh": "缺少：营业收入", "en": "missing: Annual revenue"}


@pytest.mark.parametrize(
    "changes, code, words",
    [
        ({"tax_paid_12m": 80_000, "tax_paid_24m": 50_000}, "tax_24m_below_12m", "less than over the last 12 months"),
        ({"social_insurance_headcount": 20}, "insured_above_employees", "more people have social insurance"),
        ({"requested_amount": 400_000_000}, "request_far_above_cap", "over 100 times the product cap"),
    ],
)  # fmt: skip
def test_inconsistent_inputs_are_flagged(pack, changes, code, words):
    r = score(pack, **changes)
    assert [w["code"] for w in r.warnings] == [code]
    assert words in r.warnings[0]["en"] and r.warnings[0]["zh"]
    assert r.warnings[0]["en"] in r.texts("reasons", "en") and r.warnings[0]["zh"] in r.texts("reasons", "zh")
    assert not score(pack).warnings


def test_long_term_request_is_shortened_and_says_so(pack):
    r = score(pack, term_months=36)
    assert (r.term_months, r.term_requested, r.term_shortened) == (12, 36, True)
    assert r.revolving is True and r.validity_months == 12
    assert "the requested term of 36 months is over the product's maximum of 12: approved for 12 months" in r.texts(
        "reasons", "en")
    assert "申请期限 36 个月超过产品最长期限 12 个月，按 12 个月核定" in r.texts("reasons", "zh")
    ok = score(pack, term_months=12)
    assert (ok.term_months, ok.term_shortened) == (12, False)
    assert not any("term" in t for t in ok.texts("reasons", "en"))


def test_revolving_pack_needs_a_validity(tmp_path):
    with pytest.raises(PackError) as exc:
        load_pack(write(tmp_path, TEXT.replace("validity_months = 12\n", "")), today=TODAY)
    assert exc.value.key == "term.validity_months"


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


def _declared(pack):
    """Every factor whose direction the pack declares: numeric 'monotonic' or a categorical 'better' order."""
    return [f for f in pack.factors if f.monotonic or f.better]


def test_every_default_factor_declares_its_direction(pack):
    assert [f.variable.name for f in _declared(pack)] == pack.variables


@settings(max_examples=60, deadline=None)
@given(records, st.data())
def test_better_value_never_lowers_the_score_for_any_declared_factor(pack, rec, data):
    """For every factor, move its value the way the pack says is better: its points and the total
    never fall (the other factors are held still: the variable is set directly)."""
    typed, _ = frame_from_records([{**BASE, **rec}], today=TODAY)
    frame = derive(typed, TODAY)
    before = evaluate(pack, frame)
    for f in _declared(pack):
        name = f.variable.name
        variant = frame.copy()
        if f.better:
            current = frame[name].iloc[0]
            order = list(f.better)
            start = order.index(current) if current in order else 0
            variant[name] = pd.Series([data.draw(st.sampled_from(order[start:]))], dtype=object)
        else:
            current = float(frame[name].iloc[0])
            step = data.draw(st.floats(0, 1e6, allow_nan=False))
            variant[name] = current + step if f.monotonic == "increasing" else current - step
        after = evaluate(pack, variant)
        col = f"{name}_points"
        assert after.points[col].iloc[0] >= before.points[col].iloc[0], name
        assert after.points["score"].iloc[0] >= before.points["score"].iloc[0], name


@settings(max_examples=30, deadline=None)
@given(records)
def test_vectorised_size_class_matches_core(pack, rec):
    from loandesk.core.sizing import classify

    r = score(pack, **rec)
    assert r.size_class == classify(rec["industry"], rec["employees"], rec["annual_revenue"], None if rec[
        "industry"] not in ("CON", "RED", "LBS") else 0).value  # fmt: skip
