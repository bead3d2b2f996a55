"""Is a self-reading plausible? The rules of DOMAIN.md "Readings and consumption".

- The value must not be lower than the meter's last approved reading (a replaced meter is a
  different meter with its own readings, so a replacement never makes a lower value "lower").
- The implied daily consumption since that reading should lie within a band around what the
  supply point usually consumes: its average daily consumption from the reading history of all
  its meters; without history, the legal benchmark (směrná čísla, vyhláška 428/2001 Sb.,
  příloha 12: 35 m³ per person and year for a household with a bath and a flush toilet, set in
  `PortalSettings.benchmark_m3_per_year`). A value outside the band is not refused: the customer
  confirms it and the operator sees the request flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.billing.models.readings import Reading
from portal.billing.models.supply_points import Meter
from portal.lib.formatting import format_date, format_volume
from portal.lib.money import round_volume
from portal.requests.models import RequestStatus, SelfReadingRequest
from portal.requests.rules import PortalSettings

# The benchmark if no setting is saved: 35 m³ per person and year (vyhl. 428/2001, příl. 12).
BENCHMARK_M3_PER_YEAR = Decimal("35")
DAYS_PER_YEAR = Decimal("365")
MIN_HISTORY_DAYS = 30  # less history than this says nothing about the usual consumption
APPROVED_STATUSES = (RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.CONFIRMED)


@dataclass(frozen=True)
class LastReading:
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Plausibility:
    previous: LastReading | None
    daily: Decimal | None  # expected m³ per day
    from_history: bool  # False: the benchmark was used
    expected_min: Decimal | None = None
    expected_max: Decimal | None = None

    def is_plausible(self, value: Decimal) -> bool:
        if self.expected_min is None or self.expected_max is None:
            return True
        return self.expected_min <= value <= self.expected_max

    def reason(self, value: Decimal) -> str:
        """Why `value` is unusual, for the customer's warning and the operator's flag."""
        if self.is_plausible(value) or self.previous is None:
            return ""
        consumption = value - self.previous.value
        basis = (
            _("the usual consumption of this supply point")
            if self.from_history
            else _("the benchmark consumption of a household")
        )
        direction = _("much lower") if value < (self.expected_min or value) else _("much higher")
        return _(
            "The consumption of %(consumption)s since the last reading on %(date)s is "
            "%(direction)s than %(basis)s (we expected %(low)s to %(high)s on the meter)."
        ) % {
            "consumption": format_volume(consumption),
            "date": format_date(self.previous.date),
            "direction": direction,
            "basis": basis,
            "low": format_volume(self.expected_min),
            "high": format_volume(self.expected_max),
        }


def last_approved_reading(meter: Meter) -> LastReading | None:
    """The newest reading of `meter` from ZIS or approved in the portal (two queries)."""
    candidates = []
    reading = Reading.objects.filter(meter=meter).order_by("-date", "-value").first()
    if reading is not None:
        candidates.append(LastReading(reading.date, reading.value))
    approved = (
        SelfReadingRequest.objects.filter(meter=meter, status__in=APPROVED_STATUSES)
        .order_by("-date", "-value")
        .first()
    )
    if approved is not None:
        candidates.append(LastReading(approved.date, approved.value))
    return max(candidates, key=lambda last: (last.date, last.value), default=None)


def average_daily_consumption(meter: Meter) -> Decimal | None:
    """m³ per day over the reading history of every meter of `meter`'s supply point (one query),
    or None with less than `MIN_HISTORY_DAYS` of history."""
    rows = (
        Reading.objects.filter(meter__supply_point_id=meter.supply_point_id)
        .order_by("meter_id", "date", "value")
        .values_list("meter_id", "date", "value")
    )
    volume, days, previous = Decimal(0), 0, None
    for meter_id, date, value in rows:
        if previous is not None and previous[0] == meter_id and date > previous[1]:
            volume += max(value - previous[2], Decimal(0))
            days += (date - previous[1]).days
        previous = (meter_id, date, value)
    if days < MIN_HISTORY_DAYS:
        return None
    return volume / days


def benchmark_daily(settings: PortalSettings) -> Decimal:
    per_year = settings.benchmark_m3_per_year or BENCHMARK_M3_PER_YEAR
    return Decimal(per_year) / DAYS_PER_YEAR


def assess(meter: Meter, day: dt.date, settings: PortalSettings) -> Plausibility:
    """The expected range of the meter on `day` (about three queries)."""
    previous = last_approved_reading(meter)
    daily = average_daily_consumption(meter)
    from_history = daily is not None
    if daily is None:
        daily = benchmark_daily(settings)
    if previous is None:
        return Plausibility(None, daily, from_history)
    days = max((day - previous.date).days, 1)
    low = round_volume(previous.value + daily * days * Decimal(settings.plausibility_low_factor))
    high = round_volume(previous.value + daily * days * Decimal(settings.plausibility_high_factor))
    return Plausibility(previous, daily, from_history, low, high)
