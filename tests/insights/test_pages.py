"""What the customer sees: the warning on the dashboard, the supply point's consumption page with
its settings, and the comparison that never shows a group smaller than 20."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import models as m
from portal.insights import comparison
from portal.insights.models import AnnualConsumption, ComparisonGroup, ConsumptionWarning
from tests.factories.accounts import client_for
from tests.portal_pages.conftest import czech, html
from tests.support.pages import sub

pytestmark = pytest.mark.django_db
SERIALS = itertools.count()


@pytest.fixture
def point(customer_record):
    return m.SupplyPoint.objects.filter(customer=customer_record).order_by("number").first()


def open_leak(point) -> ConsumptionWarning:
    return ConsumptionWarning.objects.create(
        supply_point=point,
        rule=ConsumptionWarning.Rule.CONTINUOUS_FLOW,
        opened_on=dt.date(2026, 11, 30),
        last_day=dt.date(2026, 11, 30),
        volume=Decimal("0.6"),
        reference=Decimal("0.5"),
        days=7,
    )


def test_the_dashboard_shows_an_open_warning(portal, customer, point):
    assert "Upozornění na spotřebu" not in html(client_for(customer).get(portal.home.url))
    open_leak(point)
    page = html(client_for(customer).get(portal.home.url))
    assert "Upozornění na spotřebu" in page
    assert "Voda protékala každý den 7 dní po sobě" in page
    assert point.number in page


def test_the_warnings_widget_costs_one_query(portal, customer, point, monkeypatch):
    open_leak(point)
    client = client_for(customer)
    client.get(portal.home.url)  # warm the caches (the site frame is cached on the second view)
    client.get(portal.home.url)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(portal.home.url).status_code == 200
        return len(queries)

    with_widget = measure()
    monkeypatch.setattr("portal.pages.dashboard.open_warnings", lambda user, customer: [])
    assert with_widget - measure() <= 1


def test_another_customers_warning_is_not_shown(portal, other_customer, point):
    open_leak(point)
    assert "Upozornění na spotřebu" not in html(client_for(other_customer).get(portal.home.url))


def test_the_customer_sets_a_limit_people_and_an_away_period(portal, customer, point):
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    client = client_for(customer)
    response = client.post(url, {"action": "preferences", "daily_limit": "0,8", "people": "3"})
    assert response.status_code == 302
    prefs = m.SupplyPointPreferences.objects.get(supply_point=point)
    assert (prefs.daily_limit, prefs.people) == (Decimal("0.8"), 3)
    page = html(client.get(url))
    assert 'value="0,8"' in page

    bad = html(client.post(url, {"action": "preferences", "daily_limit": "hodně"}))
    assert "Zadejte limit v m³, např. 0,5." in bad

    backwards = {"action": "away", "start": "2026-12-20", "end": "2026-12-10"}
    assert "Poslední den nemůže být před prvním." in html(client.post(url, backwards))
    away = {"action": "away", "start": "2026-12-10", "end": "2026-12-20"}
    assert client.post(url, away).status_code == 302
    assert client.post(url, away).status_code == 302  # sent twice: stored once
    (period,) = m.AwayPeriod.objects.filter(supply_point=point)
    assert czech("10. 12. 2026") in html(client.get(url))
    client.post(url, {"action": "delete_away", "period": period.pk})
    assert not m.AwayPeriod.objects.filter(supply_point=point).exists()


def test_nobody_else_opens_the_consumption_page(portal, other_customer, point):
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    assert client_for(other_customer).get(url).status_code == 404
    response = client_for(other_customer).post(url, {"action": "preferences", "people": "2"})
    assert response.status_code == 404
    assert not m.SupplyPointPreferences.objects.exists()


def similar_points(point, count: int) -> None:
    """`count` supply points like `point` (the same kind and tariff) with an annual figure."""
    from tests.factories.billing import SupplyPointFactory

    volumes = {point.pk: Decimal("90")}
    for index in range(count - 1):
        serial = next(SERIALS)
        other = SupplyPointFactory(
            number=f"SIM-{serial}",
            zis_id=f"SIM-{serial}",
            is_household=point.is_household,
            tariff=point.tariff,
        )
        volumes[other.pk] = Decimal(40 + index)
    comparison.store_annual(volumes, dt.date(2026, 11, 30))


def test_the_comparison_needs_at_least_20_similar_points(portal, customer, point):
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    similar_points(point, 19)
    page = html(client_for(customer).get(url))
    assert czech("90,000 m³") in page or czech("90 m³") in page
    assert "Podobných odběrných míst je příliš málo" in page
    assert ComparisonGroup.objects.get().members == 19

    similar_points(point, 20)
    page = html(client_for(customer).get(url))
    assert "Podobných odběrných míst je příliš málo" not in page
    assert "20 odběrných míst stejného druhu a sazby" in page
    # Only the group's quartiles: no other member's own figure is on the page.
    others = AnnualConsumption.objects.exclude(supply_point=point).values_list("volume", flat=True)
    group = ComparisonGroup.objects.get()
    shown = {group.lower_quartile, group.median, group.upper_quartile}
    for volume in others:
        if volume not in shown:
            assert czech(f"{volume:.3f}".replace(".", ",") + " m³") not in page


def test_the_legal_benchmark_follows_the_household_size(portal, customer, point):
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    comparison.store_annual({point.pk: Decimal("54")}, dt.date(2026, 11, 30))
    client = client_for(customer)
    assert "75 %" in html(client.get(url)).replace("\u00a0", " ")  # 2 people assumed: 72 m³
    client.post(url, {"action": "preferences", "people": "1"})
    assert "150 %" in html(client.get(url)).replace("\u00a0", " ")


YEAR_END = dt.date(2026, 11, 30)


def test_two_meters_side_by_side_add_up_to_the_points_annual_figure():
    start = YEAR_END - dt.timedelta(days=365)
    garden = [(start, YEAR_END, Decimal("20"))]
    house = [
        (start, start + dt.timedelta(days=180), Decimal("30")),
        (start + dt.timedelta(days=180), YEAR_END, Decimal("31")),
    ]
    assert comparison.annual_from_pairs(garden + house, YEAR_END) == Decimal("81.000")


def test_a_replaced_meter_and_its_successor_cover_the_year_together():
    start = YEAR_END - dt.timedelta(days=365)
    swap = start + dt.timedelta(days=200)
    old, new = [(start, swap, Decimal("40"))], [(swap, YEAR_END, Decimal("33"))]
    assert comparison.annual_from_pairs(old + new, YEAR_END) == Decimal("73.000")
    # Half a year measured by one meter only: extrapolated to the whole year.
    half = [(YEAR_END - dt.timedelta(days=300), YEAR_END, Decimal("30"))]
    assert comparison.annual_from_pairs(half, YEAR_END) == Decimal("36.500")
