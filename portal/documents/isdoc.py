"""ISDOC 6.0.2, the Czech e-invoice XML, of invoices (DocumentType 1) and tax documents for
received advance payments (DocumentType 5).

Namespace ``http://isdoc.cz/namespace/2013``; every element the schema requires is written, in
its order (the tests validate against the official XSD in `tests/fixtures/isdoc/`).

Choices:
- The document's UUID is derived from its kind and number (uuid5), so the same document always
  carries the same UUID.
- A settlement invoice carries the advances it deducts as `TaxedDeposits` (one per advance
  payment: its tax document's number, or the payment calendar's under § 31a, and its tax base and
  total at its rate). Per rate, `AlreadyClaimed…` is what the advances taxed and `Difference…`
  what this invoice taxes (§ 37a). `PaidDepositsAmount` holds only advances ZIS deducted that
  the portal has no payment for (normally zero); `PayableAmount` = the difference − those =
  total − advances = the balance. Nothing is claimed twice.
- Units are UN/ECE Recommendation 20 codes: cubic metre `MTQ`, piece `C62`.
- Each line's billing period is in its `Note` and its description.
- A customer without an IČO (a household) is identified by its customer number in
  `PartyIdentification/ID`, never by an empty element.
- A tax document for a received payment is already paid: `PaidDepositsAmount` is its total and
  `PayableAmount` zero; it has no payment means.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from lxml import etree
from stdnum.cz import bankaccount

from portal.lib.money import ZERO, round_money
from portal.lib.vat import VatSplit

from .content import InvoiceDocument, TaxDocument, line_unit
from .parties import Party, Supplier

NAMESPACE = "http://isdoc.cz/namespace/2013"
VERSION = "6.0.2"
INVOICE = 1
TAX_DOCUMENT_FOR_PAYMENT = 5
UUID_NAMESPACE = uuid.UUID("0d3c1f0e-5b7a-4f51-9a53-7072616d656e")  # "pramen"
COUNTRY_NAMES = {"CZ": "Česká republika"}
BANK_TRANSFER = "42"
UNIT_CODES = {"m³": "MTQ", "ks": "C62", "": "C62"}


class _Builder:
    def __init__(self, document_type: int) -> None:
        self.root = etree.Element(f"{{{NAMESPACE}}}Invoice", nsmap={None: NAMESPACE})
        self.root.set("version", VERSION)
        self.add(self.root, "DocumentType", str(document_type))

    @staticmethod
    def add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
        if text is not None:
            element.text = text
        return element

    def tostring(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _money(value: Decimal) -> str:
    return f"{round_money(value):f}"


def _date(value: dt.date) -> str:
    return value.isoformat()


def _document_uuid(kind: str, number: str) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{number}")).upper()


def _header(
    builder: _Builder,
    *,
    kind: str,
    number: str,
    issued_on: dt.date,
    tax_point_on: dt.date,
    note: str,
) -> None:
    add, root = builder.add, builder.root
    add(root, "ID", number)
    add(root, "UUID", _document_uuid(kind, number))
    add(root, "IssuingSystem", "Pramen")
    add(root, "IssueDate", _date(issued_on))
    add(root, "TaxPointDate", _date(tax_point_on))
    add(root, "VATApplicable", "true")
    add(root, "ElectronicPossibilityAgreementReference", "")
    add(root, "Note", note)
    add(root, "LocalCurrencyCode", "CZK")
    add(root, "CurrRate", "1")
    add(root, "RefCurrRate", "1")


def _party(builder: _Builder, wrapper: str, party: Party) -> None:
    add = builder.add
    element = add(add(builder.root, wrapper), "Party")
    identification = add(element, "PartyIdentification")
    if party.number:
        add(identification, "UserID", party.number)
    add(identification, "ID", party.ico or party.number)
    add(add(element, "PartyName"), "Name", party.name)
    address = add(element, "PostalAddress")
    add(address, "StreetName", party.postal.street)
    add(address, "BuildingNumber", party.postal.building_number)
    add(address, "CityName", party.postal.city)
    add(address, "PostalZone", party.postal.postcode)
    country = add(address, "Country")
    add(country, "IdentificationCode", party.postal.country)
    add(country, "Name", COUNTRY_NAMES.get(party.postal.country, party.postal.country))
    if party.dic:
        scheme = add(element, "PartyTaxScheme")
        add(scheme, "CompanyID", party.dic)
        add(scheme, "TaxScheme", "VAT")
    if party.phone or party.email:
        contact = add(element, "Contact")
        if party.phone:
            add(contact, "Telephone", party.phone)
        if party.email:
            add(contact, "ElectronicMail", party.email)


def _tax_category(builder: _Builder, parent: etree._Element, rate: Decimal) -> None:
    category = builder.add(parent, "ClassifiedTaxCategory")
    builder.add(category, "Percent", f"{rate.normalize():f}")
    builder.add(category, "VATCalculationMethod", "0")  # computed from the tax base
    builder.add(category, "VATApplicable", "true")


def _line(
    builder: _Builder,
    lines: etree._Element,
    position: int,
    *,
    description: str,
    quantity: Decimal,
    unit: str,
    unit_price: Decimal,
    split: VatSplit,
    note: str = "",
) -> None:
    add = builder.add
    line = add(lines, "InvoiceLine")
    add(line, "ID", str(position))
    code = UNIT_CODES.get(line_unit(unit), line_unit(unit))
    add(line, "InvoicedQuantity", f"{quantity.normalize():f}").set("unitCode", code)
    add(line, "LineExtensionAmount", _money(split.base))
    add(line, "LineExtensionAmountTaxInclusive", _money(split.total))
    add(line, "LineExtensionTaxAmount", _money(split.vat))
    add(line, "UnitPrice", f"{unit_price:f}")
    gross = unit_price * (Decimal(100) + split.rate) / Decimal(100)
    add(line, "UnitPriceTaxInclusive", _money(gross))
    _tax_category(builder, line, split.rate)
    if note:
        add(line, "Note", note)
    add(add(line, "Item"), "Description", f"{description} {note}".strip())


def _tax_total(
    builder: _Builder,
    rows: list[tuple[VatSplit, VatSplit]],
    total_vat: Decimal,
) -> None:
    """The recapitulation: per rate (supply, taxed already by advances)."""
    add = builder.add
    tax_total = add(builder.root, "TaxTotal")
    for split, claimed in rows:
        sub = add(tax_total, "TaxSubTotal")
        add(sub, "TaxableAmount", _money(split.base))
        add(sub, "TaxAmount", _money(split.vat))
        add(sub, "TaxInclusiveAmount", _money(split.total))
        add(sub, "AlreadyClaimedTaxableAmount", _money(claimed.base))
        add(sub, "AlreadyClaimedTaxAmount", _money(claimed.vat))
        add(sub, "AlreadyClaimedTaxInclusiveAmount", _money(claimed.total))
        add(sub, "DifferenceTaxableAmount", _money(split.base - claimed.base))
        add(sub, "DifferenceTaxAmount", _money(split.vat - claimed.vat))
        add(sub, "DifferenceTaxInclusiveAmount", _money(split.total - claimed.total))
        category = add(sub, "TaxCategory")
        add(category, "Percent", f"{split.rate.normalize():f}")
        add(category, "VATApplicable", "true")
    add(tax_total, "TaxAmount", _money(total_vat))


def _monetary_total(
    builder: _Builder,
    supply: VatSplit,
    claimed: VatSplit,
    deposits: Decimal,
    payable: Decimal,
) -> None:
    add = builder.add
    totals = add(builder.root, "LegalMonetaryTotal")
    add(totals, "TaxExclusiveAmount", _money(supply.base))
    add(totals, "TaxInclusiveAmount", _money(supply.total))
    add(totals, "AlreadyClaimedTaxExclusiveAmount", _money(claimed.base))
    add(totals, "AlreadyClaimedTaxInclusiveAmount", _money(claimed.total))
    add(totals, "DifferenceTaxExclusiveAmount", _money(supply.base - claimed.base))
    add(totals, "DifferenceTaxInclusiveAmount", _money(supply.total - claimed.total))
    add(totals, "PaidDepositsAmount", _money(deposits))
    add(totals, "PayableAmount", _money(payable))


def _taxed_deposits(builder: _Builder, document: InvoiceDocument) -> None:
    if not document.deposits:
        return
    add = builder.add
    deposits = add(builder.root, "TaxedDeposits")
    for deposit in document.deposits:
        element = add(deposits, "TaxedDeposit")
        add(element, "ID", deposit.document_number or f"{document.variable_symbol}")
        add(element, "VariableSymbol", document.variable_symbol)
        add(element, "TaxableDepositAmount", _money(deposit.split.base))
        add(element, "TaxInclusiveDepositAmount", _money(deposit.split.total))
        _tax_category(builder, element, deposit.split.rate)


def _payment_means(
    builder: _Builder, supplier: Supplier, amount: Decimal, due_on: dt.date, symbol: str
) -> None:
    if amount <= 0 or not supplier.account:
        return
    add = builder.add
    payment = add(add(builder.root, "PaymentMeans"), "Payment")
    add(payment, "PaidAmount", _money(amount))
    add(payment, "PaymentMeansCode", BANK_TRANSFER)
    details = add(payment, "Details")
    add(details, "PaymentDueDate", _date(due_on))
    number, _slash, bank_code = supplier.account.partition("/")
    add(details, "ID", number)
    add(details, "BankCode", bank_code)
    add(details, "Name", "")
    add(details, "IBAN", supplier.iban)
    add(details, "BIC", bankaccount.to_bic(supplier.account) or "")
    add(details, "VariableSymbol", symbol)


def invoice_isdoc(document: InvoiceDocument) -> bytes:
    """The ISDOC (DocumentType 1) of an invoice."""
    builder = _Builder(INVOICE)
    _header(
        builder,
        kind="invoice",
        number=document.number,
        issued_on=document.issued_on,
        tax_point_on=document.tax_point_on,
        note=document.title,
    )
    _party(builder, "AccountingSupplierParty", document.supplier)
    _party(builder, "AccountingCustomerParty", document.customer)
    lines = builder.add(builder.root, "InvoiceLines")
    for position, line in enumerate(document.lines, start=1):
        quantity = line.quantity if line.quantity else Decimal(1)
        unit_price = line.unit_price if line.unit_price is not None else line.base
        period = ""
        if line.period_start and line.period_end:
            period = f"{line.period_start:%d.%m.%Y}–{line.period_end:%d.%m.%Y}"
        _line(
            builder,
            lines,
            position,
            description=line.description,
            quantity=quantity,
            unit=line.unit if line.quantity else "",
            unit_price=unit_price,
            split=VatSplit(line.vat_rate, line.base, line.vat, line.total),
            note=period,
        )
    _taxed_deposits(builder, document)
    rows = [(row.supply, row.advances) for row in document.rates]
    _tax_total(builder, rows, document.total_vat)
    supply = VatSplit(ZERO, document.total_base, document.total_vat, document.total)
    base, vat = document.advances_base, document.advances_vat
    claimed = VatSplit(ZERO, base, vat, base + vat)
    unitemised = document.unitemised
    _monetary_total(builder, supply, claimed, unitemised, supply.total - claimed.total - unitemised)
    _payment_means(
        builder, document.supplier, document.balance, document.due_on, document.variable_symbol
    )
    return builder.tostring()


def tax_document_isdoc(document: TaxDocument) -> bytes:
    """The ISDOC (DocumentType 5) of a tax document for a received advance payment."""
    builder = _Builder(TAX_DOCUMENT_FOR_PAYMENT)
    _header(
        builder,
        kind="tax-document",
        number=document.number,
        issued_on=document.issued_on,
        tax_point_on=document.tax_point_on,
        note=document.title,
    )
    _party(builder, "AccountingSupplierParty", document.supplier)
    _party(builder, "AccountingCustomerParty", document.customer)
    lines = builder.add(builder.root, "InvoiceLines")
    _line(
        builder,
        lines,
        1,
        description=document.subject,
        quantity=Decimal(1),
        unit="",
        unit_price=document.split.base,
        split=document.split,
    )
    nothing = VatSplit(document.split.rate, ZERO, ZERO, ZERO)
    _tax_total(builder, [(document.split, nothing)], document.split.vat)
    _monetary_total(builder, document.split, nothing, document.split.total, ZERO)
    return builder.tostring()
