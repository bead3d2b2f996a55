"""What each printed document shows, as plain values: parties, figures, dates, QR payments.

The builders read the database (always through the user: another customer's object is a 404)
and return frozen dataclasses of strings, Decimals and dates. Everything a document shows is
in its dataclass, so its fingerprint (`fingerprint`) changes exactly when the printout would:
that is the cache key of the rendered PDF (see `cache.py`).

Decisions (see docs/documents.md):
- Documents are Czech: a tax document is kept ten years and must read the same whoever
  downloads it, so they are rendered in Czech whatever the interface language.
- The utility's VAT model for advances (`UtilitySettings.advance_tax_documents`) decides whether
  the payment calendar is the tax document (§ 31a) or each received payment gets one; never both.
- A tax document for a received payment is issued once per payment (`issuing.py`) and printed
  from what was stored then.
- The invoice's meter table shows, per meter, the readings that open and close the billed
  interval: the period starts with the reading on its first day and ends with the reading on the
  day after its last day (the settlement reading); a meter replaced in the period shows start →
  final reading, the new one initial → end. Their consumption adds up to the billed water.
- QR Platba only where a bank transfer is the way to pay: never for a supply point paying
  through SIPO; the invoice's asks for what is still outstanding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_pages.models import UtilitySettings
from portal.billing.models import (
    Advance,
    AdvanceSchedule,
    Invoice,
    InvoiceLine,
    Meter,
    Payment,
    Reading,
    VatSummaryLine,
)
from portal.billing.services import invoices as billing
from portal.billing.services import settlement as settlements
from portal.lib.formatting import normalise_unit as line_unit
from portal.lib.money import ZERO, round_volume, to_decimal, total
from portal.lib.vat import VatSplit, split_gross, sum_splits

from . import issuing
from .models import TaxDocument as StoredTaxDocument
from .parties import (
    Party,
    Place,
    PostalAddress,
    Supplier,
    customer_party,
    payment_qr,
    place_of,
    supplier_from,
)
from .qr import PIXELS_PER_MODULE, QUIET_ZONE, QrPayment, qr_code

__all__ = [
    "AdvanceRow",
    "DepositRow",
    "DocumentNotIssued",
    "InvoiceDocument",
    "LineRow",
    "MeterRow",
    "Party",
    "Place",
    "PostalAddress",
    "RateRow",
    "ReadingEnd",
    "ScheduleDocument",
    "Supplier",
    "TaxDocument",
    "fingerprint",
    "line_unit",
    "payment_qr",
    "sum_splits",
]

ONE_DAY = dt.timedelta(days=1)


class DocumentNotIssued(Exception):
    """The document does not exist: e.g. a tax document for a payment that is not an advance
    payment, or any such document when the payment calendar is the tax document."""


def is_calendar_model(utility: UtilitySettings) -> bool:
    return settlements.vat_model(utility) == settlements.CALENDAR


def sipo_number(point: Any) -> str:
    """The SIPO connection number when the supply point pays through SIPO, else ""."""
    if point is None or point.payment_method != "sipo":
        return ""
    return point.sipo_number


# --- Invoice ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingEnd:
    """One reading that opens or closes a billed interval."""

    date: dt.date
    value: Decimal
    kind: str  # as printed: "odečet", "odhad", "výměna – konečný stav"…
    estimated: bool


@dataclass(frozen=True)
class MeterRow:
    serial_number: str
    start: ReadingEnd
    end: ReadingEnd

    @property
    def consumption(self) -> Decimal:
        return self.end.value - self.start.value


@dataclass(frozen=True)
class LineRow:
    description: str
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: Decimal | None
    unit: str
    unit_price: Decimal | None
    base: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal

    @property
    def label(self) -> str:
        return self.description


@dataclass(frozen=True)
class DepositRow:
    """An advance payment the invoice deducts, with the VAT already taxed on it."""

    document_number: str
    due_on: dt.date
    received_on: dt.date
    tax_point_on: dt.date
    split: VatSplit


@dataclass(frozen=True)
class RateRow:
    """Per VAT rate: the whole supply, the advances taxed already, the difference taxed now."""

    rate: Decimal
    supply: VatSplit
    advances: VatSplit
    difference: VatSplit


@dataclass(frozen=True)
class InvoiceDocument:
    kind = "invoice"
    pk: int
    number: str
    variable_symbol: str
    issued_on: dt.date
    tax_point_on: dt.date
    due_on: dt.date
    period_start: dt.date
    period_end: dt.date
    supplier: Supplier
    customer: Party
    place: Place | None
    meters: tuple[MeterRow, ...]
    lines: tuple[LineRow, ...]
    vat_summary: tuple[VatSplit, ...]
    total_base: Decimal
    total_vat: Decimal
    total: Decimal
    advances_paid: Decimal
    balance: Decimal
    paid: Decimal
    outstanding: Decimal
    calendar_model: bool
    deposits: tuple[DepositRow, ...]
    rates: tuple[RateRow, ...]
    unitemised: Decimal = ZERO  # advances ZIS deducted without the portal knowing their VAT
    sipo_number: str = ""
    qr: QrPayment | None = field(default=None)

    @property
    def is_overpaid(self) -> bool:
        return self.balance < 0

    @property
    def overpayment(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO

    @property
    def advances_base(self) -> Decimal:
        return total(row.advances.base for row in self.rates)

    @property
    def advances_vat(self) -> Decimal:
        return total(row.advances.vat for row in self.rates)

    @property
    def difference_base(self) -> Decimal:
        return total(row.difference.base for row in self.rates)

    @property
    def difference_vat(self) -> Decimal:
        return total(row.difference.vat for row in self.rates)

    @property
    def title(self) -> str:
        return _("Invoice %(number)s") % {"number": self.number}

    @property
    def filename(self) -> str:
        return f"faktura-{self.number}"


def build_invoice(user: Any, invoice: Invoice, utility: UtilitySettings) -> InvoiceDocument:
    """The invoice document of `invoice` (already fetched for `user`)."""
    supplier = supplier_from(utility)
    lines = InvoiceLine.objects.for_user(user).filter(invoice=invoice).order_by("position")
    summary = VatSummaryLine.objects.for_user(user).filter(invoice=invoice).order_by("vat_rate")
    payments = Payment.objects.for_user(user).filter(invoice=invoice)
    paid = total(payments.values_list("amount", flat=True))
    outstanding = to_decimal(invoice.balance) - paid
    message = _("Invoice %(number)s") % {"number": invoice.number}
    model = settlements.vat_model(utility)
    if model == settlements.PAYMENTS:
        _issue_deposit_documents(user, invoice, utility)
    settled = settlements.settle(user, invoice, model)
    sipo = sipo_number(invoice.supply_point)
    return InvoiceDocument(
        pk=invoice.pk,
        number=invoice.number,
        variable_symbol=invoice.variable_symbol,
        issued_on=invoice.issued_on,
        tax_point_on=invoice.tax_point_on,
        due_on=invoice.due_on,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        supplier=supplier,
        customer=customer_party(invoice.customer),
        place=place_of(invoice.supply_point),
        meters=tuple(meter_rows(user, invoice)),
        lines=tuple(_line_row(line) for line in lines),
        vat_summary=tuple(
            VatSplit(rate=row.vat_rate, base=row.base, vat=row.vat, total=row.total)
            for row in summary
        ),
        total_base=invoice.total_base,
        total_vat=invoice.total_vat,
        total=invoice.total,
        advances_paid=invoice.advances_paid,
        balance=invoice.balance,
        paid=paid,
        outstanding=outstanding,
        calendar_model=model == settlements.CALENDAR,
        deposits=tuple(
            DepositRow(d.document_number, d.due_on, d.received_on, d.tax_point_on, d.split)
            for d in settled.deposits
        ),
        rates=tuple(
            RateRow(row.rate, row.supply, row.advances, row.difference) for row in settled.rates
        ),
        unitemised=settled.unitemised,
        sipo_number=sipo,
        qr=None if sipo else payment_qr(supplier, outstanding, invoice.variable_symbol, message),
    )


def _issue_deposit_documents(user: Any, invoice: Invoice, utility: UtilitySettings) -> None:
    """The advance payments an invoice deducts carry their tax documents' numbers: issue any
    not issued yet (normally the periodic task has)."""
    pending = settlements.deposit_payments(user, invoice).filter(tax_document__isnull=True)
    for payment in pending:
        issuing.issue(payment, utility.tax_document_prefix)


def _line_row(line: InvoiceLine) -> LineRow:
    return LineRow(
        description=line.label,
        period_start=line.period_start,
        period_end=line.period_end,
        quantity=line.quantity,
        unit=line_unit(line.unit),
        unit_price=line.unit_price,
        base=line.base,
        vat_rate=line.vat_rate,
        vat=line.vat,
        total=line.total,
    )


READING_FIELDS = ("date", "value", "kind", "replacement")


def _reading_annotations(name: str, readings: Any) -> dict[str, Subquery]:
    return {f"{name}_{part}": Subquery(readings.values(part)[:1]) for part in READING_FIELDS}


def meter_rows(user: Any, invoice: Invoice) -> list[MeterRow]:
    """For each meter billed in the invoice's period, the readings that open and close its
    interval (see the module): opening = the last reading on or before the period's first day,
    or, for a meter installed in the period, its first reading in it; closing = its last reading
    up to the day after the period's last day. One query whatever the number of readings."""
    if invoice.supply_point_id is None:
        return []
    start, closing = invoice.period_start, invoice.period_end + ONE_DAY
    readings = Reading.objects.filter(meter=OuterRef("pk"))
    within = readings.filter(date__gt=start, date__lte=closing)
    meters = (
        Meter.objects.for_user(user)
        .filter(supply_point_id=invoice.supply_point_id, installed_on__lte=closing)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=start))
        .annotate(
            **_reading_annotations(
                "before", readings.filter(date__lte=start).order_by("-date", "-pk")
            ),
            **_reading_annotations("first", within.order_by("date", "pk")),
            **_reading_annotations("last", within.order_by("-date", "-pk")),
        )
        .order_by("installed_on", "pk")
    )
    rows = []
    for meter in meters:
        opening = _reading_end(meter, "before") or _reading_end(meter, "first")
        end = _reading_end(meter, "last")
        if opening is None or end is None or end.date <= opening.date:
            continue  # no interval of this meter in the period
        rows.append(MeterRow(serial_number=meter.serial_number, start=opening, end=end))
    return rows


