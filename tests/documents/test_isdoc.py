"""ISDOC 6.0.2 of invoices and tax documents: valid against the official XSD (stored in
tests/fixtures/isdoc/) and carrying the right parties, dates and totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from portal.documents import services
from portal.models import Invoice, Payment, TaxDocument

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "isdoc" / "isdoc-invoice-6.0.2.xsd"
NS = {"i": "http://isdoc.cz/namespace/2013"}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def parse(content: bytes, schema: etree.XMLSchema) -> etree._Element:
    document = etree.fromstring(content)
    schema.assertValid(document)
    return document


def value(document: etree._Element, path: str) -> str:
    found = document.xpath(path, namespaces=NS)
    assert len(found) == 1, (path, found)
    return found[0].text or ""


def test_an_invoice_is_valid_isdoc_with_its_totals(world, business_customer, utility, schema):
    Payment.objects.filter(zis_id="P-2").delete()
    invoice = Invoice.objects.get(number="2025000002")
    exported = services.export_invoice_isdoc(business_customer, invoice.pk, utility)
    assert exported.filename == "faktura-2025000002.isdoc"
    doc = parse(exported.content, schema)
    assert doc.get("version") == "6.0.2"
    assert value(doc, "/i:Invoice/i:DocumentType") == "1"
    assert value(doc, "/i:Invoice/i:ID") == "2025000002"
    assert value(doc, "/i:Invoice/i:IssueDate") == "2025-01-08"
    assert value(doc, "/i:Invoice/i:TaxPointDate") == "2024-12-31"
    supplier = "/i:Invoice/i:AccountingSupplierParty/i:Party"
    assert value(doc, f"{supplier}/i:PartyIdentification/i:ID") == "25596641"
    assert value(doc, f"{supplier}/i:PartyTaxScheme/i:CompanyID") == "CZ25596641"
    assert value(doc, f"{supplier}/i:PostalAddress/i:StreetName") == "Nádražní"
    assert value(doc, f"{supplier}/i:PostalAddress/i:BuildingNumber") == "12"
    customer = "/i:Invoice/i:AccountingCustomerParty/i:Party"
    assert value(doc, f"{customer}/i:PartyName/i:Name") == "Pekárna U Mlýna s.r.o."
    assert value(doc, f"{customer}/i:PartyIdentification/i:ID") == "27074358"
    assert value(doc, f"{customer}/i:PartyIdentification/i:UserID") == "100002"
    assert value(doc, f"{customer}/i:PartyTaxScheme/i:CompanyID") == "CZ27074358"
    lines = doc.xpath("/i:Invoice/i:InvoiceLines/i:InvoiceLine", namespaces=NS)
    assert len(lines) == 3
    rain = lines[2]
    assert value(rain, "i:InvoicedQuantity") == "886.655"
    assert value(rain, "i:LineExtensionAmount") == "40165.47"
    assert value(rain, "i:LineExtensionTaxAmount") == "4819.86"
    assert value(rain, "i:ClassifiedTaxCategory/i:Percent") == "12"
    sub = "/i:Invoice/i:TaxTotal/i:TaxSubTotal"
    assert value(doc, f"{sub}/i:TaxableAmount") == "63541.47"
    assert value(doc, f"{sub}/i:TaxAmount") == "7624.98"
    assert value(doc, f"{sub}/i:TaxCategory/i:Percent") == "12"
    totals = "/i:Invoice/i:LegalMonetaryTotal"
    assert value(doc, f"{totals}/i:TaxExclusiveAmount") == "63541.47"
    assert value(doc, f"{totals}/i:TaxInclusiveAmount") == "71166.45"
    # ZIS deducted 24 000 Kč of advances the portal has no payments for: non-taxed deposits
    assert value(doc, f"{totals}/i:AlreadyClaimedTaxInclusiveAmount") == "0.00"
    assert value(doc, f"{totals}/i:PaidDepositsAmount") == "24000.00"
    assert value(doc, f"{totals}/i:PayableAmount") == "47166.45"
    payment = "/i:Invoice/i:PaymentMeans/i:Payment"
    assert value(doc, f"{payment}/i:PaidAmount") == "47166.45"
    assert value(doc, f"{payment}/i:Details/i:VariableSymbol") == "2025000002"
    assert value(doc, f"{payment}/i:Details/i:IBAN") == "CZ6508000000192000145399"
    assert value(doc, f"{payment}/i:Details/i:ID") == "19-2000145399"
    assert value(doc, f"{payment}/i:Details/i:BankCode") == "0800"


def test_the_same_invoice_always_has_the_same_uuid(world, customer, utility, schema):
    invoice = Invoice.objects.get(number="2025000001")
    first = parse(services.export_invoice_isdoc(customer, invoice.pk, utility).content, schema)
    again = parse(services.export_invoice_isdoc(customer, invoice.pk, utility).content, schema)
    assert value(first, "/i:Invoice/i:UUID") == value(again, "/i:Invoice/i:UUID")
    # an overpaid invoice asks for no payment
    assert value(first, "/i:Invoice/i:LegalMonetaryTotal/i:PayableAmount") == "-1432.03"
    assert first.xpath("/i:Invoice/i:PaymentMeans", namespaces=NS) == []


def test_a_tax_document_for_a_received_payment_is_document_type_5(
    world, customer, payments_model, schema
):
    payment = Payment.objects.get(zis_id="P-1")
    exported = services.export_tax_document_isdoc(customer, payment.pk, payments_model)
    number = TaxDocument.objects.get(payment=payment).number
    assert exported.filename == f"danovy-doklad-{number}.isdoc"
    doc = parse(exported.content, schema)
    assert value(doc, "/i:Invoice/i:DocumentType") == "5"
    assert value(doc, "/i:Invoice/i:ID") == number
    assert value(doc, "/i:Invoice/i:TaxPointDate") == "2025-01-14"
    assert value(doc, "/i:Invoice/i:TaxTotal/i:TaxSubTotal/i:TaxableAmount") == "714.29"
    assert value(doc, "/i:Invoice/i:TaxTotal/i:TaxAmount") == "85.71"
    assert value(doc, "/i:Invoice/i:LegalMonetaryTotal/i:TaxInclusiveAmount") == "800.00"
    assert value(doc, "/i:Invoice/i:LegalMonetaryTotal/i:PayableAmount") == "0.00"


def test_a_household_is_identified_by_its_customer_number(world, customer, payments_model, schema):
    payment = Payment.objects.get(zis_id="P-1")
    Payment.objects.filter(pk=payment.pk).update(received_on=dt.date(2023, 12, 20))
    doc = parse(
        services.export_tax_document_isdoc(customer, payment.pk, payments_model).content, schema
    )
    party = "/i:Invoice/i:AccountingCustomerParty/i:Party"
    assert value(doc, f"{party}/i:PartyIdentification/i:ID") == "100001"
    assert doc.xpath(f"{party}/i:PartyTaxScheme", namespaces=NS) == []
    assert value(doc, "/i:Invoice/i:TaxTotal/i:TaxSubTotal/i:TaxCategory/i:Percent") == "10"


def test_invoice_lines_carry_the_unit_code_and_their_period(world, customer, utility, schema):
    invoice = Invoice.objects.get(number="2025000001")
    doc = parse(services.export_invoice_isdoc(customer, invoice.pk, utility).content, schema)
    lines = doc.xpath("/i:Invoice/i:InvoiceLines/i:InvoiceLine", namespaces=NS)
    assert [line.find("i:InvoicedQuantity", NS).get("unitCode") for line in lines] == ["MTQ"] * 2
    assert [value(line, "i:Note") for line in lines] == ["01.01.2024–31.12.2024"] * 2
    assert value(lines[0], "i:Item/i:Description") == "Vodné 01.01.2024–31.12.2024"
    assert not doc.xpath("//i:ID[not(normalize-space())]", namespaces=NS)
