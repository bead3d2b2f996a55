"""Every portal page runs the same small number of queries whatever the customer's data.

The routes are measured for Jana with the recorded batch's little data, then again after years
of invoices, advances, payments, readings, daily values and rainwater assessments are added.
What every page shares costs one query (the user): the session, the site, Wagtail's routing and
view restrictions, the portal navigation and the site frame (menu, footer, utility settings)
come from the cache (config/route_cache.py); the check for ended customer links runs once per
data generation; the linked customers are one query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import models as m
from tests.factories.accounts import client_for
from tests.support.pages import sub

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
UPDATED = dt.datetime(2025, 1, 10, 7, 0, tzinfo=dt.UTC)


def routes(portal, point, invoice, assessment) -> dict[str, tuple[str, dict]]:
    chart = sub(portal.consumption, "chart_data")
    return {
        "dashboard": (portal.home.url, {}),
        "supply points": (portal.supply_points.url, {}),
        "supply point": (sub(portal.supply_points, "supply_point", supply_point_pk=point.pk), {}),
        "readings": (portal.readings.url, {}),
        "readings of a point": (
            sub(portal.readings, "supply_point_readings", supply_point_pk=point.pk),
            {},
        ),
        "readings csv": (sub(portal.readings, "readings_csv", supply_point_pk=point.pk), {}),
        "readings xlsx": (sub(portal.readings, "readings_xlsx", supply_point_pk=point.pk), {}),
        "invoices": (portal.invoices.url, {}),
        "invoices filtered": (
            portal.invoices.url,
            {"status": "unpaid", "year": "2025", "supply_point": point.pk},
        ),
        "invoice": (sub(portal.invoices, "invoice", invoice_pk=invoice.pk), {}),
        "advances": (sub(portal.invoices, "advances"), {}),
        "payments": (sub(portal.invoices, "payments"), {}),
        "rainwater": (portal.rainwater.url, {}),
        "rainwater year": (sub(portal.rainwater, "assessment", assessment_pk=assessment.pk), {}),
        "chart years": (portal.consumption.url, {"period": "years"}),
        "chart months": (portal.consumption.url, {"period": "months", "year": "2024"}),
        "chart days": (portal.consumption.url, {"period": "days", "year": "2024", "month": "12"}),
        "chart data years": (chart, {"period": "years"}),
        "chart data months": (chart, {"period": "months", "year": "2024"}),
        "chart data days": (chart, {"period": "days", "year": "2024", "month": "12"}),
        "my details": (portal.details.url, {}),
        "address change form": (sub(portal.details, "address_change"), {}),
        "requests": (sub(portal.details, "requests"), {}),
    }


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for name, (url, query) in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_queries_do_not_grow_with_the_data(
    portal, customer, utility, django_assert_max_num_queries
):
    point = m.SupplyPoint.objects.get(number="OM-000001")
    invoice = m.Invoice.objects.get(number="2025000001")
    assessment = m.RainwaterAssessment.objects.create(
        zis_id="RW-J-2024", zis_updated_at=UPDATED, supply_point=point, year=2024,
        area_a=Decimal(120), precipitation_normal=Decimal("0.6"), volume=Decimal("64.8"),
        price=Decimal("45.30"), amount=Decimal("2935.44"),
    )  # fmt: skip
    urls = routes(portal, point, invoice, assessment)
    client = client_for(customer)
    for url, query in urls.values():  # warm the caches (the routing, the navigation, the frame)
        client.get(url, query)
    little = count_queries(client, urls)

    add_years_of_data(point)
    lots = count_queries(client, urls)

    assert lots == little
    for name, (url, query) in urls.items():
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url, query)
        assert lots[name] <= MAX_QUERIES, name


def add_years_of_data(point: m.SupplyPoint) -> None:
    """Ten years of a busy supply point, in bulk."""
    customer, meters = point.customer, list(point.meters.order_by("installed_on"))
    old, remote = meters
    start = dt.date(2014, 1, 1)
    m.Reading.objects.bulk_create(
        m.Reading(zis_id=f"R-J-{i}", zis_updated_at=UPDATED, meter=old, kind="regular",
                  date=start + dt.timedelta(days=10 * i), value=Decimal(i))
        for i in range(200)
    )  # fmt: skip
    m.DailyConsumption.objects.bulk_create(
        m.DailyConsumption(zis_id=f"D-J-{i}", zis_updated_at=UPDATED, meter=remote,
                           day=dt.date(2024, 7, 1) + dt.timedelta(days=i), volume=Decimal("0.2"))
        for i in range(180)
    )  # fmt: skip
    m.RainwaterAssessment.objects.bulk_create(
        m.RainwaterAssessment(zis_id=f"RW-J-{year}", zis_updated_at=UPDATED, supply_point=point,
                              year=year, area_a=Decimal(100), precipitation_normal=Decimal("0.6"),
                              volume=Decimal("54"), price=Decimal(40), amount=Decimal(2160))
        for year in range(2010, 2024)
    )  # fmt: skip
    for year in range(2015, 2024):
        add_invoice_year(customer, point, year)
    m.Payment.objects.bulk_create(
        m.Payment(zis_id=f"P-J-U{i}", zis_updated_at=UPDATED, customer=customer,
                  received_on=dt.date(2020, 1, 1) + dt.timedelta(days=i), amount=Decimal(10),
                  method="transfer")
        for i in range(40)
    )  # fmt: skip


def add_invoice_year(customer: m.Customer, point: m.SupplyPoint, year: int) -> None:
    invoice = m.Invoice.objects.create(
        zis_id=f"F-J-{year}", zis_updated_at=UPDATED, number=f"J{year}", customer=customer,
        supply_point=point, variable_symbol=str(year), issued_on=dt.date(year + 1, 1, 10),
        tax_point_on=dt.date(year, 12, 31), due_on=dt.date(year + 1, 1, 24),
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        total_base=Decimal(1000), total_vat=Decimal(120), total=Decimal(1120),
        advances_paid=Decimal(1000), balance=Decimal(120),
    )  # fmt: skip
    m.InvoiceLine.objects.bulk_create(
        m.InvoiceLine(invoice=invoice, position=i, kind="water", quantity=Decimal(10),
                      unit="m3", unit_price=Decimal(50), base=Decimal(500), vat_rate=12,
                      vat=Decimal(60), total=Decimal(560))
        for i in (1, 2)
    )  # fmt: skip
    m.VatSummaryLine.objects.create(
        invoice=invoice, vat_rate=12, base=Decimal(1000), vat=Decimal(120), total=Decimal(1120)
    )
    m.Payment.objects.create(
        zis_id=f"P-J-F{year}", zis_updated_at=UPDATED, customer=customer, invoice=invoice,
        received_on=dt.date(year + 1, 1, 20), amount=Decimal(120), method="transfer",
    )  # fmt: skip
    schedule = m.AdvanceSchedule.objects.create(
        zis_id=f"AS-J-{year}", zis_updated_at=UPDATED, customer=customer, supply_point=point,
        valid_from=dt.date(year, 1, 1), valid_to=dt.date(year, 12, 31), frequency="monthly",
        amount=Decimal(100), variable_symbol="1000010001",
    )  # fmt: skip
    advances = m.Advance.objects.bulk_create(
        m.Advance(zis_id=f"A-J-{year}-{month}", zis_updated_at=UPDATED, schedule=schedule,
                  due_on=dt.date(year, month, 15), amount=Decimal(100), vat_rate=12)
        for month in range(1, 13)
    )  # fmt: skip
    m.Payment.objects.bulk_create(
        m.Payment(zis_id=f"P-J-{advance.zis_id}", zis_updated_at=UPDATED, customer=customer,
                  advance=advance, received_on=advance.due_on, amount=Decimal(100),
                  method="transfer")
        for advance in advances
    )  # fmt: skip


def test_a_customer_never_sees_another_customers_page(portal, customer, business_customer):
    """Portal pages are never cached across users: each sees their own figures, in any order."""
    urls = [portal.home.url, portal.supply_points.url, portal.invoices.url]
    as_jana, as_pekarna = client_for(customer), client_for(business_customer)
    for url in urls:
        for client, own, other in (
            (as_jana, "Jana Nováková", "Pekárna U Mlýna"),
            (as_pekarna, "Pekárna U Mlýna", "Jana Nováková"),
            (as_jana, "Jana Nováková", "Pekárna U Mlýna"),
        ):
            response = client.get(url)
            text = response.content.decode()
            assert response.status_code == 200, url
            assert own in text and other not in text, url
            assert "no-store" in response["Cache-Control"], url
