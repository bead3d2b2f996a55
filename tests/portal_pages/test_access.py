"""Who may open the portal pages: login, a linked customer, only one's own objects.

Also: private, never-stored responses; the customer switcher; out of the search and sitemap.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from portal.models import Invoice, RainwaterAssessment, SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import html

pytestmark = pytest.mark.django_db


def object_urls(portal) -> dict[str, str]:
    """One URL of every object route, pointing at customer 100002's objects."""
    point = SupplyPoint.objects.get(number="OM-000002")
    invoice = Invoice.objects.get(number="2025000002")
    rain = RainwaterAssessment.objects.get(supply_point=point)
    return {
        "supply point": sub(portal.supply_points, "supply_point", supply_point_pk=point.pk),
        "readings": sub(portal.readings, "supply_point_readings", supply_point_pk=point.pk),
        "readings csv": sub(portal.readings, "readings_csv", supply_point_pk=point.pk),
        "readings xlsx": sub(portal.readings, "readings_xlsx", supply_point_pk=point.pk),
        "invoice": sub(portal.invoices, "invoice", invoice_pk=invoice.pk),
        "rainwater": sub(portal.rainwater, "assessment", assessment_pk=rain.pk),
        "chart of the point": sub(portal.consumption, "chart_data") + f"?supply_point={point.pk}",
    }


def index_urls(portal) -> list[str]:
    return [
        portal.home.url,
        portal.supply_points.url,
        portal.readings.url,
        portal.invoices.url,
        sub(portal.invoices, "advances"),
        sub(portal.invoices, "payments"),
        portal.rainwater.url,
        portal.consumption.url,
        sub(portal.consumption, "chart_data"),
        portal.details.url,
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, portal, recorded_batch):
    login = reverse("account_login")
    for url in [*index_urls(portal), *object_urls(portal).values()]:
        response = client.get(url)
        location = urlsplit(response["Location"])
        assert response.status_code == 302, url
        assert location.path == login
        assert parse_qs(location.query)["next"] == [url]


def test_a_user_without_a_customer_is_told_how_to_link_one(portal, outsider):
    client = client_for(outsider)
    link_form = reverse("portal-account:link-customer")
    for url in [portal.home.url, portal.invoices.url, portal.consumption.url, portal.details.url]:
        assert f'href="{link_form}"' in html(client.get(url)), url


def test_a_user_without_a_customer_gets_404_for_objects_and_data(portal, outsider, recorded_batch):
    client = client_for(outsider)
    for name, url in object_urls(portal).items():
        assert client.get(url).status_code == 404, name
    assert client.get(sub(portal.consumption, "chart_data")).status_code == 404


def test_another_customers_objects_are_404(portal, customer):
    client = client_for(customer)
    for name, url in object_urls(portal).items():
        assert client.get(url).status_code == 404, name


def test_the_owner_opens_every_object_route(portal, business_customer):
    client = client_for(business_customer)
    for name, url in object_urls(portal).items():
        assert client.get(url).status_code == 200, name


def test_every_response_is_private_and_never_stored(portal, business_customer, outsider, client):
    urls = [*index_urls(portal), *object_urls(portal).values()]
    for user in (business_customer, outsider, None):
        browser = client_for(user) if user else client
        for url in urls:
            response = browser.get(url)
            if response.status_code == 404:
                continue
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


def test_the_customer_switcher_shows_one_of_the_users_customers(portal, property_manager):
    client = client_for(property_manager)
    assert "Jana Nováková" in html(client.get(portal.details.url))  # the first by number
    page = html(client.get(portal.details.url, {"customer": "100002"}))
    assert "27074358" in page  # the bakery's IČO
    assert 'id="portal-customer-switch"' in page
    # remembered for the next pages
    assert "27074358" in html(client.get(portal.details.url))


def test_switching_to_a_customer_not_linked_is_404(portal, customer):
    client = client_for(customer)
    assert client.get(portal.home.url, {"customer": "100002"}).status_code == 404
    assert client.get(portal.home.url, {"customer": "nonsense"}).status_code == 404


def test_portal_pages_are_not_in_the_sitemap(client, portal):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/portal/" not in xml


def test_portal_pages_are_not_found_by_the_site_search(client, portal):
    for words in ("Odběrná místa", "Zákaznický portál", "Faktury a zálohy"):
        page = client.get(reverse("search"), {"q": words}).content.decode()
        assert portal.supply_points.url not in page
        assert f'href="{portal.home.url}"' not in page.split("<main", 1)[1]


def test_english_interface(portal, customer):
    client = client_for(customer)
    response = client.get("/en" + portal.supply_points.url)
    assert "OM-000001" in html(response)
