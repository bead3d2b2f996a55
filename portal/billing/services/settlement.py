"""What a settlement invoice deducts and taxes: the advances paid in its period (§ 37a).

The invoice (vyúčtování) shows, per VAT rate, the tax base and VAT of the whole supply (what ZIS
sends), the tax base and VAT of the advances already taxed, and taxes only the difference. The
balance is the total minus the advances paid (ZIS's `advances_paid`); should ZIS deduct more than
the advance payments the portal holds, the rest is shown as advances without VAT details.

Which payments are the invoice's advances: payments matched to an advance of the invoice's
supply point falling due in the invoice's period and received before the invoice's issue day.
A payment received on the issue day or later is a payment of the invoice, not an advance.

How each advance was taxed depends on the utility's VAT model for advances
(`UtilitySettings.advance_tax_documents`, docs/documents.md):

- *calendar* (§ 31a): the payment calendar is the tax document; an advance's date of taxable
  supply is its due date, or the payment day when paid earlier; its rate is the advance's rate
  from ZIS, or the rate in force on the payment day when paid earlier.
- *payments* (§ 28, § 37a): each received payment has its own tax document (`portal.documents`);
  its date of taxable supply is the payment day and its rate the one in force on that day; the
  stored document's number and figures are used once it is issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from wagtail.models import Site

from cms_pages.models import UtilitySettings
from portal.billing.models.invoices import Invoice, Payment, VatSummaryLine
from portal.lib.money import ZERO, total
from portal.lib.vat import VatSplit, difference, split_gross, sum_splits, water_vat_rate_on

CALENDAR = "calendar"
PAYMENTS = "payments"


@dataclass(frozen=True)
class Deposit:
    """One advance payment deducted in a settlement."""

    payment_pk: int
    due_on: dt.date
    received_on: dt.date
    tax_point_on: dt.date
    split: VatSplit
    document_number: str  # its tax document (payments model; "" until issued) or the calendar's


@dataclass(frozen=True)
class RateSettlement:
    """One VAT rate of the settlement: supply − advances taxed already = what this invoice taxes."""

    rate: Any
    supply: VatSplit
    advances: VatSplit
    difference: VatSplit


@dataclass(frozen=True)
class Settlement:
    deposits: tuple[Deposit, ...]
    rates: tuple[RateSettlement, ...]
    # What ZIS deducted (`Invoice.advances_paid`) beyond the advance payments the portal knows:
    # shown as advances without VAT details, never taxed again nor claimed (0 when all are known).
    unitemised: Any = ZERO

    @property
    def advances_total(self) -> Any:
        return total(deposit.split.total for deposit in self.deposits)

    @property
    def advances_base(self) -> Any:
        return total(deposit.split.base for deposit in self.deposits)

    @property
    def advances_vat(self) -> Any:
        return total(deposit.split.vat for deposit in self.deposits)

    @property
    def difference_base(self) -> Any:
        return total(row.difference.base for row in self.rates)

    @property
    def difference_vat(self) -> Any:
        return total(row.difference.vat for row in self.rates)

    @property
    def difference_total(self) -> Any:
        return total(row.difference.total for row in self.rates)


def vat_model(utility: UtilitySettings | None = None) -> str:
    """The utility's VAT model for advances: CALENDAR or PAYMENTS (the default site's when
    `utility` is not given)."""
    return (utility or default_utility()).advance_tax_documents


def default_utility() -> UtilitySettings:
    """The utility settings of the default site (unsaved defaults when there is none)."""
    site = Site.objects.filter(is_default_site=True).first()
    return UtilitySettings.for_site(site) if site else UtilitySettings()


def deposit_payments(user: Any, invoice: Invoice) -> QuerySet[Payment]:
    """The advance payments the invoice deducts (see the module), oldest first."""
    if invoice.supply_point_id is None:
        return Payment.objects.none()
    return (
        Payment.objects.for_user(user)
        .filter(
            advance__schedule__supply_point_id=invoice.supply_point_id,
            advance__due_on__gte=invoice.period_start,
            advance__due_on__lte=invoice.period_end,
            received_on__lt=invoice.issued_on,
            amount__gt=0,
        )
        .select_related("advance__schedule", "tax_document")
        .order_by("received_on", "pk")
    )


def deposit_of(payment: Payment, model: str) -> Deposit:
    advance = payment.advance
    if model == PAYMENTS:
        document = getattr(payment, "tax_document", None)
        if document is not None:
            split = VatSplit(document.vat_rate, document.base, document.vat, document.total)
            return Deposit(
                payment.pk,
                advance.due_on,
                payment.received_on,
                document.tax_point_on,
                split,
                document.number,
            )
        day = payment.received_on
        return Deposit(
            payment.pk,
            advance.due_on,
            day,
            day,
            split_gross(payment.amount, water_vat_rate_on(day)),
            "",
        )
    early = payment.received_on < advance.due_on
    day = payment.received_on if early else advance.due_on
    rate = water_vat_rate_on(day) if early else advance.vat_rate
    return Deposit(
        payment.pk,
        advance.due_on,
        payment.received_on,
        day,
        split_gross(payment.amount, rate),
        advance.schedule.zis_id,
    )


def settle(user: Any, invoice: Invoice, model: str) -> Settlement:
    """The invoice's deposits and its per-rate settlement under the VAT `model`."""
    deposits = tuple(deposit_of(payment, model) for payment in deposit_payments(user, invoice))
    supply = [
        VatSplit(row.vat_rate, row.base, row.vat, row.total)
        for row in VatSummaryLine.objects.for_user(user).filter(invoice=invoice)
    ]
    advances = sum_splits([deposit.split for deposit in deposits])
    rows = []
    for diff in difference(supply, advances):
        rate = diff.rate
        rows.append(
            RateSettlement(
                rate=rate,
                supply=_at(supply, rate),
                advances=_at(advances, rate),
                difference=diff,
            )
        )
    known = total(deposit.split.total for deposit in deposits)
    return Settlement(
        deposits=deposits, rates=tuple(rows), unitemised=invoice.advances_paid - known
    )


def _at(splits: list[VatSplit], rate: Any) -> VatSplit:
    found = [split for split in splits if split.rate.normalize() == rate]
    return sum_splits(found)[0] if found else VatSplit(rate=rate, base=ZERO, vat=ZERO, total=ZERO)
