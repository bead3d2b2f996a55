"""Czech formats of money, volumes, dates and rates (portal/lib/formatting.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from portal.lib import formatting as f
from portal.lib.money import round_money, to_decimal, total

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "1 234,50 Kč"),
        (Decimal("-1432.03"), "-1 432,03 Kč"),
        (Decimal("0"), "0,00 Kč"),
        (Decimal("1234567.891"), "1 234 567,89 Kč"),
        (Decimal("999.995"), "1 000,00 Kč"),
        ("47166.45", "47 166,45 Kč"),
    ],
)
def test_money_has_a_decimal_comma_and_non_breaking_spaces(value, expected):
    assert f.format_money(value) == expected.replace(" ", NBSP)


def test_volume_keeps_the_meters_precision_of_a_litre():
    assert f.format_volume(Decimal("12.345")) == f"12,345{NBSP}m³"
    assert f.format_volume(Decimal("1290")) == f"1{NBSP}290,000{NBSP}m³"
    assert f.format_volume(None) == ""


def test_dates_are_day_month_year_with_spaces():
    assert f.format_date(dt.date(2026, 12, 15)) == f"15.{NBSP}12.{NBSP}2026"
    assert f.format_date(dt.date(2025, 1, 8)) == f"8.{NBSP}1.{NBSP}2025"
    assert f.format_date_short(dt.date(2025, 1, 8)) == "8.1.2025"


def test_rates_areas_and_coefficients():
    assert f.format_percent(Decimal("12.00")) == f"12{NBSP}%"
    assert f.format_plain(Decimal("0.90")) == "0,9"
    assert f.format_plain(Decimal("0.05")) == "0,05"
    assert f.format_area(Decimal("1292.5")) == f"1{NBSP}292,50{NBSP}m²"


def test_money_is_decimal_only():
    assert total([Decimal("0.10"), None, Decimal("0.20")]) == Decimal("0.30")
    assert round_money(Decimal("58.352")) == Decimal("58.35")
    with pytest.raises(TypeError):
        to_decimal(0.1)
