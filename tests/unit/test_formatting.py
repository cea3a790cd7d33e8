"""Numbers, money and dates as Chinese and English readers expect them (core.formatting)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from loandesk.core import formatting as f


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (1234567, 0, "1,234,567"),
        (1234567.8, 2, "1,234,567.80"),
        (975074.5, 2, "975,074.50"),
        (999.5, 0, "1,000"),  # half up, as a teller rounds
        (0.125, 2, "0.13"),  # round() would give 0.12 (half to even)
        (2.675, 2, "2.68"),  # the float 2.675 is 2.67499..., but a reader typed 2.675
        (-0.004, 2, "0.00"),  # never "-0.00"
        (-1234.5, 2, "-1,234.50"),
        ("1,234,567", 0, "1,234,567"),  # numeric text from a file
        (Decimal("3000000"), 0, "3,000,000"),
        (None, 2, ""),
        ("", 0, ""),
        ("abc", 0, ""),
        (float("nan"), 0, ""),
        (True, 0, ""),  # a yes/no is not an amount
    ],
)
def test_grouped_by_thousands_half_up(value, digits, text):
    assert f.grouped(value, digits) == text


def test_numbers_drop_a_trailing_zero_but_keep_their_decimals():
    assert f.number_text(12000.0) == "12,000"
    assert f.number_text(3.5) == "3.5"
    assert f.number_text(1234.25) == "1,234.25"
    assert f.number_text(7) == "7"
    assert f.number_text(2.5, digits=2) == "2.50"
    assert f.number_text(None) == ""


def test_yuan_in_full_in_each_language():
    assert f.yuan(975074.5, "zh") == "975,074.50 元"
    assert f.yuan(975074.5, "en") == "CNY 975,074.50"
    assert f.yuan(3_000_000, "zh", digits=0) == "3,000,000 元"
    assert f.yuan(None, "zh") == ""


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (8500, "8,500元", "8,500 yuan"),
        (10_000, "1万元", "10,000 yuan"),
        (500_000, "50万元", "500,000 yuan"),
        (1_234_567, "123.46万元", "1.23 million yuan"),
        (3_000_000, "300万元", "3 million yuan"),
        (99_995_000, "9,999.5万元", "100 million yuan"),  # still 万 below one 亿; 99.995 rounds up
        (125_000_000, "1.25亿元", "125 million yuan"),
        (6_290_000_000, "62.9亿元", "6.29 billion yuan"),  # the Zhejiang plan's 62.9 bn yuan
        (-250_000, "-25万元", "-250,000 yuan"),
    ],
)
def test_short_money_counts_in_wan_and_yi(amount, zh, en):
    assert f.short_money(amount, "zh") == zh
    assert f.short_money(amount, "en") == en


def test_wan_columns_and_percentages():
    assert f.wan(12_345_678) == "1,234.57"  # 营业收入(万元)
    assert f.wan(3_000_000, 0) == "300"
    assert f.percent(0.9721) == "97.2%"
    assert f.percent(0.0385, 2) == "3.85%"
    assert f.percent(None) == ""


def test_dates_in_each_language():
    day = dt.date(2026, 12, 3)
    assert f.date_text(day, "zh") == "2026年12月3日"
    assert f.date_text(day, "en") == "3 Dec 2026"
    assert f.date_text("2019-03-15", "zh") == "2019年3月15日"
    assert f.date_text("2019-03-15", "en") == "15 Mar 2019"
    assert f.date_text(None, "zh") == "" and f.date_text("", "en") == ""
    assert f.date_text("not a date", "zh") == "not a date"  # shown as it is, never a crash


def test_stamps_are_read_in_local_time(monkeypatch):
    import time

    # Beijing time: 23:30 UTC on 2 December is already 3 December at the counter.
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert f.date_text("2026-12-02T23:30:00.000+00:00", "zh") == "2026年12月3日"
        assert f.datetime_text("2026-12-02T23:30:00+00:00", "zh") == "2026年12月3日 07:30"
        assert f.datetime_text(dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC), "en") == "3 Dec 2026 07:30"
        assert f.datetime_text("2026-12-02", "en") == "2 Dec 2026"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_language_follows_the_user_when_not_given(monkeypatch):
    from loandesk.core import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    assert f.yuan(1, digits=0) == "CNY 1" and f.date_text("2026-01-05") == "5 Jan 2026"
    monkeypatch.setattr(i18n, "_current", "zh")
    assert f.yuan(1, digits=0) == "1 元" and f.date_text("2026-01-05") == "2026年1月5日"


def test_byte_sizes():
    assert f.byte_size(512) == "512 B"
    assert f.byte_size(2048) == "2 KB"
    assert f.byte_size(12_345_678) == "11.8 MB"
    assert f.byte_size(3 * 1024**3) == "3.0 GB"


def test_the_memo_prints_money_with_the_same_grouping():
    from loandesk.memo.numbers import money_text
    from loandesk.memo.template import load_template

    template = load_template()
    assert money_text(975074.5, template, "zh") == "¥975,074.50"
    assert money_text(975074.5, template, "en") == "CNY 975,074.50"
