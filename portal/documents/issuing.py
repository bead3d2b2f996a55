"""Issuing tax documents for received advance payments (the "payments" VAT model).

Rules (DOMAIN.md, docs/documents.md):
- One document per received payment of an advance, never per advance: a second payment of the
  same advance gets a second document with its own number.
- A payment received on or after the day the invoice settling its advance's period was issued is
  a payment of that invoice, not an advance: it gets no document.
- Number: ZIS's (`Payment.zis_tax_document_number`) when the batch carried one; otherwise the
  portal's own series, prefix + year of issue + six-digit sequence ("ZD2026000001"), taken in the
  same transaction that stores the document, so a rollback leaves no gap.
- Issued on = the day the document was first issued; DUZP = the payment day; rate = the rate in
  force on the DUZP; VAT = amount × rate / (100 + rate) rounded to the haléř.
- Once stored, a document is never changed.
- Issuing starts a new data generation (`portal.lib.generations`): the pages and documents kept
  for the generation show the payment with its document's number at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from portal.billing.models import Invoice, Payment
from portal.lib import generations
from portal.lib.vat import split_gross, water_vat_rate_on

from .models import TaxDocument, TaxDocumentSeries

logger = logging.getLogger(__name__)

SEQUENCE_DIGITS = 6


def settling_invoices() -> QuerySet[Invoice]:
    """Invoices that settle the outer payment's advance and were issued by its payment day."""
    return Invoice.objects.filter(
        supply_point=OuterRef("advance__schedule__supply_point"),
        period_start__lte=OuterRef("advance__due_on"),
        period_end__gte=OuterRef("advance__due_on"),
        issued_on__lte=OuterRef("received_on"),
    )


def advance_payments() -> QuerySet[Payment]:
    """Payments that are advances: matched to an advance, positive, received before the invoice
    of the advance's period was issued."""
    return (
        Payment.objects.filter(advance__isnull=False, amount__gt=0)
        .annotate(settled=Exists(settling_invoices()))
        .filter(settled=False)
    )


def pending_payments() -> QuerySet[Payment]:
    """Advance payments without a tax document yet."""
    return advance_payments().filter(tax_document__isnull=True)


def next_number(prefix: str, year: int) -> str:
    """The next number of the series; call inside the transaction that stores the document."""
    series, _created = TaxDocumentSeries.objects.get_or_create(prefix=prefix, year=year)
    TaxDocumentSeries.objects.filter(pk=series.pk).update(last=F("last") + 1)
    last = TaxDocumentSeries.objects.select_for_update().get(pk=series.pk).last
    return f"{prefix}{year}{last:0{SEQUENCE_DIGITS}d}"


def issue(payment: Payment, prefix: str, today: dt.date | None = None) -> TaxDocument:
    """The payment's tax document: the stored one, or a new one issued `today`.

    The caller makes sure the payment is an advance payment (`advance_payments`)."""
    document, issued = _issue(payment, prefix, today)
    if issued:
        generations.bump_on_commit()
    return document


def _issue(payment: Payment, prefix: str, today: dt.date | None = None) -> tuple[TaxDocument, bool]:
    """`issue` without a new data generation; also says whether the document is new."""
    today = today or timezone.localdate()
    existing = TaxDocument.objects.filter(payment=payment).first()
    if existing is not None:
        return existing, False
    split = split_gross(payment.amount, water_vat_rate_on(payment.received_on))
    zis_number = payment.zis_tax_document_number.strip()
    try:
        with transaction.atomic():
            number = zis_number or next_number(prefix, today.year)
            document = TaxDocument.objects.create(
                number=number,
                numbered_by=TaxDocument.NumberedBy.ZIS
                if zis_number
                else TaxDocument.NumberedBy.PORTAL,
                payment=payment,
                customer_id=payment.customer_id,
                payment_zis_id=payment.zis_id,
                variable_symbol=payment.variable_symbol,
                issued_on=today,
                tax_point_on=payment.received_on,
                vat_rate=split.rate,
                base=split.base,
                vat=split.vat,
                total=split.total,
            )
    except IntegrityError:
        # Issued meanwhile by another process (the number taken in the rolled-back transaction
        # was released with it), or ZIS's number is used already: keep what is stored.
        existing = TaxDocument.objects.filter(payment=payment).first()
        if existing is None:
            raise
        return existing, False
    return document, True


def issue_pending(prefix: str, today: dt.date | None = None, limit: int = 5000) -> int:
    """Issue the documents of advance payments that have none; return how many were issued
    (one new data generation for all of them)."""
    issued = 0
    for payment in pending_payments().order_by("received_on", "pk")[:limit]:
        _issue(payment, prefix, today)
        issued += 1
    if issued:
        generations.bump_on_commit()
        logger.info("Issued %d tax documents for received payments", issued)
    return issued
