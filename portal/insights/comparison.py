"""The household's annual consumption against the legal benchmark for its size and against
similar supply points of the same utility.

Similar = the same kind (household or not) and the same tariff (the utility's tariffs separate the
sizes of connection) and, for households, the same size class: the number of people the customer
gave (1, 2, 3, 4, 5 or more, or "not given"). Each supply point belongs to its size-class group
and to its kind × tariff group; the page shows the first of the two that has at least `min_group`
(never fewer than 20) members with a known annual consumption. The figures are quartiles of the
whole group: nobody's own figure can be read from them.
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
from django.utils.translation import gettext, ngettext

from portal.billing.models import DailyConsumption, SupplyPoint
from portal.insights.models import AnnualConsumption, ComparisonGroup, SupplyPointPreferences
from portal.insights.rules import (
    BENCHMARK_PER_PERSON_YEAR,
    DEFAULT_PEOPLE,
    Thresholds,
    benchmark_per_year,
)
from portal.lib import bulk

YEAR = 365
MIN_COVERAGE_DAYS = 300  # readings must cover this much of the year to give an annual figure
THOUSANDTH = Decimal("0.001")


SIZE_CLASSES = ("1", "2", "3", "4", "5+")
NOT_GIVEN = "?"


def size_class(people: int | None) -> str:
    """The household's size class: "1" … "4", "5+", or `NOT_GIVEN`."""
    if not people:
        return NOT_GIVEN
    return SIZE_CLASSES[min(people, len(SIZE_CLASSES)) - 1]


def group_key(is_household: bool, tariff_code: str) -> str:
    """The kind × tariff group."""
    return f"{'household' if is_household else 'other'}:{tariff_code}"[:72]


def group_keys(is_household: bool, tariff_code: str, people: int | None) -> list[str]:
    """The groups a supply point belongs to, the most specific first: a household's size-class
    group, then the kind × tariff group."""
    general = group_key(is_household, tariff_code)
    if not is_household:
        return [general]
    return [f"{general}:{size_class(people)}", general]


def general_key(key: str) -> str:
    """The kind × tariff group of a group key (a size-class group's key ends with its class)."""
    return key.rsplit(":", 1)[0] if key.startswith("household:") else key


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
    written when they are the ones stored). A point's row keeps its most specific group; its
    volume counts in that group and in the kind × tariff group."""
    people = dict(
        SupplyPointPreferences.objects.filter(people__isnull=False)
        .values_list("supply_point_id", "people")
        .iterator(chunk_size=10000)
    )
    points = SupplyPoint.objects.values_list("pk", "is_household", "tariff__code")
    rows = [
        (pk, volumes[pk], group_keys(home, code, people.get(pk))[0], today)
        for pk, home, code in points.iterator(chunk_size=10000)
        if pk in volumes
    ]
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for _pk, volume, group, _today in rows:
        groups[group].append(volume)
        if (general := general_key(group)) != group:
            groups[general].append(volume)
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
    group: ComparisonGroup | None  # None: every group of the point is too small to show
    size_class: str | None = None  # the group's size class ("1" … "5+", "?"); None: kind × tariff
    is_household: bool = False
    per_person: Decimal = BENCHMARK_PER_PERSON_YEAR
    default_people: int = DEFAULT_PEOPLE

    @property
    def group_description(self) -> str:
        """Which supply points the shown group holds, in words."""
        if self.size_class is None:
            if self.is_household:
                return gettext("households with the same tariff")
            return gettext("supply points other than households with the same tariff")
        if self.size_class == NOT_GIVEN:
            return gettext("households that have not given their size, with the same tariff")
        if self.size_class == SIZE_CLASSES[-1]:
            return gettext("households of %(people)d or more people with the same tariff") % {
                "people": len(SIZE_CLASSES)
            }
        people = int(self.size_class)
        return ngettext(
            "households of %(people)d person with the same tariff",
            "households of %(people)d people with the same tariff",
            people,
        ) % {"people": people}

    @property
    def against_benchmark(self) -> int | None:
        """The annual consumption as a percentage of the benchmark."""
        if self.annual is None or not self.benchmark:
            return None
        return round(self.annual * 100 / self.benchmark)


def get_comparison(user: Any, point: SupplyPoint) -> Comparison:
    """`point`'s comparison (the point is already scoped to `user`): its most specific group
    with enough members (the size-class group its figure was counted in, else kind × tariff);
    three queries."""
    annual = AnnualConsumption.objects.for_user(user).filter(supply_point=point).first()
    prefs = SupplyPointPreferences.objects.filter(supply_point=point).first()
    people = prefs.people if prefs else None
    group, shown_class = None, None
    if annual is not None:
        keys = list(dict.fromkeys([annual.group, general_key(annual.group)]))
        found = {
            g.key: g
            for g in ComparisonGroup.objects.filter(
                key__in=keys, members__gte=Thresholds.current().min_group
            )
        }
        group = next((found[key] for key in keys if key in found), None)
        if group is not None and len(keys) == 2 and group.key == keys[0]:
            shown_class = group.key.rsplit(":", 1)[1]
    return Comparison(
        annual=annual.volume if annual else None,
        people=people,
        benchmark=benchmark_per_year(people) if point.is_household else None,
        group=group,
        size_class=shown_class,
        is_household=point.is_household,
    )
