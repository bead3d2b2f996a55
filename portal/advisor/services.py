"""Loading a batch of supply points' data, projecting each (`projection.project`) and storing
one AdvanceProjection per supply point; and reading the stored ones for the pages.

`recompute` works in chunks of `CHUNK` supply points with a fixed number of queries per chunk
(supply points, invoices, meters, readings, daily values by month, advances, the upsert), so a
utility of 100,000 supply points is recomputed in bounded memory. It is idempotent: running it
twice stores the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.advisor.models import AdvanceProjection
from portal.billing.models.invoices import Advance, AdvanceSchedule, Invoice, Payment
from portal.billing.models.readings import DailyConsumption, Reading
from portal.billing.models.supply_points import Meter, SupplyPoint, TariffPrice
from portal.lib import bulk, generations
from portal.lib.money import ZERO

from .projection import (
    DAY,
    HISTORY_DAYS,
    Inputs,
    Interval,
    Price,
    Projection,
    benchmark_per_year,
    period_of,
    project,
)

CHUNK = 2000
# Readings this far before the period (or the history year) let an interval straddle its start.
LOOKBACK_DAYS = HISTORY_DAYS + 400

ExtraReadings = Callable[[list[int]], dict[int, list[tuple[dt.date, Decimal]]]]


def recompute(
    supply_point_ids: Iterable[int] | None = None,
    *,
    extra_readings: ExtraReadings | None = None,
    today: dt.date | None = None,
    chunk: int = CHUNK,
    part: tuple[int, int] = (0, 1),
) -> int:
    """Project and store the given supply points (all when None); returns how many were stored.

    A supply point without history is projected at the legal benchmark for its household
    (`projection.benchmark_per_year`: per person × the number of people the customer gave on the
    consumption page, or the default size), the figure the comparison and the warnings use too.

    `extra_readings(meter_ids)` adds readings the portal knows and ZIS does not have yet
    (approved self-readings), meter → [(date, value)]. `part` (k, n) with all supply points:
    only the k-th of n runs of consecutive keys, so that n task workers can share the work."""
    today = today or timezone.localdate()
    everything = supply_point_ids is None
    if everything:
        ids = list(SupplyPoint.objects.order_by("pk").values_list("pk", flat=True))
        index, parts = part
        ids = ids[len(ids) * index // parts : len(ids) * (index + 1) // parts]
    else:
        ids = sorted(set(supply_point_ids))
    prices = tariff_prices()
    stored = 0
    for index in range(0, len(ids), chunk):
        part = ids[index : index + chunk]
        # Every supply point: a chunk is all the keys from its first to its last, so the
        # queries select a key range (an index range scan) instead of a list of 2,000 keys.
        points = Points(part, everything)
        stored += store(project_chunk(points, today, prices, extra_readings))
    return stored


def keys_in(field: str, keys: list[int], *, listed: bool = True) -> dict[str, Any]:
    """A lookup of rows whose `field` is one of `keys`, with the keys' bounds as well: given only
    a long IN list over a large table, PostgreSQL misjudges how many rows match and scans the
    whole table for every chunk; with the bounds it reads the index range. Without `listed`,
    only the bounds (the caller ignores rows of other keys in the range)."""
    if not keys:
        return {f"{field}__in": []}
    bounds = {f"{field}__gte": min(keys), f"{field}__lte": max(keys)}
    return bounds | {f"{field}__in": keys} if listed else bounds


class Points:
    """A chunk of supply points and how to select their rows: by key range when the chunk is
    every key in it, else by the list of keys."""

    def __init__(self, ids: list[int], whole_range: bool) -> None:
        self.ids = ids
        self.whole_range = whole_range

    def lookup(self, path: str) -> dict[str, Any]:
        if self.whole_range:
            return {f"{path}__gte": self.ids[0], f"{path}__lte": self.ids[-1]}
        return {f"{path}__in": self.ids}


def tariff_prices() -> dict[int, list[Price]]:
    prices: dict[int, list[Price]] = defaultdict(list)
    for row in TariffPrice.objects.order_by("tariff_id", "valid_from"):
        prices[row.tariff_id].append(
            Price(row.valid_from, row.valid_to, row.water_price + row.sewage_price, row.vat_rate)
        )
    return prices


def last_invoiced(chunk: Points, today: dt.date) -> dict[int, tuple[dt.date, dt.date]]:
    found: dict[int, tuple[dt.date, dt.date]] = {}
    rows = (
        Invoice.objects.filter(**chunk.lookup("supply_point"), period_end__lt=today)
        .order_by("supply_point_id", "period_end")
        .values_list("supply_point_id", "period_start", "period_end")
    )
    for supply_point, start, end in rows:
        found[supply_point] = (start, end)  # the newest wins (ordered by period end)
    return found


def reading_intervals(
    rows: Iterable[tuple[int, dt.date, Decimal]], skip: set[int]
) -> dict[int, list[Interval]]:
    """Meter → intervals between its consecutive readings (one value per day: the highest)."""
    by_meter: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for meter, date, value in rows:
        if meter in skip:
            continue
        seen = by_meter[meter].get(date)
        by_meter[meter][date] = value if seen is None else max(seen, value)
    intervals: dict[int, list[Interval]] = {}
    for meter, values in by_meter.items():
        days = sorted(values)
        intervals[meter] = [
            Interval(meter, before, after, max(values[after] - values[before], Decimal(0)))
            for before, after in pairwise(days)
        ]
    return intervals


def project_chunk(
    chunk: Points,
    today: dt.date,
    prices: dict[int, list[Price]],
    extra_readings: ExtraReadings | None,
) -> list[tuple[int, Decimal, Projection]]:
    # The household size is the customer's own setting (kept by portal.insights, a layer above):
    # read through the supply point's relation, in the same query, without importing it.
    points = list(
        SupplyPoint.objects.filter(**chunk.lookup("pk")).values_list(
            "pk", "tariff_id", "advance_amount", "advance_frequency", "insight_preferences__people"
        )
    )
    invoiced = last_invoiced(chunk, today)
    periods = {pk: period_of(today, invoiced.get(pk)) for pk, *_ in points}
    # Daily values are needed from the earliest period start or the history year; readings
    # from further back, so that an interval between two readings can straddle that day.
    daily_since = min(
        [start for start, _ in periods.values()] + [today - dt.timedelta(days=HISTORY_DAYS)]
    )
    since = daily_since - dt.timedelta(days=LOOKBACK_DAYS - HISTORY_DAYS)
    meters = list(
        Meter.objects.filter(**chunk.lookup("supply_point"))
        .values_list("pk", "supply_point_id", "removed_on")
        .order_by()
    )
    meter_ids = [meter for meter, _, _ in meters]

    monthly = (
        DailyConsumption.objects.filter(**keys_in("meter_id", meter_ids), day__gte=daily_since)
        .annotate(month=TruncMonth("day"))
        .values_list("meter_id", "month")
        .annotate(volume=Sum("volume"), first=Min("day"), last=Max("day"), days=Count("pk"))
        .order_by()
    )
    intervals: dict[int, list[Interval]] = defaultdict(list)
    daily_months: dict[int, list[tuple[dt.date, Decimal, int]]] = defaultdict(list)
    for meter, _month, volume, first, last, days in monthly:
        intervals[meter].append(Interval(meter, first - DAY, last, volume))
        daily_months[meter].append((first, volume, days))
    remote = set(intervals)

    rows = list(
        Reading.objects.filter(**keys_in("meter_id", meter_ids), date__gte=since)
        .values_list("meter_id", "date", "value")
        .order_by()
    )
    if extra_readings is not None:
        for meter, values in extra_readings(meter_ids).items():
            rows.extend((meter, date, value) for date, value in values)
    for meter, found in reading_intervals(rows, remote).items():
        intervals[meter].extend(found)

    by_point: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    for meter, supply_point, removed_on in meters:
        by_point[supply_point].append((meter, removed_on))

    first_start = min((start for start, _ in periods.values()), default=today)
    last_end = max((end for _, end in periods.values()), default=today)
    schedules = dict(
        AdvanceSchedule.objects.filter(**chunk.lookup("supply_point"))
        .values_list("pk", "supply_point_id")
        .order_by()
    )
    due = list(
        Advance.objects.filter(
            **keys_in("schedule_id", list(schedules)), due_on__gte=first_start, due_on__lte=last_end
        )
        .values_list("pk", "schedule_id", "due_on", "amount")
        .order_by()
    )
    paid_by_advance = dict(
        Payment.objects.filter(**keys_in("advance_id", [pk for pk, *_ in due], listed=False))
        .values_list("advance_id")
        .annotate(paid=Sum("amount"))
        .order_by()
    )
    advances: dict[int, list[tuple[dt.date, Decimal, Decimal]]] = defaultdict(list)
    for pk, schedule, due_on, amount in due:
        advances[schedules[schedule]].append((due_on, amount, paid_by_advance.get(pk) or ZERO))

    out = []
    for pk, tariff, advance_amount, frequency, people in points:
        start, end = periods[pk]
        own_meters = by_point.get(pk, [])
        paid = due = ZERO
        for due_on, amount, received in advances.get(pk, []):
            if start <= due_on <= end:
                paid += min(received, amount)
                due += max(amount - received, ZERO)
        inputs = Inputs(
            today=today,
            period_start=start,
            period_end=end,
            intervals=[i for meter, _ in own_meters for i in intervals.get(meter, [])],
            installed_meters=[meter for meter, removed in own_meters if removed is None],
            prices=prices.get(tariff, []) if tariff else [],
            monthly_daily=seasonal_history(
                [daily_months[m] for m, _ in own_meters if m in remote], today
            ),
            benchmark_per_year=benchmark_per_year(people),
            advances_paid=paid,
            advances_due=due,
            advance_amount=advance_amount,
            advance_frequency=frequency,
        )
        out.append((pk, advance_amount, project(inputs)))
    return out


def seasonal_history(
    meters: list[list[tuple[dt.date, Decimal, int]]], today: dt.date
) -> dict[int, tuple[Decimal, int]]:
    """Month → (volume, days with values) over the last year, all remote-read meters added."""
    first = today - dt.timedelta(days=HISTORY_DAYS)
    months: dict[int, list] = {}
    for rows in meters:
        for day, volume, days in rows:
            if day <= first:
                continue
            seen = months.setdefault(day.month, [Decimal(0), 0])
            seen[0] += volume
            seen[1] = max(seen[1], days)
    return {month: (volume, days) for month, (volume, days) in months.items()}


COLUMNS = (
    "supply_point_id",
    "computed_at",
    "computed_for",
    "period_start",
    "period_end",
    "measured_until",
    "measured_volume",
    "daily_volume",
    "basis",
    "projected_volume",
    "total_volume",
    "amount_base",
    "amount_vat",
    "amount_total",
    "advances_paid",
    "advances_due",
    "settlement",
    "advance_amount",
    "advances_per_period",
    "suggested_advance",
    "lines",
    "vat",
)


def as_row(pk: int, advance_amount: Decimal, p: Projection, now: dt.datetime) -> tuple:
    """The AdvanceProjection row of a projection, in the order of COLUMNS."""
    return (
        pk,
        now,
        timezone.localdate(now),
        p.period_start,
        p.period_end,
        p.measured_until,
        p.measured_volume,
        p.daily_volume,
        p.basis,
        p.projected_volume,
        p.total_volume,
        p.amount_base,
        p.amount_vat,
        p.amount_total,
        p.advances_paid,
        p.advances_due,
        p.settlement,
        advance_amount,
        p.advances_per_period,
        p.suggested_advance,
        [
            {
                "first": line.first.isoformat(),
                "last": line.last.isoformat(),
                "volume": str(line.volume),
                "per_m3": str(line.per_m3),
                "vat_rate": str(line.vat_rate.normalize()),
                "base": str(line.base),
            }
            for line in p.lines
        ],
        [
            {"rate": str(rate.normalize()), "base": str(base), "vat": str(vat)}
            for rate, (base, vat) in p.vat_by_rate.items()
        ],
    )


def store(projected: list[tuple[int, Decimal, Projection]]) -> int:
    now = timezone.now()
    rows = [as_row(pk, amount, p, now) for pk, amount, p in projected]
    bulk.upsert(AdvanceProjection, COLUMNS, rows, unique="supply_point")
    generations.bump_on_commit(generations.NEWS)
    return len(rows)


# --- Reading them ------------------------------------------------------------------------------


def customer_projections(
    user: Any, customer: Any, limit: int | None = None
) -> list[AdvanceProjection]:
    """The stored projections of the customer's supply points, by number (one query)."""
    rows = (
        AdvanceProjection.objects.for_user(user)
        .filter(supply_point__customer=customer)
        .select_related("supply_point")
        .order_by("supply_point__number")
    )
    return list(rows if limit is None else rows[:limit])


def supply_point_projection(user: Any, supply_point: Any) -> AdvanceProjection | None:
    return (
        AdvanceProjection.objects.for_user(user)
        .filter(supply_point=supply_point)
        .select_related("supply_point")
        .first()
    )
