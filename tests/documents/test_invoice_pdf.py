"""The invoice PDF: every § 29 item with the figures of the imported invoice, and its QR Platba.

Figures come from tests/fixtures/zis/batch_full_v1 (invoice 2025000001 of Jana Nováková: a
replaced meter, an overpayment; invoice 2025000002 of Pekárna U Mlýna: a business with IČO/DIČ).
"""

from __future__ import annotations

import re

import pytest

from portal.documents import services
from portal.models import Customer, Invoice, InvoiceLine, Payment, SupplyPoint

from .conftest import (
    first_page_png,
    is_blank,
    pdf_fonts,
    pdf_info,
    pdf_page_count,
    pdf_page_text,
    pdf_text,
    qr_codes,
    tool,
)

pytestmark = pytest.mark.django_db


def render(user, number: str, utility) -> bytes:
    invoice = Invoice.objects.get(number=number)
    return services.render_invoice_pdf(user, invoice.pk, utility).content


def test_the_invoice_shows_every_item_of_a_tax_document(world, customer, utility, tmp_path):
    text = pdf_text(render(customer, "2025000001", utility), tmp_path)
    for item in [
        # supplier, from the utility settings
        "Dodavatel",
        "Vodárna Testov, a.s.",
        "Nádražní 12",
        "530 02 Testov",
        "IČO 25596641",
        "DIČ CZ25596641",
        "19-2000145399/0800",
        "CZ65 0800 0000 1920 0014 5399",
        # customer, with the mailing address
        "Odběratel",
        "Jana Nováková",
        "Zelinářská 515/2",
        "160 00 Praha",
        "Číslo odběratele 100001",
        # the document
        "Faktura – daňový doklad",
        "Číslo faktury 2025000001",
        "Variabilní symbol 2025000001",
        "Vystaveno 8. 1. 2025",
        "DUZP 31. 12. 2024",
        "Splatnost 22. 1. 2025",
        "Fakturační období 1. 1. 2024 – 31. 12. 2024",
        "Předmět plnění Dodávka pitné vody a odvádění odpadních vod",
        # supply point and meters with the readings that open and close the billed interval and
        # their kinds (the meter was replaced on 30. 6. 2024): 29,750 + 45,125 = 74,875 m³ billed
        "OM-000001",
        "SE-18-004211 31. 12. 2023 (pravidelný odečet) 120,500 m³ "
        "30. 6. 2024 (konečný stav starého vodoměru) 150,250 m³ 29,750 m³",
        "DI-24-000117 30. 6. 2024 (počáteční stav nového vodoměru) 0,000 m³ "
        "31. 12. 2024 (dálkový odečet) 45,125 m³ 45,125 m³",
        # lines with quantities and unit prices, tax base, rate, VAT
        "Vodné 1. 1. 2024 – 31. 12. 2024 74,875 m³ 52,10 Kč 3 900,99 Kč 12 % 468,12 Kč 4 369,11 Kč",
        "Stočné 1. 1. 2024 – 31. 12. 2024 74,875 m³ 45,30 Kč 3 391,84 Kč 12 % 407,02 Kč 3 798,86 Kč",
        # VAT per rate: supply, advances (ZIS deducted advances the portal has no payment
        # for: not taxed again), difference; totals, advances deducted, balance
        "Rekapitulace DPH",
        "12 % 7 292,83 Kč 875,14 Kč 0,00 Kč 0,00 Kč 7 292,83 Kč 875,14 Kč",
        "Celkem s DPH 8 167,97 Kč",
        "Odečtené zálohy 9 600,00 Kč",
        "z toho zálohy bez rozpisu DPH 9 600,00 Kč",
        "Přeplatek k vrácení 1 432,03 Kč",
        "Přeplatek 1 432,03 Kč vám vrátíme.",
    ]:
        assert item in text, item


def test_an_overpaid_invoice_has_no_qr_payment(world, customer, utility, tmp_path):
    content = render(customer, "2025000001", utility)
    assert "QR platba" not in pdf_text(content, tmp_path)
    assert qr_codes(content, tmp_path, page=pdf_page_count(content, tmp_path)) == []


def test_a_business_customer_is_shown_with_its_company_and_vat_ids(
    world, business_customer, utility, tmp_path
):
    text = pdf_text(render(business_customer, "2025000002", utility), tmp_path)
    assert "Pekárna U Mlýna s.r.o." in text
    assert "IČO 27074358" in text
    assert "DIČ CZ27074358" in text
    assert "Srážkové vody 2024" in text
    assert "886,655 m³ 45,30 Kč 40 165,47 Kč 12 % 4 819,86 Kč 44 985,33 Kč" in text
    assert "Nedoplatek k úhradě 47 166,45 Kč" in text
    assert "Nic nedoplácíte." in text  # P-2 paid it in full: no QR code to pay twice
    assert "QR platba" not in text


def test_the_qr_payment_asks_for_what_is_still_due(world, business_customer, utility, tmp_path):
    Payment.objects.filter(zis_id="P-2").delete()
    content = render(business_customer, "2025000002", utility)
    text = pdf_text(content, tmp_path)
    assert "K úhradě 47 166,45 Kč" in text
    assert "QR platba" in text
    assert not is_blank(first_page_png(content, "invoice-2025000002-qr", tmp_path))
    codes = qr_codes(content, tmp_path, page=pdf_page_count(content, tmp_path))
    assert codes == [
        "SPD*1.0*ACC:CZ6508000000192000145399*AM:47166.45*CC:CZK"
        "*MSG:Faktura 2025000002*X-VS:2025000002"
    ]


