"""Invoices (list with filters, detail), advances with their status, and all payments."""

from __future__ import annotations

import pytest

from portal.models import Invoice, SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import czech, html, table_rows

pytestmark = pytest.mark.django_db


def test_the_list_shows_totals_balances_and_status(portal, customer):
    response = client_for(customer).get(portal.invoices.url)
    [row] = table_rows(response)
    number, point, period, due, total, balance, _status, download = row
    assert (number, point, period, due) == (
        "2025000001",
        "OM-000001",
        "1. 1. 2024 – 31. 12. 2024",
        "22. 1. 2025",
    )
    assert (total, balance) == ("8 167,97 Kč", "1 432,03 Kč k vrácení")
    assert "badge--ok" in html(response)  # the overpayment was refunded
    # the PDF link names its invoice for screen readers ("PDF – faktura 2025000001")
    assert download == "PDF – faktura 2025000001"


def test_each_invoice_row_links_to_its_pdf(portal, customer):
    from lxml import html as lxml_html

    client = client_for(customer)
    invoice = Invoice.objects.get(number="2025000001")
    document = lxml_html.fromstring(html(client.get(portal.invoices.url)))
    [link] = document.xpath("//main//table//a[starts-with(normalize-space(.), 'PDF')]")
    assert link.get("href") == sub(portal.invoices, "invoice_pdf", invoice_pk=invoice.pk)
    assert link.xpath("./span[@class='visually-hidden']")[0].text_content().strip() == (
        "– faktura 2025000001"
    )
    response = client.get(link.get("href"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")


def invoice_numbers(response) -> list[str]:
    return [row[0] for row in table_rows(response)] if "<tbody>" in html(response) else []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, ["2025000001"]),  # the first linked customer: Jana
        ({"customer": "100002"}, ["2025000002"]),
        ({"status": "paid"}, ["2025000001"]),
        ({"status": "unpaid"}, []),
        ({"status": "overdue"}, []),
        ({"year": "2025"}, ["2025000001"]),
        ({"year": "2024"}, []),
        ({"status": "bogus", "year": "x"}, ["2025000001"]),  # ignored
    ],
)
def test_filters(portal, property_manager, query, found):
    assert invoice_numbers(client_for(property_manager).get(portal.invoices.url, query)) == found


def test_filter_by_supply_point_and_an_unpaid_overdue_invoice(portal, business_customer):
    invoice = Invoice.objects.get(number="2025000002")
    invoice.payments.all().delete()  # as if the bakery had not paid
    client = client_for(business_customer)
    point = SupplyPoint.objects.get(number="OM-000002")
    for query in ({"status": "overdue"}, {"status": "unpaid"}, {"supply_point": point.pk}):
        response = client.get(portal.invoices.url, query)
        assert invoice_numbers(response) == ["2025000002"], query
        assert 'class="is-overdue"' in html(response)
    assert invoice_numbers(client.get(portal.invoices.url, {"status": "paid"})) == []


def test_the_detail_has_lines_vat_advances_balance_and_payments(portal, business_customer):
    invoice = Invoice.objects.get(number="2025000002")
    response = client_for(business_customer).get(
        sub(portal.invoices, "invoice", invoice_pk=invoice.pk)
    )
    lines, vat, payments = table_rows(response, 0), table_rows(response, 1), table_rows(response, 2)
    assert [line[0] for line in lines] == ["Vodné", "Stočné", "Srážkové vody 2024"]
    assert lines[2][2:] == [
        "886,655 m³",
        "45,30 Kč",
        "40 165,47 Kč",
        "12 %",
        "4 819,86 Kč",
        "44 985,33 Kč",
    ]
    # per rate: the supply, the advances taxed already, the difference this invoice taxes
    # (ZIS's 24 000 Kč of advances have no payments in the portal: deducted without VAT details)
    assert vat == [
        ["12 %", "63 541,47 Kč", "7 624,98 Kč", "0,00 Kč", "0,00 Kč", "63 541,47 Kč", "7 624,98 Kč"]
    ]
    assert payments[0][:2] == ["20. 1. 2025", "47 166,45 Kč"]
    page = html(response)
    for figure in ("71 166,45 Kč", "24 000,00 Kč", "47 166,45 Kč", "0,00 Kč"):
        assert czech(figure) in page


def test_advances_with_their_status(portal, customer):
    response = client_for(customer).get(sub(portal.invoices, "advances"))
    rows = table_rows(response)
    assert [row[:3] for row in rows] == [
        ["15. 1. 2025", "800,00 Kč", "800,00 Kč"],
        ["15. 2. 2025", "800,00 Kč", "0,00 Kč"],
        ["15. 3. 2025", "800,00 Kč", "0,00 Kč"],
    ]
    page = html(response)
    assert page.count('class="is-overdue"') == 2
    assert "1000010001" in page  # the variable symbol


def test_an_unpaid_advance_of_an_invoiced_period_is_settled_not_overdue(portal, customer):
    Invoice.objects.filter(number="2025000001").update(period_end="2025-12-31")
    page = html(client_for(customer).get(sub(portal.invoices, "advances")))
    assert 'class="is-overdue"' not in page


def test_all_payments_with_what_they_paid(portal, customer):
    response = client_for(customer).get(sub(portal.invoices, "payments"))
    rows = table_rows(response)
    assert [row[:3] for row in rows] == [
        ["14. 1. 2025", "800,00 Kč", "přijatá platba"],
        ["9. 1. 2025", "1 432,03 Kč", "vráceno vám"],  # a refund, shown as such
    ]
    assert "2025000001" in rows[1][5]