def _reading_end(meter: Meter, name: str) -> ReadingEnd | None:
    day = getattr(meter, f"{name}_date")
    if day is None:
        return None
    kind = getattr(meter, f"{name}_kind")
    role = getattr(meter, f"{name}_replacement")
    if kind == Reading.Kind.REPLACEMENT:
        label = str(Reading.Replacement(role).label) if role else str(Reading.Kind(kind).label)
    else:
        label = str(Reading.Kind(kind).label)
    return ReadingEnd(
        date=day,
        value=round_volume(to_decimal(getattr(meter, f"{name}_value"))),
        kind=label,
        estimated=kind == Reading.Kind.ESTIMATED,
    )


# --- Payment calendar (advance payment schedule) ----------------------------------------------


@dataclass(frozen=True)
class AdvanceRow:
    due_on: dt.date
    split: VatSplit
    paid: Decimal
    outstanding: Decimal
    qr: QrPayment | None


@dataclass(frozen=True)
class ScheduleDocument:
    kind = "schedule"
    pk: int
    number: str
    variable_symbol: str
    issued_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    frequency: str
    amount: Decimal
    supplier: Supplier
    customer: Party
    place: Place
    advances: tuple[AdvanceRow, ...]
    vat_summary: tuple[VatSplit, ...]
    total: Decimal
    is_tax_document: bool  # the calendar model (§ 31a)
    sipo_number: str = ""
    # "Report your meter reading": the reading invitation's link and its QR code (data: URL)
    reading_url: str = ""
    reading_qr: str = ""

    @property
    def title(self) -> str:
        return _("Payment calendar %(number)s") % {"number": self.number}

    @property
    def filename(self) -> str:
        return f"platebni-kalendar-{self.number}"