def test_the_pdf_is_a4_tagged_titled_czech_with_embedded_fonts(world, customer, utility, tmp_path):
    content = render(customer, "2025000001", utility)
    info = pdf_info(content, tmp_path)
    assert "Title:           Faktura 2025000001" in info
    assert "Tagged:          yes" in info
    assert "595.276 x 841.89 pts (A4)" in info
    fonts = pdf_fonts(content, tmp_path)
    assert fonts
    assert all("Pramen-Sans" in row and " yes " in row for row in fonts), fonts
    printed = pdf_page_text(content, tmp_path)
    assert "strana 1 z 1" in printed
    assert (
        printed.count("Faktura 2025000001") == 1
    )  # the running footer (the title says "Faktura – …")


def test_the_first_page_is_written_as_png_for_review(world, customer, utility, tmp_path):
    png = first_page_png(render(customer, "2025000001", utility), "invoice-2025000001", tmp_path)
    assert png.exists()
    assert not is_blank(png)


def test_a_symbol_the_bank_would_refuse_leaves_the_invoice_without_qr(
    world, business_customer, utility, tmp_path
):
    Payment.objects.filter(zis_id="P-2").delete()
    Invoice.objects.filter(number="2025000002").update(variable_symbol="25-0002")
    text = pdf_text(render(business_customer, "2025000002", utility), tmp_path)
    assert "K úhradě 47 166,45 Kč" in text
    assert "Variabilní symbol 25-0002" in text
    assert "QR platba" not in text


def test_every_page_of_a_long_invoice_carries_its_number(
    world, business_customer, utility, tmp_path
):
    invoice = Invoice.objects.get(number="2025000002")
    line = InvoiceLine.objects.filter(invoice=invoice).order_by("position").last()
    for position in range(10, 70):
        line.pk, line.position = None, position
        line.description = f"Srážkové vody, plocha {position}"
        line.save()
    content = render(business_customer, "2025000002", utility)
    pages = pdf_page_count(content, tmp_path)
    assert pages >= 2
    source = tmp_path / "long.pdf"
    source.write_bytes(content)
    for page in range(1, pages + 1):
        printed = tool("pdftotext", "-f", str(page), "-l", str(page), str(source), "-")
        assert "Faktura 2025000002" in printed, page
        assert f"strana {page} z {pages}" in printed, page


def test_a_sipo_payers_invoice_shows_the_sipo_number_and_no_qr(
    world, business_customer, utility, tmp_path
):
    Payment.objects.filter(zis_id="P-2").delete()
    SupplyPoint.objects.filter(invoices__number="2025000002").update(
        payment_method="sipo", sipo_number="9876543210"
    )
    content = render(business_customer, "2025000002", utility)
    text = pdf_text(content, tmp_path)
    assert "K úhradě 47 166,45 Kč" in text
    assert "Hradíte přes SIPO, spojovací číslo 9876543210." in text
    assert "QR platba" not in text
    assert qr_codes(content, tmp_path, page=pdf_page_count(content, tmp_path)) == []


def test_a_business_is_identified_by_its_seat_and_receives_at_its_mailing_address(
    world, business_customer, utility, tmp_path
):
    Customer.objects.filter(number="100002").update(
        seat_street="Průmyslová",
        seat_house_number="1200",
        seat_orientation_number="5",
        seat_municipality="Pardubice",
        seat_postcode="53002",
    )
    text = pdf_text(render(business_customer, "2025000002", utility), tmp_path)
    customer = text.split("Odběratel", 1)[1].split("Číslo odběratele", 1)[0]
    assert "Sídlo: Průmyslová 1200/5 530 02 Pardubice" in customer
    assert "Doručovací adresa:" in customer
    assert customer.index("Sídlo") < customer.index("Doručovací adresa")


def test_the_web_page_and_the_pdf_print_the_lines_alike(world, customer, utility, tmp_path):
    from tests.factories.accounts import client_for
    from tests.support.pages import sub

    invoice = Invoice.objects.get(number="2025000001")
    html = client_for(customer).get(sub(world.invoices, "invoice", invoice_pk=invoice.pk))
    page = re.sub(r"<[^>]+>", " ", html.content.decode()).replace("\u00a0", " ")
    page = " ".join(page.split())
    text = pdf_text(render(customer, "2025000001", utility), tmp_path)
    line = (
        "Vodné 1. 1. 2024 – 31. 12. 2024 74,875 m³ 52,10 Kč 3 900,99 Kč 12 % 468,12 Kč 4 369,11 Kč"
    )
    assert line in page
    assert line in text
    assert "m3" not in page and "m3" not in text
    # an overpayment is shown as such, with a positive amount, on both
    assert "Přeplatek k vrácení 1 432,03 Kč" in page
    assert "Přeplatek k vrácení 1 432,03 Kč" in text


def test_the_invoice_pdf_names_each_anchor_once(world, customer, utility, caplog):
    # The lines and advances share their templates with the web page, where each row is a link
    # target; a row without its key must not repeat an empty anchor (WeasyPrint warns of each).
    with caplog.at_level("WARNING", logger="weasyprint"):
        render(customer, "2025000001", utility)
    assert not [r.getMessage() for r in caplog.records if "defined twice" in r.getMessage()]
