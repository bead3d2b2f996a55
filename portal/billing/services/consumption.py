"""Consumption of a supply point by years, months or days, for the chart and its data table.

Two sources, kept apart so the chart can say which is which:

- *measured*: the daily volumes of remote-read meters (summed by the database);
- *average*: for the other meters, each interval between two consecutive readings of the same
  meter spread evenly over its days (the average per day between readings).

Months and days are compared with the same months or days a year earlier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.http import Http404
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from portal.billing.models.customers import Customer
from portal.billing.models.readings import DailyConsumption, Reading
from portal.billing.models.supply_points import Meter, SupplyPoint
from portal.lib.money import ZERO, round_volume, to_decimal
from portal.lib.query import any_ignored, id_param, int_param, year_param

from .supply_points import customer_supply_points

PERIODS = ("years", "months", "days")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ChartQuery:
    supply_point: int | None = None
    period: str = "months"
    year: int | None = None
    month: int | None = None
    ignored: bool = field(default=False, compare=False)  # a value was given but not understood

    @classmethod
    def from_query(cls, query: Any) -> ChartQuery:
        """The chart's GET parameters; values out of range are ignored, and `ignored` says so."""
        period = query.get("period", "months")
        parsed = {
            "supply_point": id_param(query.get("supply_point")),
            "period": period if period in PERIODS else "",
            "year": year_param(query.get("year")),
            "month": int_param(query.get("month"), 1, 12),
        }
        ignored = any_ignored(query, parsed)
        return cls(**{**parsed, "period": parsed["period"] or "months"}, ignored=ignored)


@dataclass(frozen=True)
class Interval:
    """The consumption between two readings of a manual meter: [start, end), `volume` m³."""

    start: dt.date
    end: dt.date
    volume: Decimal

    def share(self, start: dt.date, end: dt.date) -> Decimal:
        """The part of the volume falling into [start, end), by days."""
        days = (min(self.end, end) - max(self.start, start)).days
        if days <= 0:
            return ZERO
        return self.volume * days / (self.end - self.start).days


def intervals(readings: list[tuple[int, dt.date, Decimal]]) -> list[Interval]:
    """Intervals between consecutive readings of each meter; `readings` sorted by meter, date."""
    found, previous = [], None
    for meter_id, day, value in readings:
        if previous and previous[0] == meter_id and day > previous[1]:
            found.append(Interval(previous[1], day, to_decimal(value) - to_decimal(previous[2])))
        previous = (meter_id, day, value)
    return found


@dataclass
class Bucket:
    label: str
    start: dt.date
    end: dt.date  # exclusive
    measured: Decimal = ZERO
    average: Decimal = ZERO
    previous: Decimal | None = None
    # False for a period before the first or after the last day with data (e.g. the months of
    # this year still to come): shown as "no data", never as zero.
    has_data: bool = True

    @property
    def total(self) -> Decimal:
        return self.measured + self.average


@dataclass
class ConsumptionChart:
    supply_point: SupplyPoint | None
    supply_points: list[SupplyPoint]
    period: str = "months"
    year: int | None = None
    month: int | None = None
    years: list[int] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    has_measured: bool = False
    has_average: bool = False

    @property
    def has_previous(self) -> bool:
        return self.period != "years" and bool(self.buckets)

    @property
    def is_empty(self) -> bool:
        return not any(bucket.total or bucket.previous for bucket in self.buckets)

    @property
    def month_name(self) -> str:
        return str(MONTHS[self.month]) if self.month else ""

    @property
    def month_choices(self) -> list[tuple[int, str]]:
        return [(number, str(name)) for number, name in MONTHS.items()]

    @property
    def title(self) -> str:
        number = self.supply_point.number if self.supply_point else ""
        if self.period == "years":
            return _("Consumption of supply point %(number)s by year") % {"number": number}
        if self.period == "months":
            return _("Consumption of supply point %(number)s by month, %(year)s") % {
                "number": number,
                "year": self.year,
            }
        return _("Consumption of supply point %(number)s by day, %(month)s %(year)s") % {
            "number": number,
            "month": self.month_name,
            "year": self.year,
        }

    def params(self, customer: Customer | None = None) -> dict[str, Any]:
        """The GET parameters that show this chart again (and fetch its data)."""
        params = {
            "customer": customer.number if customer else None,
            "supply_point": self.supply_point.pk if self.supply_point else None,
            "period": self.period,
            "year": self.year if self.period != "years" else None,
            "month": self.month if self.period == "days" else None,
        }
        return {key: value for key, value in params.items() if value is not None}

    def datasets(self) -> list[dict[str, Any]]:
        """The chart's series: measured and/or averaged bars, and the previous year's line."""
        series = []
        if self.has_measured:
            label = _("Measured daily by remote reading (m³)")
            series.append(
                ("measured", label, [b.measured if b.has_data else None for b in self.buckets])
            )
        if self.has_average:
            label = _("Average per day between readings (m³)")
            series.append(
                ("average", label, [b.average if b.has_data else None for b in self.buckets])
            )
        if self.has_previous and (self.has_measured or self.has_average):
            label = _("A year earlier (m³)")
            series.append(("previous", label, [b.previous for b in self.buckets]))
        return [
            {"key": key, "label": label, "data": [_number(value) for value in values]}
            for key, label, values in series
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "supply_point": self.supply_point.pk if self.supply_point else None,
            "period": self.period,
            "year": self.year,
            "month": self.month,
            "title": self.title,
            "unit": "m³",
            "labels": [bucket.label for bucket in self.buckets],
            "datasets": self.datasets(),
        }


def _number(value: Decimal | None) -> float | None:
    """A chart value (display only; the page's table shows the exact Decimal)."""
    return None if value is None else float(round_volume(value))


