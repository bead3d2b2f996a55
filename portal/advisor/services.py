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
from portal.billing.models.invoices import Advance, Invoice
from portal.billing.models.readings import DailyConsumption, Reading
from portal.billing.models.supply_points import Meter, SupplyPoint, TariffPrice
from portal.lib import generations
from portal.lib.money import ZERO

from .projection import DAY, HISTORY_DAYS, Inputs, Interval, Price, Projection, period_of, project

CHUNK = 2000
# Readings this far before the period (or the history year) let an interval straddle its start.
LOOKBACK_DAYS = HISTORY_DAYS + 400

ExtraReadings = Callable[[list[int]], dict[int, list[tuple[dt.date, Decimal]]]]


def recompute(
    supply_point_ids: Iterable[int] | None = None,
    *,
    benchmark_per_year: Decimal,
    extra_readings: ExtraReadings | None = None,
    today: dt.date | None = None,
    chunk: int = CHUNK,
) -> int:
    """Project and store the given supply points (all when None); returns how many were stored.

    `extra_readings(meter_ids)` adds readings the portal knows and ZIS does not have yet
    (approved self-readings), meter → [(date, value)]."""
    today = today or timezone.localdate()
    if supply_point_ids is None:
        ids = list(SupplyPoint.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(supply_point_ids))
    prices = tariff_prices()
    stored = 0
    for index in range(0, len(ids), chunk):
        part = ids[index : index + chunk]
        stored += store(project_chunk(part, today, benchmark_per_year, prices, extra_readings))
    return stored


def tariff_prices() -> dict[int, list[Price]]:
    prices: dict[int, list[Price]] = defaultdict(list)
    for row in TariffPrice.objects.order_by("tariff_id", "valid_from"):
        prices[row.tariff_id].append(
            Price(row.valid_from, row.valid_to, row.water_price + row.sewage_price, row.vat_rate)
        )
    return prices


def last_invoiced(ids: list[int], today: dt.date) -> dict[int, tuple[dt.date, dt.date]]:
    found: dict[int, tuple[dt.date, dt.date]] = {}
    rows = (
        Invoice.objects.filter(supply_point_id__in=ids, period_end__lt=today)
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
    ids: list[int],
    today: dt.date,
    benchmark: Decimal,
    prices: dict[int, list[Price]],
    extra_readings: ExtraReadings | None,
) -> list[tuple[int, Decimal, Projection]]:
    points = list(
        SupplyPoint.objects.filter(pk__in=ids).values_list(
            "pk", "tariff_id", "advance_amount", "advance_frequency"
        )
    )
    invoiced = last_invoiced(ids, today)
    periods = {pk: period_of(today, invoiced.get(pk)) for pk, *_ in points}
    # Daily values are needed from the earliest period start or the history year; readings
    # from further back, so that an interval between two readings can straddle that day.
    daily_since = min(
        [start for start, _ in periods.values()] + [today - dt.timedelta(days=HISTORY_DAYS)]
    )
    since = daily_since - dt.timedelta(days=LOOKBACK_DAYS - HISTORY_DAYS)
    meters = list(
        Meter.objects.filter(supply_point_id__in=ids).values_list(
            "pk", "supply_point_id", "removed_on"
        )
    )
    meter_ids = [meter for meter, _, _ in meters]

    monthly = (
        DailyConsumption.objects.filter(meter_id__in=meter_ids, day__gte=daily_since)
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
        Reading.objects.filter(meter_id__in=meter_ids, date__gte=since).values_list(
            "meter_id", "date", "value"
        )
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
    advances: dict[int, list[tuple[dt.date, Decimal, Decimal]]] = defaultdict(list)
    for _pk, supply_point, due_on, amount, paid in (
        Advance.objects.filter(
            schedule__supply_point_id__in=ids, due_on__gte=first_start, due_on__lte=last_end
        )
        .values_list("pk", "schedule__supply_point_id", "due_on", "amount")
        .annotate(paid=Sum("payments__amount"))
        .order_by()
    ):
        advances[supply_point].append((due_on, amount, paid or ZERO))

    out = []
    for pk, tariff, advance_amount, frequency in points:
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
            benchmark_per_year=benchmark,
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


def as_row(pk: int, advance_amount: Decimal, p: Projection, now: dt.datetime) -> AdvanceProjection:
    return AdvanceProjection(
        supply_point_id=pk,
        computed_at=now,
        computed_for=timezone.localdate(now),
        period_start=p.period_start,
        period_end=p.period_end,
        measured_until=p.measured_until,
        measured_volume=p.measured_volume,
        daily_volume=p.daily_volume,
        basis=p.basis,
        projected_volume=p.projected_volume,
        total_volume=p.total_volume,
        amount_base=p.amount_base,
        amount_vat=p.amount_vat,
        amount_total=p.amount_total,
        advances_paid=p.advances_paid,
        advances_due=p.advances_due,
        settlement=p.settlement,
        advance_amount=advance_amount,
        advances_per_period=p.advances_per_period,
        suggested_advance=p.suggested_advance,
        lines=[
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
        vat=[
            {"rate": str(rate.normalize()), "base": str(base), "vat": str(vat)}
            for rate, (base, vat) in p.vat_by_rate.items()
        ],
    )


UPDATED_FIELDS = [
    f.name for f in AdvanceProjection._meta.concrete_fields if f.name not in ("id", "supply_point")
]


def store(projected: list[tuple[int, Decimal, Projection]]) -> int:
    now = timezone.now()
    rows = [as_row(pk, amount, p, now) for pk, amount, p in projected]
    AdvanceProjection.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["supply_point"],
        update_fields=UPDATED_FIELDS,
    )
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
