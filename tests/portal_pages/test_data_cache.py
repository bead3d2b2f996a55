"""Figures the pages compute from ZIS data are kept for the data generation (portal/pages/
data_cache.py): an import (a new generation) shows the new data at once, a removed customer link
gives no access to what was kept, and the query counts of a page served from what was kept stay
under those of the first request. What the portal itself changes shows at once beside what was
kept: a customer linked or unlinked, a tax document issued, an advance change asked for."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.documents import issuing
from portal.lib import generations
from portal.models import (
    AdvanceChangeRequest,
    AdvanceProjection,
    Customer,
    CustomerLink,
    Invoice,
    Payment,
    Reading,
    RequestStatus,
    SupplyPoint,
)
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import czech, html

pytestmark = pytest.mark.django_db


def add_unmatched_payment(amount: int) -> None:
    first = Payment.objects.get(zis_id="P-1")
    Payment.objects.create(
        zis_id="P-unmatched-cache",
        zis_updated_at=first.zis_updated_at,
        customer=first.customer,
        received_on=first.received_on,
        amount=amount,
        method="transfer",
    )


@pytest.mark.parametrize("section", ["home", "invoices"])
def test_a_new_data_generation_shows_what_the_import_changed(portal, customer, section):
    client = client_for(customer)
    url = getattr(portal, section).url
    before = html(client.get(url))
    assert czech("1 600,00 Kč") in before
    assert czech("1 000,00 Kč") not in before
    add_unmatched_payment(600)  # as an import writes it, before it starts a new generation
    generations.bump()
    assert czech("1 000,00 Kč") in html(client.get(url))


@pytest.mark.parametrize("route", ["invoice", "supply_point", "supply_point_readings"])
def test_what_was_kept_is_not_shown_once_the_link_is_gone(portal, customer, route):
    client = client_for(customer)
    if route == "invoice":
        pk = Invoice.objects.filter(customer__number="100001").first().pk
        url = sub(portal.invoices, route, invoice_pk=pk)
    else:
        pk = SupplyPoint.objects.get(number="OM-000001").pk
        section = portal.supply_points if route == "supply_point" else portal.readings
        url = sub(section, route, supply_point_pk=pk)
    assert client.get(url).status_code == 200
    CustomerLink.objects.filter(user=customer).delete()  # no new generation
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("route", ["", "advances"])
def test_kept_pages_read_the_same_and_cost_fewer_queries(portal, customer, route):
    client = client_for(customer)
    url = sub(portal.invoices, route) if route else portal.invoices.url
    with CaptureQueriesContext(connection) as first:
        first_page = html(client.get(url))
    with CaptureQueriesContext(connection) as again:
        kept_page = html(client.get(url))
    assert len(again) < len(first)
    strip = "csrfmiddlewaretoken"
    assert [line for line in first_page.splitlines() if strip not in line] == [
        line for line in kept_page.splitlines() if strip not in line
    ]


def test_a_customer_linked_meanwhile_shows_at_once(portal, customer):
    """The linked customers are kept too: a link made in the portal (or removed) renews them."""
    client = client_for(customer)
    assert "Pekárna U Mlýna" not in html(client.get(portal.home.url))
    link = CustomerLink.objects.create(
        user=customer, customer=Customer.objects.get(number="100002")
    )
    assert "Pekárna U Mlýna" in html(client.get(portal.home.url))  # no new data generation
    link.delete()
    assert "Pekárna U Mlýna" not in html(client.get(portal.home.url))


def test_kept_payments_show_what_a_new_import_brought(portal, customer):
    client = client_for(customer)
    url = sub(portal.invoices, "payments")
    assert czech("600,00 Kč") not in html(client.get(url))
    add_unmatched_payment(600)  # as an import writes it, before it starts a new generation
    assert czech("600,00 Kč") not in html(client.get(url))  # the same generation: kept
    generations.bump()
    assert czech("600,00 Kč") in html(client.get(url))


def test_a_tax_document_issued_by_the_portal_shows_on_the_payments_at_once(
    portal, customer, utility
):
    utility.advance_tax_documents = "payments"
    utility.save()
    client = client_for(customer)
    url = sub(portal.invoices, "payments")
    prefix = utility.tax_document_prefix
    assert prefix not in html(client.get(url))
    assert issuing.issue_pending(prefix) > 0
    assert f"{prefix}{timezone.localdate().year}000001 (PDF)" in html(client.get(url))


def test_an_advance_change_shows_at_once_beside_the_kept_projections(portal, customer):
    client = client_for(customer)
    url = sub(portal.invoices, "advances")
    assert "Rádce se zálohami" in html(client.get(url))  # the advisor's projections, kept now
    assert "změna čeká na rozhodnutí" not in html(client.get(url))
    point = SupplyPoint.objects.get(number="OM-000001")
    AdvanceChangeRequest.objects.create(
        customer=point.customer,
        supply_point=point,
        submission_token=uuid.uuid4(),
        current_amount=Decimal("800.00"),
        suggested_amount=Decimal("900.00"),
        requested_amount=Decimal("900.00"),
        period_start=dt.date(2025, 1, 1),
        status=RequestStatus.PENDING,
    )
    assert "změna čeká na rozhodnutí" in html(client.get(url))


def test_new_projections_of_the_advisor_show_at_once(portal, customer):
    client = client_for(customer)
    url = sub(portal.invoices, "advances")
    assert "Rádce se zálohami" in html(client.get(url))
    AdvanceProjection.objects.all().delete()  # the advisor's tasks start a new NEWS generation
    assert "Rádce se zálohami" not in html(client.get(url))


def test_my_details_show_the_supply_points_of_a_new_import(portal, customer):
    client = client_for(customer)
    point = SupplyPoint.objects.get(number="OM-000001")
    assert "OM-000001" in html(client.get(portal.details.url))
    SupplyPoint.objects.filter(pk=point.pk).update(number="OM-000099")  # as an import writes it
    generations.bump()
    page = html(client.get(portal.details.url))
    assert "OM-000099" in page and "OM-000001" not in page


def test_a_kept_invoice_page_shows_what_a_new_import_changed(portal, customer):
    invoice = Invoice.objects.filter(customer__number="100001").first()
    url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    client = client_for(customer)
    assert "<dd>7777777777</dd>" not in html(client.get(url))
    Invoice.objects.filter(pk=invoice.pk).update(variable_symbol="7777777777")  # as imported
    assert "<dd>7777777777</dd>" not in html(client.get(url))  # the same generation: kept
    generations.bump()
    assert "<dd>7777777777</dd>" in html(client.get(url))


def test_the_kept_supply_points_of_the_dashboard_show_a_new_import(portal, customer):
    client = client_for(customer)
    assert "Odběrné místo OM-000001</a></h3>" in html(client.get(portal.home.url))
    SupplyPoint.objects.filter(number="OM-000001").update(number="OM-000099")  # as imported
    generations.bump()
    page = html(client.get(portal.home.url))
    assert "Odběrné místo OM-000099</a></h3>" in page
    assert "Odběrné místo OM-000001</a></h3>" not in page


def test_kept_pages_link_to_a_renamed_section_at_once(portal, customer):
    invoice = Invoice.objects.filter(customer__number="100001").first()
    invoice_url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    client = client_for(customer)
    old = portal.supply_points.url
    assert f'href="{old}' in html(client.get(portal.home.url))
    invoices_before = portal.invoices.url
    assert f'href="{invoices_before}{invoice.pk}/pdf/"' in html(client.get(invoice_url))
    for page, slug in ((portal.supply_points, "mista"), (portal.invoices, "doklady")):
        page.slug = slug
        page.save_revision().publish()
    new_points, new_invoices = (
        type(p).objects.get(pk=p.pk).url for p in (portal.supply_points, portal.invoices)
    )
    assert new_points != old and new_invoices != invoices_before
    assert f'href="{new_points}' in html(client.get(portal.home.url))
    moved = html(client.get(f"{new_invoices}{invoice.pk}/"))
    assert f'href="{new_invoices}{invoice.pk}/pdf/"' in moved


def compact(response) -> str:
    """The page's HTML without spaces (numbers are grouped by no-break spaces)."""
    return html(response).replace("\xa0", "").replace(" ", "")


def test_the_kept_readings_of_a_supply_point_show_a_new_import(portal, customer):
    reading = (
        Reading.objects.filter(meter__supply_point__customer__number="100001")
        .order_by("-date")
        .first()
    )
    url = sub(
        portal.readings, "supply_point_readings", supply_point_pk=reading.meter.supply_point_id
    )
    client = client_for(customer)
    assert "9876,543" not in compact(client.get(url))
    Reading.objects.filter(pk=reading.pk).update(value=Decimal("9876.543"))  # as imported
    assert "9876,543" not in compact(client.get(url))  # the same generation: kept
    generations.bump()
    assert "9876,543" in compact(client.get(url))