def get_consumption_chart(user: Any, customer: Customer, query: ChartQuery) -> ConsumptionChart:
    """The chart of one of the customer's supply points (404 for a point not theirs)."""
    points = customer_supply_points(user, customer)
    point = _chosen_point(points, query.supply_point)
    chart = ConsumptionChart(point, points, period=query.period)
    if point is None:
        return chart
    # The meters are looked up scoped to the user; their readings and daily values are then
    # read by meter id alone (no join back to the customer links for every row).
    meters = list(Meter.objects.for_user(user).filter(supply_point=point))
    remote = [meter.pk for meter in meters if meter.remote_read]
    manual = {meter.pk for meter in meters if not meter.remote_read}
    readings = list(
        Reading.objects.filter(meter__in=[meter.pk for meter in meters])
        .order_by("meter", "date", "value")
        .values_list("meter", "date", "value")
    )
    first, last = _extent(readings, remote)
    if first is None or last is None:
        return chart
    chart.years = list(range(last.year, first.year - 1, -1))
    chart.year = query.year if query.year in chart.years else last.year
    chart.month = query.month or (last.month if chart.year == last.year else 12)
    chart.buckets = _buckets(chart, first, last)
    for bucket in chart.buckets:
        bucket.has_data = bucket.start <= last and bucket.end > first
    _fill(chart, remote, intervals([r for r in readings if r[0] in manual]))
    _choose_series(chart, bool(remote), bool(manual))
    return chart


def _choose_series(chart: ConsumptionChart, remote: bool, manual: bool) -> None:
    """Show a source only when it has data in the period (but always one of them)."""
    measured = remote and any(bucket.measured for bucket in chart.buckets)
    average = manual and any(bucket.average for bucket in chart.buckets)
    chart.has_measured = measured or (remote and not average)
    chart.has_average = average or (manual and not chart.has_measured)


def _chosen_point(points: list[SupplyPoint], requested: int | None) -> SupplyPoint | None:
    if requested is None:
        return points[0] if points else None
    for point in points:
        if point.pk == requested:
            return point
    raise Http404("Not one of the customer's supply points")


def _extent(
    readings: list[tuple[int, dt.date, Decimal]], remote: list[int]
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day with data: readings, and the daily values of remote meters."""
    days = [day for _meter, day, _value in readings]
    if remote:
        daily = DailyConsumption.objects.filter(meter__in=remote)  # the user's meters (above)
        span = daily.aggregate(first=Min("day"), last=Max("day"))
        days += [day for day in span.values() if day is not None]
    return (min(days), max(days)) if days else (None, None)


def _buckets(chart: ConsumptionChart, first: dt.date, last: dt.date) -> list[Bucket]:
    year = chart.year
    if chart.period == "years":
        return [
            Bucket(str(y), dt.date(y, 1, 1), dt.date(y + 1, 1, 1))
            for y in range(first.year, last.year + 1)
        ]
    if chart.period == "months":
        return [
            Bucket(str(MONTHS[m]), dt.date(year, m, 1), _month_after(dt.date(year, m, 1)))
            for m in range(1, 13)
        ]
    start = dt.date(year, chart.month, 1)
    days = (_month_after(start) - start).days
    return [
        Bucket(f"{d}.", start + dt.timedelta(days=d - 1), start + dt.timedelta(days=d))
        for d in range(1, days + 1)
    ]


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _year_before(day: dt.date) -> dt.date | None:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February has no day a year before
        return None


def _fill(chart: ConsumptionChart, remote: list[int], spans: list[Interval]) -> None:
    """Put the measured and averaged volumes (and a year earlier's totals) into the buckets."""
    earlier = [_year_before(bucket.start) for bucket in chart.buckets]
    measured = _measured(chart, remote, [d for d in earlier if d])
    for bucket, before in zip(chart.buckets, earlier, strict=True):
        bucket.measured = round_volume(measured.get(bucket.start, ZERO))
        bucket.average = round_volume(sum((s.share(bucket.start, bucket.end) for s in spans), ZERO))
        if chart.period != "years" and before is not None:
            end = _year_before(bucket.end) or dt.date(bucket.end.year - 1, 3, 1)
            averaged = sum((s.share(before, end) for s in spans), ZERO)
            bucket.previous = round_volume(measured.get(before, ZERO) + averaged)


def _measured(
    chart: ConsumptionChart, remote: list[int], earlier: list[dt.date]
) -> dict[dt.date, Decimal]:
    """Σ daily volumes of the remote meters per bucket start (one query)."""
    if not remote or not chart.buckets:
        return {}
    daily = DailyConsumption.objects.filter(meter__in=remote).order_by()  # the user's meters
    start, end = chart.buckets[0].start, chart.buckets[-1].end
    if chart.period == "years":
        rows = daily.annotate(bucket=TruncYear("day"))
    elif chart.period == "months":
        rows = daily.filter(day__gte=dt.date(start.year - 1, 1, 1), day__lt=end)
        rows = rows.annotate(bucket=TruncMonth("day"))
    else:
        return _daily_by_day(daily, start, end, earlier)
    return {
        _as_date(row["bucket"]): to_decimal(row["total"])
        for row in rows.values("bucket").annotate(total=Sum("volume"))
    }


def _daily_by_day(daily: Any, start: dt.date, end: dt.date, earlier: list[dt.date]) -> dict:
    """Days view: Σ per day of the month shown and of the same month a year earlier."""
    condition = Q(day__gte=start, day__lt=end)
    if earlier:
        condition |= Q(day__gte=min(earlier), day__lte=max(earlier))
    rows = daily.filter(condition).values("day").annotate(total=Sum("volume"))
    return {row["day"]: to_decimal(row["total"]) for row in rows}


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
