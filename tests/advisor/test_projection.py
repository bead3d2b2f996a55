"""The advisor's projection on hand-made histories: what the customer would check by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from portal.advisor.projection import (
    BASIS_BENCHMARK,
    BASIS_HISTORY,
    BASIS_SEASONAL,
    Inputs,
    Interval,
    Price,
    period_of,
    project,
    suggest,
)

D = Decimal


def readings(meter: int, *points: tuple[dt.date, str]) -> list[Interval]:
    return [Interval(meter, a[0], b[0], D(b[1]) - D(a[1])) for a, b in pairwise(points)]


def inputs(**changes) -> Inputs:
    values = {
        "today": dt.date(2026, 3, 1),
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "intervals": [],
        "installed_meters": [1],
        "prices": [Price(dt.date(2020, 1, 1), None, D("100.00"), D("12"))],
        "monthly_daily": {},
        "benchmark_per_year": D("36"),
        "advances_paid": D("0.00"),
        "advances_due": D("0.00"),
        "advance_amount": D("300.00"),
        "advance_frequency": "monthly",
    }
    values.update(changes)
    return Inputs(**values)


def test_price_change_on_new_year_prices_each_part_of_the_period_with_its_own_price():
    # Billing period July 2025 – June 2026, 0.1 m³ a day, the price rises on 1 January.
    result = project(
        inputs(
            today=dt.date(2026, 3, 1),
            period_start=dt.date(2025, 7, 1),
            period_end=dt.date(2026, 6, 30),
            intervals=readings(
                1,
                (dt.date(2024, 7, 1), "100.000"),
                (dt.date(2025, 6, 30), "136.400"),
                (dt.date(2026, 2, 28), "160.700"),
            ),
            prices=[
                Price(dt.date(2025, 1, 1), dt.date(2025, 12, 31), D("100.00"), D("12")),
                Price(dt.date(2026, 1, 1), None, D("110.00"), D("12")),
            ],
            advances_paid=D("2400.00"),
            advances_due=D("1200.00"),
        )
    )
    assert result.measured_until == dt.date(2026, 2, 28)
    assert result.measured_volume == D("24.300")  # 243 days × 0.1
    assert result.daily_volume == D("0.100")
    assert result.basis == BASIS_HISTORY
    assert result.projected_volume == D("12.200")  # 1 March – 30 June: 122 days
    assert result.total_volume == D("36.500")
    assert [(line.first, line.last, line.volume, line.base) for line in result.lines] == [
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31), D("18.400"), D("1840.00")),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30), D("18.100"), D("1991.00")),
    ]
    assert result.amount_base == D("3831.00")
    assert result.amount_vat == D("459.72")
    assert result.amount_total == D("4290.72")
    assert result.settlement == D("690.72")  # an underpayment: 4290.72 − 2400 − 1200
    assert result.advances_per_period == 12
    assert result.suggested_advance == D("360.00")  # 4290.72 / 12 = 357.56, up to tens


def test_meter_replacement_counts_the_old_meter_to_its_final_and_the_new_from_its_initial():
    old = readings(
        1,
        (dt.date(2025, 1, 1), "500.000"),
        (dt.date(2026, 1, 1), "573.000"),
        (dt.date(2026, 4, 1), "591.000"),  # final reading of the old meter
    )
    new = readings(2, (dt.date(2026, 4, 1), "0.000"), (dt.date(2026, 6, 30), "18.000"))
    result = project(inputs(today=dt.date(2026, 7, 1), intervals=old + new, installed_meters=[2]))
    assert result.measured_until == dt.date(2026, 6, 30)
    assert result.measured_volume == D(
        "36.200"
    )  # 0.2 + 18 on the old meter (to its final), 18 on the new
    assert result.daily_volume == D("0.200")
    assert result.total_volume == D("73.000")
    assert result.amount_total == D("8176.00")  # 7300 + 12 % VAT


def test_no_history_uses_the_benchmark_for_the_whole_period():
    result = project(inputs(advances_paid=D("600.00"), advances_due=D("3000.00")))
    assert result.basis == BASIS_BENCHMARK
    assert result.measured_until is None
    assert result.measured_volume == D("0.000")
    assert result.total_volume == D("36.000")
    assert result.amount_total == D("4032.00")
    assert result.settlement == D("432.00")


def test_an_overpayment_is_negative():
    result = project(inputs(advances_paid=D("5000.00")))
    assert result.settlement == D("-968.00")


def test_a_year_of_daily_values_gives_each_month_its_own_factor():
    # Summer months used twice as much as the rest: the rest of the year is projected so.
    monthly = {m: (D("31") * (D("0.2") if m in (7, 8) else D("0.1")), 31) for m in range(1, 13)}
    intervals = [Interval(1, dt.date(2025, 2, 28), dt.date(2026, 2, 28), D("36.500"))]
    result = project(inputs(intervals=intervals, monthly_daily=monthly))
    assert result.basis == BASIS_SEASONAL
    flat = project(inputs(intervals=intervals))
    assert flat.basis == BASIS_HISTORY
    assert result.total_volume > flat.total_volume


def test_vat_follows_the_rate_of_each_price_row():
    result = project(
        inputs(
            period_start=dt.date(2023, 7, 1),
            period_end=dt.date(2024, 6, 30),
            today=dt.date(2023, 7, 1),
            prices=[
                Price(dt.date(2023, 1, 1), dt.date(2023, 12, 31), D("100.00"), D("10")),
                Price(dt.date(2024, 1, 1), None, D("100.00"), D("12")),
            ],
            benchmark_per_year=D("36.6"),
        )
    )
    rates = result.vat_by_rate
    assert set(rates) == {D("10"), D("12")}
    assert rates[D("10")][1] == (rates[D("10")][0] * D("0.10")).quantize(D("0.01"))


def test_period_follows_the_last_invoice():
    assert period_of(dt.date(2026, 3, 1), None) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    last = (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert period_of(dt.date(2026, 3, 1), last) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    # A leap year's period is followed by a calendar year, not by 366 days.
    leap = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert period_of(dt.date(2025, 3, 1), leap) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # An invoice not issued yet: the period after the next one.
    assert period_of(dt.date(2026, 2, 1), leap) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    quarter = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert period_of(dt.date(2026, 2, 1), quarter) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_suggestion_rounds_up_to_tens():
    assert suggest(D("3600.00"), 12) == D("300.00")
    assert suggest(D("3600.01"), 12) == D("310.00")
    assert suggest(D("-5"), 12) == D("0.00")
