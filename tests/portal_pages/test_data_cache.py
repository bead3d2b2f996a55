"""Figures the pages compute from ZIS data are kept for the data generation (portal/pages/
data_cache.py): an import (a new generation) shows the new data at once, a removed customer link
gives no access to what was kept, and the query counts of a page served from what was kept stay
under those of the first request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.lib import generations
from portal.models import CustomerLink, Invoice, Payment, SupplyPoint
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
