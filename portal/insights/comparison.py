"""The household's annual consumption against the legal benchmark for its size and against
similar supply points of the same utility.

Similar = the same kind (household or not) and the same tariff (the utility's tariffs separate the
sizes of connection). The group's figures are shown only when it has at least `min_group`
(never fewer than 20) members with a known annual consumption, and they are quartiles of the whole
group: nobody's own figure can be read from them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from portal.billing.models import DailyConsumption, SupplyPoint
from portal.insights.models import AnnualConsumption, ComparisonGroup, SupplyPointPreferences
from portal.insights.rules import Thresholds, benchmark_per_year

YEAR = 365
MIN_COVERAGE_DAYS = 300  # readings must cover this much of the year to give an annual figure
THOUSANDTH = Decimal("0.001")


def group_key(is_household: bool, tariff_code: str) -> str:
    return f"{'household' if is_household else 'other'}:{tariff_code}"[:80]


def annual_from_pairs(
    pairs: list[tuple[dt.date, dt.date, Decimal]], today: dt.date, *, extrapolate: bool = True
) -> Decimal | None:
    """The consumption of the last 365 days from (start, end, m³) reading pairs, each pair
    counted for the part of it inside the year; None when they cover too little of it.
    Without `extrapolate` (the rest of the year is measured by a remote-read meter) the part
    inside the year as it is."""
    since = today - dt.timedelta(days=YEAR)
    total, covered = Decimal(0), 0
    for start, end, volume in pairs:
        inside = (min(end, today) - max(start, since)).days
        if inside <= 0:
            continue
        total += volume * inside / (end - start).days
        covered += inside
    if not extrapolate:
        return total.quantize(THOUSANDTH)
    if covered < MIN_COVERAGE_DAYS:
        return None
    return (total * YEAR / covered).quantize(THOUSANDTH)


def remote_annual(point_ids: list[int], today: dt.date) -> dict[int, Decimal]:
    """The last 365 days' daily volumes summed per supply point (one aggregate query)."""
    rows = (
        DailyConsumption.objects.filter(
            meter__supply_point_id__in=point_ids,
            meter__remote_read=True,
            day__gt=today - dt.timedelta(days=YEAR),
            day__lte=today,
        )
        .values("meter__supply_point_id")
        .annotate(total=Sum("volume"))
    )
    return {row["meter__supply_point_id"]: row["total"] for row in rows}


def store_annual(volumes: dict[int, Decimal], today: dt.date) -> None:
    """Replace the annual figures and the groups' quartiles with the computed ones."""
    points = SupplyPoint.objects.filter(pk__in=list(volumes)).values_list(
        "pk", "is_household", "tariff__code"
    )
    rows = [
        AnnualConsumption(
            supply_point_id=pk, volume=volumes[pk], group=group_key(home, code), computed_on=today
        )
        for pk, home, code in points.iterator(chunk_size=10000)
    ]
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row.volume)
    with transaction.atomic():
        AnnualConsumption.objects.all().delete()
        AnnualConsumption.objects.bulk_create(rows, batch_size=2000)
        ComparisonGroup.objects.all().delete()
        ComparisonGroup.objects.bulk_create(
            [
                ComparisonGroup(
                    key=key,
                    members=len(values),
                    lower_quartile=_quartiles(values)[0],
                    median=_quartiles(values)[1],
                    upper_quartile=_quartiles(values)[2],
                    computed_on=today,
                )
                for key, values in groups.items()
            ]
        )


def _quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, mid, high = statistics.quantiles(values, n=4)
    return tuple(Decimal(v).quantize(THOUSANDTH) for v in (low, mid, high))


@dataclass(frozen=True)
class Comparison:
    annual: Decimal | None  # m³ over the last 365 days (None: not enough data)
    people: int | None  # as the customer gave it
    benchmark: Decimal | None  # the legal benchmark for the household (None: not a household)
    group: ComparisonGroup | None  # None: the group is too small to show

    @property
    def against_benchmark(self) -> int | None:
        """The annual consumption as a percentage of the benchmark."""
        if self.annual is None or not self.benchmark:
            return None
        return round(self.annual * 100 / self.benchmark)


def get_comparison(user: Any, point: SupplyPoint) -> Comparison:
    """`point`'s comparison (the point is already scoped to `user`); two queries."""
    annual = AnnualConsumption.objects.for_user(user).filter(supply_point=point).first()
    prefs = SupplyPointPreferences.objects.filter(supply_point=point).first()
    people = prefs.people if prefs else None
    group = None
    if annual is not None:
        group = ComparisonGroup.objects.filter(
            key=annual.group, members__gte=Thresholds.current().min_group
        ).first()
    return Comparison(
        annual=annual.volume if annual else None,
        people=people,
        benchmark=benchmark_per_year(people) if point.is_household else None,
        group=group,
    )
