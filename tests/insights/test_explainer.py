"""The bill explainer: its figures are the invoice's own, each linking to its row."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from lxml import html as lxml_html

from portal import models as m
from portal.lib.formatting import format_money
from tests.factories import billing as billing_factories
from tests.factories.accounts import client_for
from tests.portal_pages.conftest import html
from tests.support.pages import sub

pytestmark = pytest.mark.django_db


def explainer_of(page: str):
    document = lxml_html.fromstring(page)
    (section,) = document.xpath("//section[@aria-labelledby='explainer-heading']")
    return document, section


def test_the_explainers_figures_are_the_invoices_and_link_to_their_rows(portal, customer):
    invoice = m.Invoice.objects.get(number="2025000001")
    url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    document, section = explainer_of(html(client_for(customer).get(url)))
    links = {a.get("href"): " ".join(a.text_content().split()) for a in section.xpath(".//a")}
    for href in links:
        if href.startswith("#"):
            assert document.xpath(f"//*[@id='{href[1:]}']"), href  # every link has its row
    assert format_money(invoice.total).replace("\u00a0", " ") in links["#invoice-total"]
    assert format_money(invoice.advances_paid).replace("\u00a0", " ") in links["#invoice-advances"]
    balance = abs(invoice.balance)
    assert format_money(balance).replace("\u00a0", " ") in links["#invoice-balance"]
    for line in m.InvoiceLine.objects.filter(invoice=invoice, kind__in=["water", "sewage"]):
        text = links[f"#line-{line.position}"]
        assert format_money(line.base).replace("\u00a0", " ") in text
        assert format_money(line.unit_price).replace("\u00a0", " ") in text
    vat_links = [text for href, text in links.items() if re.fullmatch(r"#vat-\d+", href)]
    summary = m.VatSummaryLine.objects.filter(invoice=invoice)
    assert len(vat_links) == summary.count()
    for row in summary:
        assert any(format_money(row.vat).replace("\u00a0", " ") in t for t in vat_links)


def test_readings_show_their_kind_and_the_replacement(portal, customer):
    invoice = m.Invoice.objects.get(number="2025000001")
    url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    _document, section = explainer_of(html(client_for(customer).get(url)))
    text = " ".join(section.text_content().split())
    assert "Odečty" in text or "odečet" in text.lower()
    replaced = m.Reading.objects.filter(
        meter__supply_point=invoice.supply_point,
        kind="replacement",
        date__range=(invoice.period_start, invoice.period_end),
    )
    for reading in replaced:
        assert reading.get_replacement_display().lower() in text.lower()


def test_the_explainer_links_to_the_price_page_chosen_in_the_settings(portal, customer, home):
    from wagtail.models import Site

    from cms_pages.models import UtilitySettings

    invoice = m.Invoice.objects.get(number="2025000001")
    url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    assert "Ceny vody" not in html(client_for(customer).get(url))
    utility = UtilitySettings.for_site(Site.objects.get(is_default_site=True))
    utility.price_page = portal.rainwater  # any live page will do
    utility.save()
    _document, section = explainer_of(html(client_for(customer).get(url)))
    (link,) = [a for a in section.xpath(".//a") if a.text_content() == "Ceny vody"]
    assert link.get("href").endswith(portal.rainwater.url)


MONEY = re.compile(r"\d[\d\s]*,\d{2}\s*Kč")


def explained(portal, customer, invoice):
    url = sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    return explainer_of(html(client_for(customer).get(url)))


def spaced(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_rainwater_lines_appear_with_their_amounts(portal, business_customer):
    # The recorded batch bills the bakery's rainwater on its invoice 2025000002.
    invoice = m.Invoice.objects.get(number="2025000002")
    lines = m.InvoiceLine.objects.filter(kind="rainwater", invoice=invoice)
    assert lines.exists()
    _document, section = explained(portal, business_customer, invoice)
    assert "Srážkové vody" in spaced(section.text_content()) or "srážkov" in spaced(
        section.text_content()
    )
    links = {a.get("href"): spaced(a.text_content()) for a in section.xpath(".//a")}
    for line in lines:
        text = links[f"#line-{line.position}"]
        assert spaced(format_money(line.base)) in text
        assert spaced(format_money(line.unit_price)) in text
        assert f"{line.quantity:.3f}".replace(".", ",") in text


@pytest.fixture
def advances_2024(recorded_batch):
    """Twelve paid advances of 800 Kč behind invoice 2025000001's deducted 9 600 Kč; the
    January one paid early, on 28. 12. 2023, while water was still taxed at 10 %."""
    invoice = m.Invoice.objects.get(number="2025000001")
    billing_factories.paid_calendar_2024(invoice, invoice.supply_point)
    return invoice


def test_each_advance_deducted_links_to_its_row_with_its_vat(portal, customer, advances_2024):
    invoice = advances_2024
    document, section = explained(portal, customer, invoice)
    deposits = [a for a in section.xpath(".//a") if a.get("href", "").startswith("#deposit-")]
    assert len(deposits) == 12
    assert len({a.get("href") for a in deposits}) == len(deposits)
    for link in deposits:
        (row,) = document.xpath(f"//*[@id='{link.get('href')[1:]}']")  # one row per anchor
        text, row_text = spaced(link.text_content()), spaced(row.text_content())
        assert "DPH" in text
        amounts = MONEY.findall(text)
        assert len(amounts) == 2  # the advance and its VAT
        for amount in amounts:
            assert spaced(amount) in row_text
        payment = m.Payment.objects.get(pk=int(link.get("href").removeprefix("#deposit-")))
        assert payment.customer_id == invoice.customer_id


def test_the_meters_volumes_add_up_to_the_billed_volume(portal, customer):
    invoice = m.Invoice.objects.get(number="2025000001")
    _document, section = explained(portal, customer, invoice)
    steps = [
        Decimal(spaced(strong.text_content()).removesuffix(" m³").replace(",", "."))
        for strong in section.xpath(".//li/strong")
    ]
    assert steps
    billed = sum(
        line.quantity for line in m.InvoiceLine.objects.filter(invoice=invoice, kind="water")
    )
    assert sum(steps) == billed
