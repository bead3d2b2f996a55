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

from django.db import connection, transaction
from django.db.models import Sum

from portal.billing.models import DailyConsumption, SupplyPoint
from portal.insights.models import AnnualConsumption, ComparisonGroup, SupplyPointPreferences
from portal.insights.rules import Thresholds, benchmark_per_year
from portal.lib import bulk

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
    The pairs of all the supply point's meters add up; the coverage is the days any of them
    measured (two meters side by side cover the year once, a replaced meter and its successor
    cover their parts). Without `extrapolate` (the rest of the year is measured by a
    remote-read meter) the part inside the year as it is."""
    since = today - dt.timedelta(days=YEAR)
    total, spans = Decimal(0), []
    for start, end, volume in pairs:
        first, last = max(start, since), min(end, today)
        inside = (last - first).days
        if inside <= 0:
            continue
        total += volume * inside / (end - start).days
        spans.append((first, last))
    if not extrapolate:
        return total.quantize(THOUSANDTH)
    covered = covered_days(spans)
    if covered < MIN_COVERAGE_DAYS:
        return None
    return (total * YEAR / covered).quantize(THOUSANDTH)


def covered_days(spans: list[tuple[dt.date, dt.date]]) -> int:
    """Days in the union of (first, last] spans."""
    covered, reached = 0, dt.date.min
    for first, last in sorted(spans):
        if last <= reached:
            continue
        covered += (last - max(first, reached)).days
        reached = last
    return covered


def remote_annual(today: dt.date) -> dict[int, Decimal]:
    """The last 365 days' daily volumes summed per supply point (one aggregate query)."""
    rows = (
        DailyConsumption.objects.filter(
            meter__remote_read=True,
            day__gt=today - dt.timedelta(days=YEAR),
            day__lte=today,
        )
        .values("meter__supply_point_id")
        .annotate(total=Sum("volume"))
        .values_list("meter__supply_point_id", "total")
    )
    return dict(rows.iterator(chunk_size=10000))


def store_annual(volumes: dict[int, Decimal], today: dt.date) -> None:
    """Replace the annual figures and the groups' quartiles with the computed ones (nothing is
    written when they are the ones stored)."""
    points = SupplyPoint.objects.values_list("pk", "is_household", "tariff__code")
    rows = [
        (pk, volumes[pk], group_key(home, code), today)
        for pk, home, code in points.iterator(chunk_size=10000)
        if pk in volumes
    ]
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for _pk, volume, group, _today in rows:
        groups[group].append(volume)
    figures = [
        (key, len(values), *_quartiles(values), today) for key, values in sorted(groups.items())
    ]
    if _stored(rows, figures):
        return
    with transaction.atomic():
        _delete_all(AnnualConsumption)
        bulk.insert(AnnualConsumption, ["supply_point_id", "volume", "group", "computed_on"], rows)
        _delete_all(ComparisonGroup)
        bulk.insert(
            ComparisonGroup,
            ["key", "members", "lower_quartile", "median", "upper_quartile", "computed_on"],
            figures,
        )


def _stored(rows: list[tuple[Any, ...]], figures: list[tuple[Any, ...]]) -> bool:
    """Whether exactly these annual figures and group figures are stored already."""
    stored_figures = ComparisonGroup.objects.values_list(
        "key", "members", "lower_quartile", "median", "upper_quartile", "computed_on"
    )
    if sorted(stored_figures) != figures:
        return False
    stored = AnnualConsumption.objects.values_list(
        "supply_point_id", "volume", "group", "computed_on"
    )
    return sorted(stored.iterator(chunk_size=10000)) == sorted(rows)


def _delete_all(model: type[Any]) -> None:
    """Empty the table in one statement. `QuerySet.delete` would fetch every row first, because
    some receivers of `post_delete` listen to every model; none of them is about these figures
    (they watch pages, sites, settings, images, documents, warnings and projections)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


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
