"""What each printed document shows, as plain values: parties, figures, dates, QR payments.

The builders read the database (always through the user: another customer's object is a 404)
and return frozen dataclasses of strings, Decimals and dates. Everything a document shows is
in its dataclass, so its fingerprint (`fingerprint`) changes exactly when the printout would:
that is the cache key of the rendered PDF (see `cache.py`).

Decisions (see docs/features.md, Documents):
- Documents are Czech: a tax document is kept ten years and must read the same whoever
  downloads it, so they are rendered in Czech whatever the interface language.
- The schedule's document number is its ZIS id; a tax document for a received advance payment
  is numbered "ZD-" + the advance's ZIS id (deterministic, unique, stable across re-imports),
  dated on the (last) payment's day, which is also its tax point date.
- The invoice's QR Platba asks for what is still outstanding (balance − payments matched to the
  invoice); there is none when nothing is due.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
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
from portal.lib.money import ZERO, round_volume, to_decimal, total

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
from .qr import QrPayment
from .vat import VatSplit, split_gross, sum_splits

__all__ = [
    "AdvanceRow",
    "DocumentNotIssued",
    "InvoiceDocument",
    "LineRow",
    "MeterRow",
    "Party",
    "Place",
    "PostalAddress",
    "ReceivedPayment",
    "ScheduleDocument",
    "Supplier",
    "TaxDocument",
    "fingerprint",
    "payment_qr",
    "sum_splits",
]


class DocumentNotIssued(Exception):
    """The document does not exist (yet): e.g. a tax document for an advance nobody paid."""


# --- Invoice ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeterRow:
    serial_number: str
    from_date: dt.date | None
    from_value: Decimal | None
    to_date: dt.date | None
    to_value: Decimal | None

    @property
    def consumption(self) -> Decimal | None:
        if self.from_value is None or self.to_value is None:
            return None
        return self.to_value - self.from_value


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
    qr: QrPayment | None = field(default=None)

    @property
    def is_overpaid(self) -> bool:
        return self.balance < 0

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
        meters=tuple(_meter_rows(user, invoice)),
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
        qr=payment_qr(supplier, outstanding, invoice.variable_symbol, message),
    )


def _line_row(line: InvoiceLine) -> LineRow:
    return LineRow(
        description=line.description or str(line.get_kind_display()),
        period_start=line.period_start,
        period_end=line.period_end,
        quantity=line.quantity,
        unit="m³" if line.unit in ("m3", "m³") else line.unit,
        unit_price=line.unit_price,
        base=line.base,
        vat_rate=line.vat_rate,
        vat=line.vat,
        total=line.total,
    )


def _meter_rows(user: Any, invoice: Invoice) -> list[MeterRow]:
    """Each meter of the supply point in the period with its readings at the start and end.

    The start is the last reading on or before the period's first day (or, for a meter
    installed in the period, its first reading in it); the end is the last reading in the
    period. A replaced meter thus shows start → final reading, the new one initial → end.
    One query whatever the number of readings (remote-read meters have one a day).
    """
    if invoice.supply_point_id is None:
        return []
    start, end = invoice.period_start, invoice.period_end
    readings = Reading.objects.filter(meter=OuterRef("pk"))
    before = readings.filter(date__lte=start).order_by("-date", "-pk")
    within = readings.filter(date__gt=start, date__lte=end)
    first, last = within.order_by("date", "pk"), within.order_by("-date", "-pk")
    meters = (
        Meter.objects.for_user(user)
        .filter(supply_point_id=invoice.supply_point_id, installed_on__lte=end)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=start))
        .annotate(
            before_date=Subquery(before.values("date")[:1]),
            before_value=Subquery(before.values("value")[:1]),
            first_date=Subquery(first.values("date")[:1]),
            first_value=Subquery(first.values("value")[:1]),
            last_date=Subquery(last.values("date")[:1]),
            last_value=Subquery(last.values("value")[:1]),
        )
        .order_by("installed_on", "pk")
    )
    rows = []
    for meter in meters:
        has_before = meter.before_date is not None
        rows.append(
            MeterRow(
                serial_number=meter.serial_number,
                from_date=meter.before_date if has_before else meter.first_date,
                from_value=_volume(meter.before_value if has_before else meter.first_value),
                to_date=meter.last_date,
                to_value=_volume(meter.last_value),
            )
        )
    return rows


def _volume(value: Any) -> Decimal | None:
    return None if value is None else round_volume(to_decimal(value))


# --- Advance payment schedule -----------------------------------------------------------------


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

    @property
    def title(self) -> str:
        return _("Payment calendar %(number)s") % {"number": self.number}

    @property
    def filename(self) -> str:
        return f"platebni-kalendar-{self.number}"


def get_schedule_for_user(user: Any, schedule_pk: int) -> AdvanceSchedule:
    schedules = AdvanceSchedule.objects.for_user(user).select_related("supply_point", "customer")
    return get_object_or_404(schedules, pk=schedule_pk)


def build_schedule(
    user: Any, schedule: AdvanceSchedule, utility: UtilitySettings
) -> ScheduleDocument:
    """The payment calendar (§ 31a) of `schedule`: every advance with its QR Platba."""
    supplier = supplier_from(utility)
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
        rows.append(
            AdvanceRow(
                due_on=advance.due_on,
                split=split_gross(advance.amount, advance.vat_rate),
                paid=paid,
                outstanding=outstanding,
                qr=payment_qr(supplier, outstanding, schedule.variable_symbol, message),
            )
        )
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
    )


# --- Tax document for a received advance payment ----------------------------------------------


@dataclass(frozen=True)
class ReceivedPayment:
    received_on: dt.date
    method: str
    split: VatSplit


@dataclass(frozen=True)
class TaxDocument:
    kind = "tax-document"
    pk: int  # the advance's
    number: str
    issued_on: dt.date
    tax_point_on: dt.date
    variable_symbol: str
    advance_due_on: dt.date
    advance_amount: Decimal
    supplier: Supplier
    customer: Party
    place: Place
    payments: tuple[ReceivedPayment, ...]
    vat_summary: tuple[VatSplit, ...]
    total_base: Decimal
    total_vat: Decimal
    total: Decimal

    @property
    def title(self) -> str:
        return _("Tax document %(number)s") % {"number": self.number}

    @property
    def filename(self) -> str:
        return f"danovy-doklad-{self.number}"


def tax_document_number(advance: Advance) -> str:
    return f"ZD-{advance.zis_id}"


def get_advance_for_user(user: Any, advance_pk: int) -> Advance:
    advances = Advance.objects.for_user(user).select_related(
        "schedule__supply_point", "schedule__customer"
    )
    return get_object_or_404(advances, pk=advance_pk)


def build_tax_document(user: Any, advance: Advance, utility: UtilitySettings) -> TaxDocument:
    """The tax document for the payments received for `advance`; DocumentNotIssued if none."""
    payments = list(
        Payment.objects.for_user(user).filter(advance=advance).order_by("received_on", "pk")
    )
    if not payments:
        raise DocumentNotIssued(advance.pk)
    schedule = advance.schedule
    rows = tuple(
        ReceivedPayment(
            received_on=payment.received_on,
            method=str(payment.get_method_display()),
            split=split_gross(payment.amount, advance.vat_rate),
        )
        for payment in payments
    )
    summary = tuple(sum_splits([row.split for row in rows]))
    return TaxDocument(
        pk=advance.pk,
        number=tax_document_number(advance),
        issued_on=payments[-1].received_on,
        tax_point_on=payments[-1].received_on,
        variable_symbol=schedule.variable_symbol,
        advance_due_on=advance.due_on,
        advance_amount=advance.amount,
        supplier=supplier_from(utility),
        customer=customer_party(schedule.customer),
        place=place_of(schedule.supply_point),
        payments=rows,
        vat_summary=summary,
        total_base=total(split.base for split in summary),
        total_vat=total(split.vat for split in summary),
        total=total(split.total for split in summary),
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
