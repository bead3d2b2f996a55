"""What a customer meets on every portal page: the customer shown named at the top (with a clear
switch when several are linked), quick actions on the dashboard, months without data shown as
"bez údajů" and not drawn as zero."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from portal.models import Invoice
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import html

pytestmark = pytest.mark.django_db


def main_of(response):
    return lxml_html.fromstring(html(response)).xpath("//main")[0]


def test_every_portal_page_names_the_customer_shown_above_its_heading(portal, customer):
    client = client_for(customer)
    for url in (portal.home.url, portal.readings.url, portal.invoices.url, portal.details.url):
        main = main_of(client.get(url))
        shown = main.xpath('.//*[contains(@class, "portal-customer__name")]')[0]
        heading = main.xpath(".//h1")[0]
        assert "Odběratel: Jana Nováková (číslo odběratele 100001)" in " ".join(
            shown.text_content().split()
        ), url
        assert shown.sourceline < heading.sourceline, url
        assert not main.xpath('.//select[@id="portal-customer-switch"]'), url  # one customer


def test_with_two_customers_the_switch_sits_under_the_name_and_says_what_it_does(
    portal, property_manager
):
    client = client_for(property_manager)
    main = main_of(client.get(portal.readings.url + "?customer=100002"))
    frame = main.xpath('.//*[contains(@class, "portal-customer")]')[0]
    text = " ".join(frame.text_content().split())
    assert "Odběratel: Pekárna U Mlýna s.r.o. (číslo odběratele 100002)" in text
    label = frame.xpath('.//label[@for="portal-customer-switch"]')[0].text_content()
    assert " ".join(label.split()) == "Váš účet je propojen se 2 odběrateli. Zobrazit jiného:"
    options = frame.xpath(".//option")
    assert [o.get("value") for o in options] == ["100001", "100002"]
    assert frame.xpath(".//option[@selected]")[0].get("value") == "100002"
    assert frame.xpath(".//button")[0].text_content().strip() == "Přepnout odběratele"
    # the switch keeps the page: the form goes back to the readings
    assert frame.xpath(".//form")[0].get("action") == portal.readings.url


def test_the_dashboard_offers_quick_actions(portal, customer):
    main = main_of(client_for(customer).get(portal.home.url))
    links = {
        " ".join(a.text_content().split()): a.get("href")
        for a in main.xpath('.//nav[contains(@class, "portal-quick")]//a')
    }
    last = Invoice.objects.filter(customer__number="100001").order_by("-issued_on").first()
    assert links == {
        "Nahlásit stav vodoměru": portal.readings.url,
        "Zaplatit (platební údaje a QR platba)": sub(portal.invoices, "advances"),
        f"Stáhnout poslední fakturu ({last.number}, PDF)": sub(
            portal.invoices, "invoice_pdf", invoice_pk=last.pk
        ),
    }


def test_a_customer_without_invoices_gets_no_download_action(portal, other_customer):
    Invoice.objects.filter(customer__number="100003").delete()
    main = main_of(client_for(other_customer).get(portal.home.url))
    texts = [
        " ".join(a.text_content().split())
        for a in main.xpath('.//nav[contains(@class, "portal-quick")]//a')
    ]
    assert "Nahlásit stav vodoměru" in texts
    assert not any(text.startswith("Stáhnout poslední fakturu") for text in texts)


def test_months_without_data_are_no_data_not_zero(portal, customer):
    # The household's data begin on 31 December 2023: January to November 2023 have none.
    client = client_for(customer)
    data = client.get(
        sub(portal.consumption, "chart_data"), {"period": "months", "year": "2023"}
    ).json()
    series = {s["key"]: s["data"] for s in data["datasets"]}
    assert series["average"][:11] == [None] * 11  # a gap in the chart, not a bar of 0
    assert series["average"][11] == 0.163
    response = client.get(portal.consumption.url, {"period": "months", "year": "2023"})
    rows = lxml_html.fromstring(html(response)).xpath("//table[.//caption]//tbody/tr")
    cells = {
        r.xpath("./th")[0].text_content().strip(): [
            td.text_content().strip() for td in r.xpath("./td")
        ]
        for r in rows
    }
    assert cells["listopad"][0] == "bez údajů"
    assert "bez údajů" not in cells["prosinec"]
