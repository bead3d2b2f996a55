"""What the customer sees: the warning on the dashboard, the supply point's consumption page with
its settings, and the comparison that never shows a group smaller than 20."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

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


def open_leak(point, opened_on: dt.date = dt.date(2026, 11, 30)) -> ConsumptionWarning:
    return ConsumptionWarning.objects.create(
        supply_point=point,
        rule=ConsumptionWarning.Rule.CONTINUOUS_FLOW,
        opened_on=opened_on,
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


def test_an_open_warning_is_listed_before_many_closed_ones(portal, customer, point):
    # Twelve closed episodes, all newer than the open one: the page lists ten, the open first.
    for index in range(12):
        day = dt.date(2026, 6, 1) + dt.timedelta(days=10 * index)
        ConsumptionWarning.objects.create(
            supply_point=point,
            rule=ConsumptionWarning.Rule.STEP_UP,
            opened_on=day,
            last_day=day,
            closed_on=day + dt.timedelta(days=2),
            volume=Decimal("0.4"),
            reference=Decimal("0.1"),
        )
    open_leak(point, opened_on=dt.date(2026, 5, 1))
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    document = lxml_html.fromstring(html(client_for(customer).get(url)))
    (section,) = document.xpath("//section[@aria-labelledby='warnings-heading']")
    items = [" ".join(li.text_content().split()) for li in section.xpath(".//li")]
    assert len(items) == 10
    assert items[0].startswith("Trvá")
    assert "Voda protékala každý den 7 dní po sobě" in items[0]


def similar_points(point, count: int, *, people=None, volume=Decimal("90")) -> None:
    """`count` supply points like `point` (the same kind and tariff; households of `people`
    when given) with an annual figure; `point` itself is one of them."""
    from tests.factories.billing import SupplyPointFactory

    volumes = {point.pk: volume}
    for index in range(count - 1):
        serial = next(SERIALS)
        other = SupplyPointFactory(
            number=f"SIM-{serial}",
            zis_id=f"SIM-{serial}",
            is_household=point.is_household,
            tariff=point.tariff,
        )
        if people is not None:
            m.SupplyPointPreferences.objects.create(supply_point=other, people=people)
        volumes[other.pk] = Decimal(40 + index)
    comparison.store_annual(volumes, dt.date(2026, 11, 30))


def comparison_text(client, url) -> str:
    document = lxml_html.fromstring(html(client.get(url)))
    (section,) = document.xpath("//section[@aria-labelledby='comparison-heading']")
    return " ".join(section.text_content().split()).replace("\u00a0", " ")


def test_the_comparison_needs_at_least_20_similar_points(portal, customer, point):
    assert point.is_household
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    client = client_for(customer)
    similar_points(point, 19)
    text = comparison_text(client, url)
    assert "90 m³" in text or "90,000 m³" in text
    assert "Podobných odběrných míst je příliš málo" in text
    # The household has not given its size: both its groups hold the same 19.
    assert dict(ComparisonGroup.objects.values_list("key", "members")) == {
        AnnualConsumption.objects.get(supply_point=point).group: 19,
        comparison.group_key(True, point.tariff.code): 19,
    }

    similar_points(point, 20)
    text = comparison_text(client, url)
    assert "Podobných odběrných míst je příliš málo" not in text
    assert "Domácnosti, které neuvedly počet osob, se stejnou sazbou (20 odběrných míst)" in text
    # Only the group's quartiles: no other member's own figure is on the page.
    others = AnnualConsumption.objects.exclude(supply_point=point).values_list("volume", flat=True)
    group = ComparisonGroup.objects.get(key=AnnualConsumption.objects.get(supply_point=point).group)
    shown = {group.lower_quartile, group.median, group.upper_quartile}
    for volume in others:
        if volume not in shown:
            assert (
                czech(f"{volume:.3f}".replace(".", ",") + " m³").replace("\u00a0", " ") not in text
            )


def test_the_size_class_group_is_shown_when_it_is_large_enough(portal, customer, point):
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    client = client_for(customer)
    client.post(url, {"action": "preferences", "people": "3"})
    # 19 households of 3 and 6 of unknown size with the same tariff: the size class is too
    # small, the kind × tariff group (25) is shown instead.
    similar_points(point, 19, people=3)
    volumes = dict(AnnualConsumption.objects.values_list("supply_point_id", "volume"))
    from tests.factories.billing import SupplyPointFactory

    for index in range(6):
        other = SupplyPointFactory(is_household=True, tariff=point.tariff)
        volumes[other.pk] = Decimal(200 + index)
    comparison.store_annual(volumes, dt.date(2026, 11, 30))
    text = comparison_text(client, url)
    assert "Domácnosti se stejnou sazbou (25 odběrných míst)" in text
    general = ComparisonGroup.objects.get(key=comparison.group_key(True, point.tariff.code))
    assert general.members == 25
    assert ComparisonGroup.objects.get(key=general.key + ":3").members == 19

    # A 20th household of 3: its own group is shown, with its own quartiles.
    other = SupplyPointFactory(is_household=True, tariff=point.tariff)
    m.SupplyPointPreferences.objects.create(supply_point=other, people=3)
    volumes[other.pk] = Decimal("60")
    comparison.store_annual(volumes, dt.date(2026, 11, 30))
    text = comparison_text(client, url)
    assert "Domácnosti 3 osob se stejnou sazbou (20 odběrných míst)" in text
    size_group = ComparisonGroup.objects.get(key=general.key + ":3")
    assert czech(f"{size_group.median:.3f}".replace(".", ",")).replace("\u00a0", " ") in text


def test_five_or_more_people_share_a_size_class():
    assert [comparison.size_class(n) for n in (None, 1, 2, 4, 5, 12)] == [
        "?",
        "1",
        "2",
        "4",
        "5+",
        "5+",
    ]
    assert comparison.group_keys(False, "T1", 3) == ["other:T1"]


def test_a_minimum_group_below_20_is_raised_to_20(portal, customer, point, settings):
    settings.PRAMEN_INSIGHTS_MIN_GROUP = 5
    url = sub(portal.supply_points, "supply_point_insights", supply_point_pk=point.pk)
    similar_points(point, 19)
    assert "Podobných odběrných míst je příliš málo" in comparison_text(client_for(customer), url)
    settings.PRAMEN_INSIGHTS_MIN_GROUP = 25
    similar_points(point, 24)
    assert "Podobných odběrných míst je příliš málo" in comparison_text(client_for(customer), url)


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
