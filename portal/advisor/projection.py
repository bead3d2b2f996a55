"""The projected settlement of one supply point's billing period, from plain inputs (no queries).

How it is computed (docs/advisor.md tells the customer the same in words):

1. **The period**: the day after the last invoiced period ended, to the same length again (a
   period of a year without any invoice: 1 January to 31 December).
2. **Measured so far**: consumption between readings of the same meter (a meter replacement ends
   the old meter's series and starts the new one's, so both count) and, for remote-read meters,
   their daily values. An interval between two readings that straddles a date is shared out in
   proportion to its days. Everything is measured up to `measured_until`, the day the newest data
   of every installed meter reaches.
3. **Daily consumption**: what the supply point used over the last year of its own data (at
   least `MIN_HISTORY_DAYS` days); without it, the legal benchmark (směrná čísla) per year / 365:
   `BENCHMARK_PER_PERSON_YEAR` × the household size the customer gave (`DEFAULT_PEOPLE` when
   not given), see `benchmark_per_year`.
   With a year of daily values (remote-read meters), each month gets its own factor (its daily
   consumption over the year's): seasonality from the point's own history; otherwise flat.
4. **Projected rest**: the daily consumption × (factor of each month) × days, from the day after
   `measured_until` to the period's end.
5. **Price**: the consumption of each day is priced with the tariff price valid on that day
   (water + sewage per m³, without VAT), the VAT rate of that price row (the statutory rate of the
   day where the tariff has no price for it); base rounded to the haléř per price and rate, VAT
   per rate as on an invoice.
6. **Settlement**: the total with VAT − advances paid − advances still due in the period. A
   positive figure is an underpayment (nedoplatek), a negative one an overpayment (přeplatek).
7. **Suggested advance**: the total with VAT / the number of advances in such a period, rounded
   up to whole tens of koruna.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from portal.lib.money import ZERO, round_money, round_volume
from portal.lib.vat import water_vat_rate_on

DAY = dt.timedelta(days=1)
DAYS_PER_YEAR = Decimal(365)
HISTORY_DAYS = 365
MIN_HISTORY_DAYS = 30
MIN_SEASONAL_DAYS = 330  # daily values of (nearly) a whole year before months get their own factor
SUGGESTION_STEP = Decimal(10)
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}

# The legal benchmark consumption (vyhl. 428/2001 Sb., příloha 12, as amended by 120/2011 Sb.):
# a flat, about 36 m³ per person a year. The one definition the advisor's projection, the
# comparison and the warnings share (portal.insights imports it from here: it sits above the
# advisor in the layers).
BENCHMARK_PER_PERSON_YEAR = Decimal("36")
# The household size assumed when the customer has not given one (the average Czech household).
DEFAULT_PEOPLE = 2

BASIS_HISTORY = "history"
BASIS_SEASONAL = "seasonal"
BASIS_BENCHMARK = "benchmark"


@dataclass(frozen=True)
class Interval:
    """Consumption of one meter on the days `after` + 1 … `until` (two readings, or daily values)."""

    meter: int
    after: dt.date
    until: dt.date
    volume: Decimal

    @property
    def days(self) -> int:
        return (self.until - self.after).days

    def share(self, first: dt.date, last: dt.date) -> Decimal:
        """The part of the volume on the days `first` … `last`, in proportion to days."""
        start, end = max(first, self.after + DAY), min(last, self.until)
        if end < start or self.days <= 0:
            return Decimal(0)
        overlap = (end - start).days + 1
        return self.volume if overlap == self.days else self.volume * overlap / self.days


@dataclass(frozen=True)
class Price:
    valid_from: dt.date
    valid_to: dt.date | None
    per_m3: Decimal  # water + sewage, without VAT
    vat_rate: Decimal | None


@dataclass(frozen=True)
class Inputs:
    today: dt.date
    period_start: dt.date
    period_end: dt.date
    intervals: list[Interval]
    installed_meters: list[int]  # meters not removed: the data of each must reach a day
    prices: list[Price]  # of the supply point's tariff, any order
    monthly_daily: dict[int, tuple[Decimal, int]]  # remote-read: month → (volume, days) last year
    benchmark_per_year: Decimal
    advances_paid: Decimal
    advances_due: Decimal
    advance_amount: Decimal
    advance_frequency: str


@dataclass(frozen=True)
class PriceLine:
    first: dt.date
    last: dt.date
    volume: Decimal
    per_m3: Decimal
    vat_rate: Decimal
    base: Decimal


@dataclass
class Projection:
    period_start: dt.date
    period_end: dt.date
    measured_until: dt.date | None
    measured_volume: Decimal
    daily_volume: Decimal
    basis: str
    projected_volume: Decimal
    total_volume: Decimal
    lines: list[PriceLine] = field(default_factory=list)
    vat_by_rate: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)
    amount_base: Decimal = ZERO
    amount_vat: Decimal = ZERO
    amount_total: Decimal = ZERO
    advances_paid: Decimal = ZERO
    advances_due: Decimal = ZERO
    settlement: Decimal = ZERO
    advances_per_period: int = 1
    suggested_advance: Decimal = ZERO


def benchmark_per_year(people: int | None) -> Decimal:
    """The legal benchmark's annual consumption of a household of `people` (m³ a year)."""
    return BENCHMARK_PER_PERSON_YEAR * (people or DEFAULT_PEOPLE)


