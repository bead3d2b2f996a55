"""Supply points of a customer: meters with their last reading, tariff prices in force, advances.

A municipality or a housing cooperative can have hundreds of supply points: lists show one page
of them by number (a count and a page of points, then their meters and prices), so the number of
queries never grows with the customer's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.billing.models.customers import Customer
from portal.billing.models.readings import Reading
from portal.billing.models.supply_points import Meter, SupplyPoint, TariffPrice
from portal.lib.money import round_money, to_decimal
from portal.lib.query import text_param

SUPPLY_POINTS_PER_PAGE = 20
SEARCH_MAX_LENGTH = 100

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


def supply_point_views(
    user: Any, points: list[SupplyPoint], today: dt.date | None = None
) -> list[SupplyPointView]:
    """`points` with their meters, last readings and prices in force (two queries)."""
    today = today or timezone.localdate()
    meters = meters_with_last_reading(user, points)
    prices = prices_in_force(user, points, today)
    return [
        SupplyPointView(point, meters[point.pk], prices.get(point.tariff_id)) for point in points
    ]


def list_supply_points(
    user: Any, customer: Customer, today: dt.date | None = None
) -> list[SupplyPointView]:
    """Every supply point of the customer with meters, last readings and prices (three
    queries; for one page of them use `list_supply_points_page`)."""
    return supply_point_views(user, customer_supply_points(user, customer), today)


def clean_search(query: Any) -> str:
    """The search text as typed without control characters, trimmed to a sane length ("" when
    there is none)."""
    return text_param(query, SEARCH_MAX_LENGTH)


def search_supply_points(points: QuerySet[SupplyPoint], query: str) -> QuerySet[SupplyPoint]:
    """The points matching every word of `query`: a word matches the supply point number,
    street, part of municipality or municipality (any part, case-insensitively), or the house
    number, orientation number or postcode exactly."""
    for word in query.split():
        points = points.filter(
            Q(number__icontains=word)
            | Q(street__icontains=word)
            | Q(part_of_municipality__icontains=word)
            | Q(municipality__icontains=word)
            | Q(house_number=word)
            | Q(orientation_number=word)
            | Q(postcode=word)
        )
    return points


@dataclass
class SupplyPointList:
    """One page of a customer's supply points (by number), with what the list shows around it."""

    page: Page
    views: list[SupplyPointView]
    query: str = ""  # the search text, "" when the list is not searched

    @property
    def count(self) -> int:
        """How many points the list has (all pages; those matching the search when searched)."""
        return self.page.paginator.count

    @property
    def is_searchable(self) -> bool:
        """Whether the search form is worth showing: more than one page, or a search made."""
        return bool(self.query) or self.page.paginator.num_pages > 1

    @classmethod
    def of(cls, views: list[SupplyPointView]) -> SupplyPointList:
        """A one-page list of given views (the admin preview's sample data)."""
        page = Paginator(views, SUPPLY_POINTS_PER_PAGE).get_page(1)
        return cls(page, list(page.object_list))


def list_supply_points_page(
    user: Any,
    customer: Customer,
    page_number: Any = 1,
    query: Any = "",
    today: dt.date | None = None,
) -> SupplyPointList:
    """One page of the customer's supply points by number, optionally searched, with meters,
    last readings and prices (four queries whatever the number of points). A page number out
    of range shows the last page, as the invoices list does."""
    query = clean_search(query)
    points = (
        SupplyPoint.objects.for_user(user)
        .filter(customer=customer)
        .select_related("tariff")
        .order_by("number")
    )
    if query:
        points = search_supply_points(points, query)
    page = Paginator(points, SUPPLY_POINTS_PER_PAGE).get_page(page_number)
    return SupplyPointList(page, supply_point_views(user, list(page.object_list), today), query)


def first_supply_points(
    user: Any, customer: Customer, limit: int, today: dt.date | None = None
) -> tuple[list[SupplyPointView], int]:
    """The customer's first `limit` supply points by number with meters, last readings and
    prices, and how many points the customer has in all (three queries: the count is a window
    over the same rows)."""
    points = SupplyPoint.objects.for_user(user).filter(customer=customer)
    first = list(
        points.select_related("tariff")
        .annotate(all_points=Window(Count("pk")))
        .order_by("number")[:limit]
    )
    count = first[0].all_points if first else 0
    return supply_point_views(user, first, today), count


def get_supply_point_detail(
    user: Any, supply_point_pk: int, today: dt.date | None = None
) -> SupplyPointView:
    """One supply point of `user`'s customers (404 otherwise) with meters and prices."""
    today = today or timezone.localdate()
    point = get_supply_point_for_user(user, supply_point_pk)
    meters = meters_with_last_reading(user, [point])
    prices = prices_in_force(user, [point], today)
    return SupplyPointView(point, meters[point.pk], prices.get(point.tariff_id))
