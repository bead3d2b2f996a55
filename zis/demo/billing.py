"""Prices, VAT and the arithmetic of the annual settlement invoice and the advances.

Rounding rule (what every demo invoice obeys, to the haléř):

1. The consumption of the billing period (litres, exact) is split at the readings that support a
   split: the settlement readings that open and close the period and, where the supply point was
   read on the day a VAT rate changed, that reading. Each such span is split among the calendar
   years it covers (prices change on 1 January) in proportion to days; each part is floored to the
   litre and the last part takes the remainder, so the parts add up to the measured consumption
   exactly. Rainwater is the year's assessed volume times the share of that year's days in the
   part, rounded to 0.001 m³.
2a. VAT: the rate in force on the invoice's date of taxable supply (the day of the closing
   reading), except for a span closed by a reading on the day of a rate change: that span is
   taxed at the rate in force the day before. With no reading at the change, nothing is split.
2. Each line: ``base = quantity * unit price`` rounded to 0.01 CZK, ROUND_HALF_UP.
3. VAT per rate (the VAT summary): ``vat = Σ bases of the rate * rate / 100`` rounded to 0.01 CZK,
   ROUND_HALF_UP. Each line's VAT is its own base * rate rounded the same way; the difference
   between the summary and the sum of the lines (at most a few haléř) is put on the rate's last
   line, so lines and summary agree. ``line total = base + vat``; ``rate total = base + vat``.
4. ``invoice total = Σ rate totals``; ``balance = total - advances paid`` (negative: an overpayment
   that is refunded).
5. Advances are whole crowns (rounded to 10 CZK, ROUND_HALF_UP), gross of VAT.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

HALER = Decimal("0.01")
MILLI = Decimal("0.001")
TEN = Decimal(10)
# (in force from, rate) of water supply and sewerage: 15 % until 30 April 2020.
VAT_RATES = ((date(2020, 5, 1), 10), (date(2024, 1, 1), 12))
FIRST_RATE = 15
VAT_CHANGES = tuple(day for day, _rate in VAT_RATES)
WATER, SEWAGE, RAINWATER = "water", "sewage", "rainwater"
LINE_NAMES = {WATER: "Vodné", SEWAGE: "Stočné", RAINWATER: "Stočné za srážkové vody"}
VOLUME_UNIT = "m3"


def vat_rate_on(day: date) -> int:
    """VAT on water and sewage: 15 % until 30 April 2020, 10 % until 2023, 12 % since 2024."""
    rate = FIRST_RATE
    for since, value in VAT_RATES:
        if day >= since:
            rate = value
    return rate


def money(value: Decimal) -> Decimal:
    """Round to the haléř, half up."""
    return value.quantize(HALER, rounding=ROUND_HALF_UP)


def litres_to_m3(litres: int) -> Decimal:
    return Decimal(litres).scaleb(-3)


@dataclass(frozen=True, slots=True)
class YearPrice:
    """Prices per m³ without VAT valid for a calendar year; `vat_rate` is the rate on 1 January."""

    year: int
    water: Decimal
    sewage: Decimal
    vat_rate: int

    def rate_periods(self) -> list[tuple[date, date, int]]:
        """The year cut where the VAT rate changes: (from, to, rate)."""
        start, end = date(self.year, 1, 1), date(self.year, 12, 31)
        cuts = [day for day in VAT_CHANGES if start < day <= end]
        periods = []
        for cut in [*cuts, end + timedelta(days=1)]:
            periods.append((start, cut - timedelta(days=1), vat_rate_on(start)))
            start = cut
        return periods


def price_table(rng: random.Random, first_year: int, last_year: int) -> dict[int, YearPrice]:
    """Vodné about 44 CZK/m³ in 2017 and stočné about 40, both rising yearly by 0.8-2.4 CZK."""
    water = Decimal(44) + Decimal("1.6") * (first_year - 2017)
    sewage = Decimal(40) + Decimal("1.5") * (first_year - 2017)
    water, sewage = max(water, Decimal(15)), max(sewage, Decimal(12))
    table = {}
    for year in range(first_year, last_year + 1):
        table[year] = YearPrice(year, water, sewage, vat_rate_on(date(year, 1, 1)))
        water = money(water + Decimal(rng.randint(80, 240)) / 100)
        sewage = money(sewage + Decimal(rng.randint(70, 230)) / 100)
    return table


@dataclass(slots=True)
class Line:
    """One invoice line; ``vat`` and ``total`` are settled by :func:`settle`."""

    kind: str
    period_start: date
    period_end: date
    quantity: Decimal
    unit_price: Decimal
    vat_rate: int
    base: Decimal = Decimal(0)
    vat: Decimal = Decimal(0)
    total: Decimal = Decimal(0)


@dataclass(slots=True)
class RateSummary:
    vat_rate: int
    base: Decimal
    vat: Decimal
    total: Decimal


@dataclass(slots=True)
class Settlement:
    lines: list[Line]
    summary: list[RateSummary]
    total_base: Decimal
    total_vat: Decimal
    total: Decimal


def year_parts(start: date, end: date) -> list[tuple[date, date, int]]:
    """The calendar-year pieces of the inclusive period ``start``-``end``: (from, to, days)."""
    parts = []
    while start <= end:
        year_end = min(end, date(start.year, 12, 31))
        parts.append((start, year_end, (year_end - start).days + 1))
        start = year_end + timedelta(days=1)
    return parts


def split_litres(litres: int, parts: list[tuple[date, date, int]]) -> list[int]:
    """Split a consumption among the parts by days; the parts add up to ``litres`` exactly."""
    days = sum(p[2] for p in parts)
    shares = [litres * p[2] // days for p in parts[:-1]]
    return [*shares, litres - sum(shares)]


def settlement_lines(
    start: date,
    end: date,
    litres: int,
    prices: dict[int, YearPrice],
    *,
    sewage: bool,
    rainwater: dict[int, Decimal],
    tax_point: date,
    readings: dict[date, int] | None = None,
) -> list[Line]:
    """Lines of an annual settlement of ``start``-``end`` (inclusive): per span between readings
    that support a split and per calendar year, vodné, stočné and rainwater if charged.

    ``readings`` maps a VAT change date inside the period on which the supply point was read to
    the litres consumed from ``start`` up to that reading."""
    known = sorted((day, used) for day, used in (readings or {}).items() if start < day <= end)
    points = [(start, 0), *known, (end + timedelta(days=1), litres)]
    lines = []
    for (span_start, before), (span_end, after) in itertools.pairwise(points):
        closing_change = span_end <= end  # closed by a reading on a change date
        rate = vat_rate_on(span_end - timedelta(days=1) if closing_change else tax_point)
        parts = year_parts(span_start, span_end - timedelta(days=1))
        for (part_start, part_end, days), part_litres in zip(
            parts, split_litres(after - before, parts), strict=True
        ):
            price = prices[part_start.year]
            quantity = litres_to_m3(part_litres)
            lines.append(Line(WATER, part_start, part_end, quantity, price.water, rate))
            if sewage:
                lines.append(Line(SEWAGE, part_start, part_end, quantity, price.sewage, rate))
            if part_start.year in rainwater:
                year_days = 366 if _leap(part_start.year) else 365
                share = rainwater[part_start.year] * days / year_days
                rain = share.quantize(MILLI, rounding=ROUND_HALF_UP)
                lines.append(Line(RAINWATER, part_start, part_end, rain, price.sewage, rate))
    return lines


def settle(lines: list[Line]) -> Settlement:
    """Price the lines and total them by the rounding rule of this module."""
    by_rate: dict[int, list[Line]] = {}
    for line in lines:
        line.base = money(line.quantity * line.unit_price)
        line.vat = money(line.base * line.vat_rate / 100)
        by_rate.setdefault(line.vat_rate, []).append(line)
    summary = []
    for rate in sorted(by_rate):
        rate_lines = by_rate[rate]
        base = sum((line.base for line in rate_lines), Decimal(0))
        vat = money(base * rate / 100)
        rate_lines[-1].vat += vat - sum((line.vat for line in rate_lines), Decimal(0))
        summary.append(RateSummary(rate, base, vat, base + vat))
    for line in lines:
        line.total = line.base + line.vat
    total_base = sum((s.base for s in summary), Decimal(0))
    total_vat = sum((s.vat for s in summary), Decimal(0))
    return Settlement(lines, summary, total_base, total_vat, total_base + total_vat)


def advance_amount(
    annual_litres: float, price: YearPrice, *, sewage: bool, rainwater_m3: Decimal, count: int
) -> Decimal:
    """One advance: the expected yearly bill with VAT divided by the number of advances."""
    per_m3 = price.water + (price.sewage if sewage else Decimal(0))
    net = Decimal(int(annual_litres)).scaleb(-3) * per_m3 + rainwater_m3 * price.sewage
    gross = net * (100 + price.vat_rate) / 100 / count
    return max(Decimal(50), (gross / TEN).quantize(Decimal(1), rounding=ROUND_HALF_UP) * TEN)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