def period_of(today: dt.date, last_invoiced: tuple[dt.date, dt.date] | None) -> tuple:
    """The billing period `today` falls in (see the module, step 1)."""
    if last_invoiced is None:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    first, last = last_invoiced
    months = whole_months(first, last)
    start = last + DAY
    while True:
        end = add_months(start, months) - DAY if months else start + (last - first)
        if end >= today:  # invoices may be late: then the period after the next one
            return start, end
        start = end + DAY


def whole_months(first: dt.date, last: dt.date) -> int:
    """How many calendar months `first` … `last` spans when it is whole months, else 0."""
    if first.day != 1 or (last + DAY).day != 1:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after `day`'s month (`day` is a first of a month)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def measured_until(inputs: Inputs) -> dt.date | None:
    reach: dict[int, dt.date] = {}
    for interval in inputs.intervals:
        if interval.until > reach.get(interval.meter, dt.date.min):
            reach[interval.meter] = interval.until
    if not reach:
        return None
    installed = [reach[meter] for meter in inputs.installed_meters if meter in reach]
    day = min(installed) if installed else max(reach.values())
    return min(day, inputs.period_end, inputs.today)


def daily_consumption(inputs: Inputs, until: dt.date | None) -> tuple[Decimal, str, dict]:
    """m³ per day, its basis, and month → factor (empty: flat)."""
    if until is not None:
        first = until - dt.timedelta(days=HISTORY_DAYS - 1)
        starts = [i.after + DAY for i in inputs.intervals if i.until >= first and i.after < until]
        if starts:
            covered_from = max(first, min(starts))
            days = (until - covered_from).days + 1
            if days >= MIN_HISTORY_DAYS:
                volume = sum((i.share(covered_from, until) for i in inputs.intervals), Decimal(0))
                daily = volume / days
                factors = seasonal_factors(inputs.monthly_daily, daily)
                return daily, BASIS_SEASONAL if factors else BASIS_HISTORY, factors
    return Decimal(inputs.benchmark_per_year) / DAYS_PER_YEAR, BASIS_BENCHMARK, {}


def seasonal_factors(monthly: dict[int, tuple[Decimal, int]], daily: Decimal) -> dict:
    if len(monthly) < 12 or sum(days for _, days in monthly.values()) < MIN_SEASONAL_DAYS:
        return {}
    if daily <= 0:
        return {}
    return {month: (volume / days) / daily for month, (volume, days) in monthly.items() if days}


def month_pieces(first: dt.date, last: dt.date):
    """(first, last) day ranges within one calendar month each."""
    while first <= last:
        next_month = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = min(last, next_month - DAY)
        yield first, end
        first = end + DAY


def price_on(prices: list[Price], day: dt.date) -> Price | None:
    found = None
    for price in prices:
        applies = price.valid_from <= day and (price.valid_to is None or day <= price.valid_to)
        if applies and (found is None or price.valid_from > found.valid_from):
            found = price
    return found


