"""Reading history of a supply point, meter by meter, with the consumption between readings.

Consumption is the difference of two consecutive readings of the same meter; a replaced meter
is its own history (its final reading closes it, the new meter starts from its initial one), so
a replacement never produces a jump.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from portal.billing.models.readings import Reading
from portal.billing.models.supply_points import Meter, SupplyPoint
from portal.lib.money import ZERO, round_volume, to_decimal, total

from .supply_points import get_supply_point_for_user, reading_kind_label


@dataclass(frozen=True)
class ReadingRow:
    reading: Reading
    consumption: Decimal | None = None  # m³ since the previous reading of the meter
    days: int | None = None

    @property
    def kind_label(self) -> str:
        return reading_kind_label(self.reading.kind, self.reading.replacement)

    @property
    def per_day(self) -> Decimal | None:
        """Average m³ per day since the previous reading, to the litre."""
        if self.consumption is None or not self.days:
            return None
        return round_volume(self.consumption / self.days)


def reading_rows(readings: list[Reading]) -> list[ReadingRow]:
    """Rows of one meter's readings in date order, each with the consumption since the last."""
    rows, previous = [], None
    for reading in readings:
        if previous is None:
            rows.append(ReadingRow(reading))
        else:
            consumption = to_decimal(reading.value) - to_decimal(previous.value)
            rows.append(ReadingRow(reading, consumption, (reading.date - previous.date).days))
        previous = reading
    return rows


@dataclass
class MeterHistory:
    meter: Meter
    rows: list[ReadingRow]  # in date order

    @property
    def newest_first(self) -> list[ReadingRow]:
        return self.rows[::-1]

    @property
    def total_consumption(self) -> Decimal:
        return total(row.consumption for row in self.rows)

    @property
    def first_date(self) -> dt.date | None:
        return self.rows[0].reading.date if self.rows else None

    @property
    def last_date(self) -> dt.date | None:
        return self.rows[-1].reading.date if self.rows else None

    @property
    def replaced(self) -> bool:
        return any(row.reading.replacement == Reading.Replacement.FINAL for row in self.rows)


def meter_histories(user: Any, point: SupplyPoint) -> list[MeterHistory]:
    """Every meter of the point (oldest first) with its readings (two queries)."""
    meters = list(Meter.objects.for_user(user).filter(supply_point=point).order_by("installed_on"))
    readings = Reading.objects.for_user(user).filter(meter__in=[meter.pk for meter in meters])
    by_meter: dict[int, list[Reading]] = {meter.pk: [] for meter in meters}
    for reading in readings.order_by("meter", "date", "value"):
        by_meter[reading.meter_id].append(reading)
    return [MeterHistory(meter, reading_rows(by_meter[meter.pk])) for meter in meters]


@dataclass
class SupplyPointReadings:
    supply_point: SupplyPoint
    meters: list[MeterHistory]

    @property
    def total_consumption(self) -> Decimal:
        return total(history.total_consumption for history in self.meters) or ZERO


def get_supply_point_readings(user: Any, supply_point_pk: int) -> SupplyPointReadings:
    """The readings of one of `user`'s supply points (404 for anyone else's; three queries)."""
    point = get_supply_point_for_user(user, supply_point_pk)
    return SupplyPointReadings(point, meter_histories(user, point))