# A feature above the documents (portal.mailings, registered at start-up) gives a payment
# calendar the link of its supply point's reading invitation: schedule → absolute URL or "".
reading_link_provider: Callable[[AdvanceSchedule], str] | None = None


def reading_link(schedule: AdvanceSchedule) -> tuple[str, str]:
    """The reading invitation's link of the calendar's supply point and its QR code, or ("", "")."""
    url = reading_link_provider(schedule) if reading_link_provider is not None else ""
    if not url:
        return "", ""
    code = qr_code(url)
    return url, code.png_data_uri(scale=PIXELS_PER_MODULE, border=QUIET_ZONE)


def get_schedule_for_user(user: Any, schedule_pk: int) -> AdvanceSchedule:
    schedules = AdvanceSchedule.objects.for_user(user).select_related("supply_point", "customer")
    return get_object_or_404(schedules, pk=schedule_pk)


def build_schedule(
    user: Any, schedule: AdvanceSchedule, utility: UtilitySettings
) -> ScheduleDocument:
    """The payment calendar of `schedule`: every advance, with its QR Platba where the advances
    are paid by bank transfer (none for SIPO payers)."""
    supplier = supplier_from(utility)
    sipo = sipo_number(schedule.supply_point)
    advances = (
        Advance.objects.for_user(user)
        .filter(schedule=schedule)
        .annotate(paid=billing.paid_amount("advance"))
        .order_by("due_on", "pk")
    )
    rows = []
    for advance in advances:
        paid = to_decimal(advance.paid)
        outstanding = max(to_decimal(advance.amount) - paid, ZERO)
        message = _("Advance due %(date)s, supply point %(number)s") % {
            "date": advance.due_on.strftime("%d.%m.%Y"),
            "number": schedule.supply_point.number,
        }
        qr = None if sipo else payment_qr(supplier, outstanding, schedule.variable_symbol, message)
        rows.append(
            AdvanceRow(
                due_on=advance.due_on,
                split=split_gross(advance.amount, advance.vat_rate),
                paid=paid,
                outstanding=outstanding,
                qr=qr,
            )
        )
    reading_url, reading_qr = reading_link(schedule)
    return ScheduleDocument(
        pk=schedule.pk,
        number=schedule.zis_id,
        variable_symbol=schedule.variable_symbol,
        issued_on=schedule.zis_updated_at.astimezone(timezone.get_current_timezone()).date(),
        valid_from=schedule.valid_from,
        valid_to=schedule.valid_to,
        frequency=str(schedule.get_frequency_display()),
        amount=schedule.amount,
        supplier=supplier,
        customer=customer_party(schedule.customer),
        place=place_of(schedule.supply_point),
        advances=tuple(rows),
        vat_summary=tuple(sum_splits([row.split for row in rows])),
        total=total(row.split.total for row in rows),
        is_tax_document=is_calendar_model(utility),
        sipo_number=sipo,
        reading_url=reading_url,
        reading_qr=reading_qr,
    )


