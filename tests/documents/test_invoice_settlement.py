"""The settlement invoice taxes only the difference between the supply and the advances (§ 37a),
under either VAT model, and the figures add up when re-added from the PDF's text and the ISDOC.

Invoice 2025000001 (tests/fixtures/zis/batch_full_v1) bills 2024 for 8 167,97 Kč at 12 % and
deducts 9 600 Kč of advances. Here the twelve advances of 800 Kč behind that figure are added:
the January one paid early, on 28. 12. 2023, while water was still at 10 %.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from portal.documents import services
from portal.models import Invoice, SupplyPoint
from tests.factories import billing as billing_factories

from .conftest import pdf_page_count, pdf_text, tool

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "isdoc" / "isdoc-invoice-6.0.2.xsd"
NS = {"i": "http://isdoc.cz/namespace/2013"}
MONEY = r"(-?\d{1,3}(?: \d{3})*,\d{2}) Kč"


def czk(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


@pytest.fixture
def advances_2024(world):
    """The 2024 payment calendar of OM-000001: twelve advances of 800 Kč, all paid."""
    invoice = Invoice.objects.get(number="2025000001")
    point = SupplyPoint.objects.get(number="OM-000001")
    billing_factories.paid_calendar_2024(invoice, point)
    return invoice


def settlement_from_text(text: str) -> dict[str, list[Decimal]]:
    """Per VAT rate, the six figures of the settlement table: supply base and VAT, advances'
    base and VAT, difference base and VAT."""
    table = text.split("Rozdíl: DPH", 1)[1]
    rows = re.findall(rf"(\d+) % {MONEY} {MONEY} {MONEY} {MONEY} {MONEY} {MONEY}", table)
    return {rate: [czk(value) for value in values] for rate, *values in rows}


def deposits_from_text(text: str) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    """(document, rate, base, VAT, amount) of every advance the invoice lists as deducted."""
    pattern = (
        rf"(\S+) \d+\. \d+\. \d{{4}} (\d+) % "
        rf"{MONEY} {MONEY} {MONEY}"
    )
    return [
        (document, rate, czk(base), czk(vat), czk(amount))
        for document, rate, base, vat, amount in re.findall(pattern, text)
    ]


def check_pdf(text: str) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    deposits = deposits_from_text(text)
    assert len(deposits) == 12
    assert sum(d[4] for d in deposits) == czk(re.search(rf"Odečtené zálohy {MONEY}", text)[1])
    assert all(base + vat == amount for _doc, _rate, base, vat, amount in deposits)
    rates = settlement_from_text(text)
    assert set(rates) == {"10", "12"}
    for rate, (supply_base, supply_vat, adv_base, adv_vat, diff_base, diff_vat) in rates.items():
        taxed = [d for d in deposits if d[1] == rate]
        assert adv_base == sum(d[2] for d in taxed), rate
        assert adv_vat == sum(d[3] for d in taxed), rate
        assert diff_base == supply_base - adv_base, rate
        assert diff_vat == supply_vat - adv_vat, rate
    difference = sum(diff_base + diff_vat for *_s, diff_base, diff_vat in rates.values())
    overpaid = czk(re.search(rf"Přeplatek k vrácení {MONEY}", text)[1])
    assert difference == -overpaid == Decimal("-1432.03")
    return deposits


def check_isdoc(content: bytes) -> etree._Element:
    doc = etree.fromstring(content)
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(doc)

    def amount(node, path):
        return Decimal(node.xpath(path, namespaces=NS)[0].text)

    deposits = doc.xpath("/i:Invoice/i:TaxedDeposits/i:TaxedDeposit", namespaces=NS)
    assert len(deposits) == 12
    totals = doc.xpath("/i:Invoice/i:LegalMonetaryTotal", namespaces=NS)[0]
    claimed = sum(amount(d, "i:TaxInclusiveDepositAmount") for d in deposits)
    assert claimed == amount(totals, "i:AlreadyClaimedTaxInclusiveAmount") == Decimal(9600)
    assert amount(totals, "i:PaidDepositsAmount") == 0  # nothing deducted twice
    for sub in doc.xpath("/i:Invoice/i:TaxTotal/i:TaxSubTotal", namespaces=NS):
        rate = sub.xpath("i:TaxCategory/i:Percent", namespaces=NS)[0].text
        at_rate = [
            d
            for d in deposits
            if d.xpath("i:ClassifiedTaxCategory/i:Percent", namespaces=NS)[0].text == rate
        ]
        assert amount(sub, "i:AlreadyClaimedTaxableAmount") == sum(
            amount(d, "i:TaxableDepositAmount") for d in at_rate
        )
        for part in ("Taxable", "Tax", "TaxInclusive"):
            assert amount(sub, f"i:Difference{part}Amount") == amount(
                sub, f"i:{part}Amount" if part != "Taxable" else "i:TaxableAmount"
            ) - amount(sub, f"i:AlreadyClaimed{part}Amount")
    assert (
        amount(totals, "i:PayableAmount")
        == amount(totals, "i:DifferenceTaxInclusiveAmount")
        == Decimal("-1432.03")
    )
    return doc


def test_calendar_model_the_advances_are_taxed_on_their_due_dates(
    advances_2024, customer, calendar_model, tmp_path
):
    content = services.render_invoice_pdf(customer, advances_2024.pk, calendar_model).content
    text = pdf_text(content, tmp_path)
    deposits = check_pdf(text)
    pages = pdf_page_count(content, tmp_path)  # each carries the number and "strana X z Y"
    source = tmp_path / "invoice.pdf"
    source.write_bytes(content)
    for page in range(1, pages + 1):
        printed = tool("pdftotext", "-f", str(page), "-l", str(page), str(source), "-")
        assert "Faktura 2025000001" in printed and f"strana {page} z {pages}" in printed
    assert {d[0] for d in deposits} == {"AS-2024"}  # the calendar is their tax document
    # paid before its due date, the January advance is taxed on the payment day, at 10 %
    assert ("AS-2024", "10", Decimal("727.27"), Decimal("72.73"), Decimal(800)) in deposits
    assert "Zálohy byly zdaněny platebním kalendářem (§ 31a zákona o DPH)" in text
    exported = services.export_invoice_isdoc(customer, advances_2024.pk, calendar_model)
    check_isdoc(exported.content)


def test_payments_model_each_payment_is_deducted_with_its_tax_document(
    advances_2024, customer, payments_model, tmp_path
):
    content = services.render_invoice_pdf(customer, advances_2024.pk, payments_model).content
    text = pdf_text(content, tmp_path)
    deposits = check_pdf(text)
    numbers = [d[0] for d in deposits]
    assert len(set(numbers)) == 12
    assert all(re.fullmatch(r"ZD\d{4}\d{6}", number) for number in numbers)
    assert "Každá platba zálohy byla zdaněna vlastním daňovým dokladem" in text
    doc = check_isdoc(
        services.export_invoice_isdoc(customer, advances_2024.pk, payments_model).content
    )
    ids = doc.xpath("/i:Invoice/i:TaxedDeposits/i:TaxedDeposit/i:ID/text()", namespaces=NS)
    assert sorted(ids) == sorted(numbers)


def test_the_web_invoice_shows_the_same_settlement(advances_2024, world, customer, calendar_model):
    from tests.factories.accounts import client_for
    from tests.support.pages import sub

    page = client_for(customer).get(sub(world.invoices, "invoice", invoice_pk=advances_2024.pk))
    html = " ".join(page.content.decode().replace("\u00a0", " ").split())
    assert 'Přeplatek k vrácení</dt><dd class="num">1 432,03 Kč' in html
    assert "-1 432,03 Kč" not in html
    assert html.count("AS-2024") == 12