def price_pieces(prices: list[Price], first: dt.date, last: dt.date):
    """(first, last, price) ranges of one price each; the latest price before `first` (or the
    first known) where the tariff has none for a day."""
    cuts = {first}
    for price in prices:
        for day in (price.valid_from, price.valid_to + DAY if price.valid_to else None):
            if day is not None and first < day <= last:
                cuts.add(day)
    ordered = sorted(cuts)
    fallback = max(prices, key=lambda p: p.valid_from) if prices else None
    for index, start in enumerate(ordered):
        end = ordered[index + 1] - DAY if index + 1 < len(ordered) else last
        yield start, end, price_on(prices, start) or fallback


def project(inputs: Inputs) -> Projection:
    start, end = inputs.period_start, inputs.period_end
    reach = measured_until(inputs)
    until = reach if reach is not None and reach >= start else None
    measured = sum((i.share(start, until) for i in inputs.intervals), Decimal(0)) if until else 0
    daily, basis, factors = daily_consumption(inputs, reach)
    rest_from = (until + DAY) if until else start

    # Volume per price range: measured intervals shared out, then the projected rest.
    by_price: dict[tuple, Decimal] = defaultdict(Decimal)
    ranges: dict[tuple, list[dt.date]] = {}
    for first, last, price in price_pieces(inputs.prices, start, end):
        rate = price.vat_rate if price and price.vat_rate is not None else water_vat_rate_on(first)
        key = (price.per_m3 if price else ZERO, rate, price.valid_from if price else None)
        seen = ranges.setdefault(key, [first, last])
        seen[0], seen[1] = min(seen[0], first), max(seen[1], last)
        if until is not None and first <= until:
            for interval in inputs.intervals:
                by_price[key] += interval.share(first, min(last, until))
        for piece_first, piece_last in month_pieces(max(first, rest_from), last):
            days = (piece_last - piece_first).days + 1
            by_price[key] += daily * factors.get(piece_first.month, Decimal(1)) * days

    measured_volume = round_volume(Decimal(measured))
    total_volume = round_volume(sum(by_price.values(), Decimal(0)))
    projection = Projection(
        period_start=start,
        period_end=end,
        measured_until=until,
        measured_volume=measured_volume,
        daily_volume=round_volume(daily),
        basis=basis,
        projected_volume=total_volume - measured_volume,
        total_volume=total_volume,
    )
    vat: dict[Decimal, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for key, volume in by_price.items():
        per_m3, rate, _ = key
        volume = round_volume(volume)
        base = round_money(volume * per_m3)
        first, last = ranges[key]
        projection.lines.append(PriceLine(first, last, volume, per_m3, rate, base))
        vat[rate][0] += base
    for rate, pair in vat.items():
        pair[1] = round_money(pair[0] * rate / 100)
    projection.lines.sort(key=lambda line: line.first)
    projection.vat_by_rate = {rate: (pair[0], pair[1]) for rate, pair in sorted(vat.items())}
    projection.amount_base = sum((pair[0] for pair in vat.values()), ZERO)
    projection.amount_vat = sum((pair[1] for pair in vat.values()), ZERO)
    projection.amount_total = projection.amount_base + projection.amount_vat
    projection.advances_paid = inputs.advances_paid
    projection.advances_due = inputs.advances_due
    projection.settlement = projection.amount_total - inputs.advances_paid - inputs.advances_due
    projection.advances_per_period = advances_per_period(start, end, inputs.advance_frequency)
    projection.suggested_advance = suggest(projection.amount_total, projection.advances_per_period)
    return projection


def advances_per_period(start: dt.date, end: dt.date, frequency: str) -> int:
    months = round(((end - start).days + 1) / 30.4375)
    return max(1, round(months / FREQUENCY_MONTHS.get(frequency, 1)))


def suggest(total: Decimal, count: int) -> Decimal:
    """The advance that pays `total` in `count` advances, rounded up to whole tens of koruna."""
    if total <= 0:
        return ZERO
    tens = (total / count / SUGGESTION_STEP).quantize(Decimal(1), rounding=ROUND_CEILING)
    return round_money(tens * SUGGESTION_STEP)