# --- Tax document for a received advance payment ----------------------------------------------


@dataclass(frozen=True)
class TaxDocument:
    kind = "tax-document"
    pk: int  # the payment's
    number: str
    issued_on: dt.date
    tax_point_on: dt.date
    variable_symbol: str
    method: str
    advance_due_on: dt.date | None
    advance_amount: Decimal | None
    supplier: Supplier
    customer: Party
    place: Place | None
    split: VatSplit

    @property
    def vat_summary(self) -> tuple[VatSplit, ...]:
        return (self.split,)

    @property
    def subject(self) -> str:
        if self.advance_due_on is None:
            return _("Advance for water supply and sewage disposal")
        return _("Advance for water supply and sewage disposal due on %(date)s") % {
            "date": f"{self.advance_due_on.day}. {self.advance_due_on.month}. {self.advance_due_on.year}"
        }

    @property
    def title(self) -> str:
        return _("Tax document %(number)s") % {"number": self.number}

    @property
    def filename(self) -> str:
        return f"danovy-doklad-{self.number}"


def get_payment_for_user(user: Any, payment_pk: int) -> Payment:
    payments = Payment.objects.for_user(user).select_related(
        "advance__schedule__supply_point", "customer"
    )
    return get_object_or_404(payments, pk=payment_pk)


def issued_document(payment: Payment, utility: UtilitySettings) -> StoredTaxDocument:
    """The payment's tax document: the stored one (kept whatever changed since), or one issued
    now; DocumentNotIssued when the utility's calendar is the tax document or the payment is not
    an advance payment."""
    stored = StoredTaxDocument.objects.filter(payment=payment).first()
    if stored is not None:
        return stored
    if is_calendar_model(utility):
        raise DocumentNotIssued(payment.pk)
    if not issuing.advance_payments().filter(pk=payment.pk).exists():
        raise DocumentNotIssued(payment.pk)
    return issuing.issue(payment, utility.tax_document_prefix)


def build_tax_document(user: Any, payment: Payment, utility: UtilitySettings) -> TaxDocument:
    """The tax document of the received advance `payment` (see `issued_document`)."""
    stored = issued_document(payment, utility)
    advance = payment.advance  # None when ZIS matched the payment elsewhere since
    schedule = advance.schedule if advance is not None else None
    return TaxDocument(
        pk=payment.pk,
        number=stored.number,
        issued_on=stored.issued_on,
        tax_point_on=stored.tax_point_on,
        variable_symbol=stored.variable_symbol or (schedule.variable_symbol if schedule else ""),
        method=str(payment.get_method_display()),
        advance_due_on=advance.due_on if advance is not None else None,
        advance_amount=advance.amount if advance is not None else None,
        supplier=supplier_from(utility),
        customer=customer_party(payment.customer),
        place=place_of(schedule.supply_point if schedule else None),
        split=VatSplit(stored.vat_rate, stored.base, stored.vat, stored.total),
    )


# --- Fingerprint ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fingerprint(document: Any) -> str:
    """A hash of everything `document` shows (its dataclass fields, recursively)."""
    data = {"kind": document.kind, **dataclasses.asdict(document)}
    text = json.dumps(data, default=_plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
