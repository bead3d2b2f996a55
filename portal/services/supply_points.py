"""Supply points of a customer: meters with their last reading, tariff prices in force, advances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.lib.money import round_money, to_decimal
from portal.models.customers import Customer
from portal.models.readings import Reading
from portal.models.supply_points import Meter, SupplyPoint, TariffPrice

# Cold-water meters are verified every six years (vyhl. 345/2002 Sb., příloha, položka 1.1.1).
METER_VERIFICATION_YEARS = 6


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def reading_kind_label(kind: str, replacement: str = "") -> str:
    """ "remote reading", or for a replacement "meter replacement (final reading of …)"."""
    label = str(Reading.Kind(kind).label) if kind in Reading.Kind.values else kind
    if replacement in Reading.Replacement.values:
        label = f"{label} ({Reading.Replacement(replacement).label})"
    return label


@dataclass(frozen=True)
class LastReading:
    date: dt.date
    value: Decimal
    kind: str

    @property
    def kind_label(self) -> str:
        return reading_kind_label(self.kind)


@dataclass
class MeterView:
    meter: Meter
    last_reading: LastReading | None = None

    @property
    def is_active(self) -> bool:
        return self.meter.removed_on is None

    @property
    def next_verification(self) -> dt.date | None:
        """When the meter's six-year verification runs out (removed meters: none)."""
        if not self.is_active:
            return None
        return add_years(self.meter.installed_on, METER_VERIFICATION_YEARS)


@dataclass
class PriceView:
    """Prices per m³ in force, without and with VAT."""

    price: TariffPrice

    def _gross(self, net: Decimal) -> Decimal:
        return round_money(to_decimal(net) * (100 + to_decimal(self.price.vat_rate)) / 100)

    @property
    def water_gross(self) -> Decimal:
        return self._gross(self.price.water_price)

    @property
    def sewage_gross(self) -> Decimal:
        return self._gross(self.price.sewage_price)


@dataclass
class SupplyPointView:
    supply_point: SupplyPoint
    meters: list[MeterView]
    price: PriceView | None = None

    @property
    def active_meters(self) -> list[MeterView]:
        return [view for view in self.meters if view.is_active]


def get_supply_point_for_user(user: Any, supply_point_pk: int) -> SupplyPoint:
    """The supply point if it belongs to one of `user`'s customers; 404 otherwise."""
    points = SupplyPoint.objects.for_user(user).select_related("tariff", "customer")
    return get_object_or_404(points, pk=supply_point_pk)


def customer_supply_points(user: Any, customer: Customer) -> list[SupplyPoint]:
    """The customer's supply points by number (one query)."""
    return list(
        SupplyPoint.objects.for_user(user)
        .filter(customer=customer)
        .select_related("tariff")
        .order_by("number")
    )


def meters_with_last_reading(user: Any, points: list[SupplyPoint]) -> dict[int, list[MeterView]]:
    """Each point's meters (oldest first) with their latest reading, in one query."""
    latest = Reading.objects.filter(meter=OuterRef("pk")).order_by("-date", "-value")
    meters = (
        Meter.objects.for_user(user)
        .filter(supply_point__in=[point.pk for point in points])
        .annotate(
            last_date=Subquery(latest.values("date")[:1]),
            last_value=Subquery(latest.values("value")[:1]),
            last_kind=Subquery(latest.values("kind")[:1]),
        )
        .order_by("supply_point", "installed_on", "pk")
    )
    views: dict[int, list[MeterView]] = {point.pk: [] for point in points}
    for meter in meters:
        last = None
        if meter.last_date is not None:
            last = LastReading(meter.last_date, to_decimal(meter.last_value), meter.last_kind)
        views[meter.supply_point_id].append(MeterView(meter, last))
    return views


def prices_in_force(user: Any, points: list[SupplyPoint], today: dt.date) -> dict[int, PriceView]:
    """The price of each point's tariff valid `today`, by tariff id (one query)."""
    tariff_ids = {point.tariff_id for point in points if point.tariff_id}
    if not tariff_ids:
        return {}
    prices = (
        TariffPrice.objects.for_user(user)
        .filter(tariff__in=tariff_ids, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("tariff", "valid_from")
    )
    return {price.tariff_id: PriceView(price) for price in prices}  # the latest start wins


def list_supply_points(
    user: Any, customer: Customer, today: dt.date | None = None
) -> list[SupplyPointView]:
    """The customer's supply points with meters, last readings and prices (three queries)."""
    today = today or timezone.localdate()
    points = customer_supply_points(user, customer)
    meters = meters_with_last_reading(user, points)
    prices = prices_in_force(user, points, today)
    return [
        SupplyPointView(point, meters[point.pk], prices.get(point.tariff_id)) for point in points
    ]


def get_supply_point_detail(
    user: Any, supply_point_pk: int, today: dt.date | None = None
) -> SupplyPointView:
    """One supply point of `user`'s customers (404 otherwise) with meters and prices."""
    today = today or timezone.localdate()
    point = get_supply_point_for_user(user, supply_point_pk)
    meters = meters_with_last_reading(user, [point])
    prices = prices_in_force(user, [point], today)
    return SupplyPointView(point, meters[point.pk], prices.get(point.tariff_id))
