"""Invoices, advances and payments of a customer, and what the customer owes or has overpaid.

Money is Decimal only. An invoice's outstanding amount is its balance (total − advances
deducted) minus the payments matched to it; an advance's is its amount minus its payments, owed
once due and until the invoice of its period settles it. The customer's balance adds those up
and subtracts the payments ZIS has not matched to anything yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.billing.models.customers import Customer
from portal.billing.models.invoices import (
    Advance,
    AdvanceSchedule,
    Invoice,
    InvoiceLine,
    Payment,
    VatSummaryLine,
)
from portal.billing.models.supply_points import SupplyPoint
from portal.lib.money import ZERO, round_money, to_decimal, total
from portal.lib.query import any_ignored, id_param, year_param

from .settlement import CALENDAR, Settlement, settle, vat_model
from .statuses import INVOICE_FILTERS, Status, advance_status, invoice_status

INVOICES_PER_PAGE = 20
SCHEDULES_PER_PAGE = 6
PAYMENTS_PER_PAGE = 30
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def paid_amount(matched_by: str) -> Coalesce:
    """Σ payments matched to the outer row (`matched_by` = "invoice" or "advance"); 0 if none."""
    payments = (
        Payment.objects.filter(**{matched_by: OuterRef("pk")})
        .order_by()
        .values(matched_by)
        .annotate(paid=Sum("amount"))
        .values("paid")
    )
    return Coalesce(Subquery(payments), Value(ZERO), output_field=MONEY_FIELD)


def settled_until() -> Subquery:
    """The end of the last invoiced period of the advance's supply point (None: none yet)."""
    invoices = Invoice.objects.filter(supply_point=OuterRef("schedule__supply_point"))
    return Subquery(invoices.order_by("-period_end").values("period_end")[:1])


# --- The customer's balance ------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    invoices: Decimal = ZERO  # outstanding on invoices (negative: overpayments to return)
    advances: Decimal = ZERO  # advances due and unpaid, not yet settled by an invoice
    unmatched: Decimal = ZERO  # payments received but not yet matched to anything

    @property
    def total(self) -> Decimal:
        """Positive: the customer owes it; negative: the customer has overpaid it."""
        return self.invoices + self.advances - self.unmatched

    @property
    def is_owed(self) -> bool:
        return self.total > 0

    @property
    def is_overpaid(self) -> bool:
        return self.total < 0

    @property
    def amount(self) -> Decimal:
        return abs(self.total)


def customer_balances(
    user: Any, customers: list[Customer], today: dt.date | None = None
) -> dict[int, Balance]:
    """The balance of each customer (by pk), in three queries whatever their number."""
    today = today or timezone.localdate()
    ids = [customer.pk for customer in customers]
    invoiced = dict(
        Invoice.objects.for_user(user)
        .filter(customer__in=ids)
        .order_by()
        .values_list("customer")
        .annotate(sum=Sum("balance"))
    )
    payments = {
        row["customer"]: row
        for row in Payment.objects.for_user(user)
        .filter(customer__in=ids)
        .order_by()
        .values("customer")
        .annotate(
            on_invoices=Sum("amount", filter=Q(invoice__isnull=False)),
            unmatched=Sum("amount", filter=Q(invoice__isnull=True, advance__isnull=True)),
        )
    }
    advances = _advances_owed(user, ids, today)
    return {
        pk: Balance(
            invoices=round_money(
                to_decimal(invoiced.get(pk)) - to_decimal(payments.get(pk, {}).get("on_invoices"))
            ),
            advances=round_money(advances.get(pk, ZERO)),
            unmatched=round_money(to_decimal(payments.get(pk, {}).get("unmatched"))),
        )
        for pk in ids
    }


def _advances_owed(user: Any, customer_ids: list[int], today: dt.date) -> dict[int, Decimal]:
    rows = (
        Advance.objects.for_user(user)
        .filter(schedule__customer__in=customer_ids, due_on__lte=today)
        .annotate(paid=paid_amount("advance"), settled_until=settled_until())
        .filter(Q(settled_until__isnull=True) | Q(due_on__gt=F("settled_until")))
        .values_list("schedule__customer", "amount", "paid")
    )
    owed: dict[int, Decimal] = {}
    for customer_id, amount, paid in rows:
        owed[customer_id] = owed.get(customer_id, ZERO) + to_decimal(amount) - to_decimal(paid)
    return owed


# --- Invoices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceFilters:
    supply_point: int | None = None
    year: int | None = None
    status: str = ""
    ignored: bool = field(default=False, compare=False)  # a value was given but not understood

    @classmethod
    def from_query(cls, query: Any) -> InvoiceFilters:
        """Read the list's filters from GET parameters; unknown values and numbers out of range
        (a year outside 1900–2200, an id that is no positive 64-bit number) are ignored, and
        `ignored` says so."""
        status = query.get("status", "")
        parsed = {
            "supply_point": id_param(query.get("supply_point")),
            "year": year_param(query.get("year")),
            "status": status if status in INVOICE_FILTERS else "",
        }
        return cls(**parsed, ignored=any_ignored(query, parsed))

    @property
    def active(self) -> bool:
        return bool(self.supply_point or self.year or self.status)


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    paid: Decimal
    status: Status

    @property
    def outstanding(self) -> Decimal:
        return to_decimal(self.invoice.balance) - self.paid


@dataclass
class InvoiceList:
    page: Page
    rows: list[InvoiceRow]
    filters: InvoiceFilters
    supply_points: list[SupplyPoint]
    years: list[int]
    statuses: dict[str, Any] = field(default_factory=lambda: dict(INVOICE_FILTERS))


def customer_invoices(user: Any, customer: Customer) -> QuerySet[Invoice]:
    return Invoice.objects.for_user(user).filter(customer=customer)


def list_invoices(
    user: Any,
    customer: Customer,
    filters: InvoiceFilters,
    page_number: Any = 1,
    today: dt.date | None = None,
) -> InvoiceList:
    """One page of the customer's invoices, newest first, filtered (five queries)."""
    today = today or timezone.localdate()
    invoices = customer_invoices(user, customer).select_related("supply_point")
    invoices = invoices.annotate(paid=paid_amount("invoice"))
    invoices = invoices.annotate(outstanding=F("balance") - F("paid"))
    if filters.supply_point:
        invoices = invoices.filter(supply_point_id=filters.supply_point)
    if filters.year:
        invoices = invoices.filter(issued_on__year=filters.year)
    if filters.status == "paid":
        invoices = invoices.filter(outstanding__lte=0)
    elif filters.status in ("unpaid", "overdue"):
        invoices = invoices.filter(outstanding__gt=0)
        if filters.status == "overdue":
            invoices = invoices.filter(due_on__lt=today)
    page = Paginator(invoices.order_by("-issued_on", "-number"), INVOICES_PER_PAGE).get_page(
        page_number
    )
    rows = [_invoice_row(invoice, invoice.paid, today) for invoice in page.object_list]
    years = customer_invoices(user, customer).dates("issued_on", "year", order="DESC")
    return InvoiceList(
        page=page,
        rows=rows,
        filters=filters,
        supply_points=list(SupplyPoint.objects.for_user(user).filter(customer=customer)),
        years=[day.year for day in years],
    )


def _invoice_row(invoice: Invoice, paid: Decimal, today: dt.date) -> InvoiceRow:
    paid = to_decimal(paid)
    return InvoiceRow(invoice, paid, invoice_status(invoice.balance, paid, invoice.due_on, today))


@dataclass
class InvoiceDetail:
    invoice: Invoice
    lines: list[InvoiceLine]
    vat_summary: list[VatSummaryLine]
    payments: list[Payment]
    status: Status
    settlement: Settlement
    model: str

    @property
    def calendar_model(self) -> bool:
        return self.model == CALENDAR

    @property
    def paid(self) -> Decimal:
        return total(payment.amount for payment in self.payments)

    @property
    def outstanding(self) -> Decimal:
        return to_decimal(self.invoice.balance) - self.paid


def get_invoice_for_user(user: Any, invoice_pk: int) -> Invoice:
    """The invoice if it belongs to one of `user`'s customers; 404 otherwise."""
    invoices = Invoice.objects.for_user(user).select_related("supply_point", "customer")
    return get_object_or_404(invoices, pk=invoice_pk)


def get_invoice_detail(
    user: Any, invoice_pk: int, today: dt.date | None = None, model: str | None = None
) -> InvoiceDetail:
    """An invoice with its lines, VAT summary, matched payments and its settlement of the
    advances under the utility's VAT `model` (settlement.vat_model when not given)."""
    today = today or timezone.localdate()
    model = model or vat_model()
    invoice = get_invoice_for_user(user, invoice_pk)
    payments = list(Payment.objects.for_user(user).filter(invoice=invoice).order_by("received_on"))
    paid = total(payment.amount for payment in payments)
    return InvoiceDetail(
        invoice=invoice,
        lines=list(InvoiceLine.objects.for_user(user).filter(invoice=invoice)),
        vat_summary=list(VatSummaryLine.objects.for_user(user).filter(invoice=invoice)),
        payments=payments,
        status=invoice_status(invoice.balance, paid, invoice.due_on, today),
        settlement=settle(user, invoice, model),
        model=model,
    )


# --- Advances and payments -------------------------------------------------------------------


@dataclass(frozen=True)
class AdvanceRow:
    advance: Advance
    paid: Decimal
    status: Status


@dataclass
class ScheduleView:
    schedule: AdvanceSchedule
    advances: list[AdvanceRow]

    @property
    def total(self) -> Decimal:
        return total(row.advance.amount for row in self.advances)

    @property
    def paid(self) -> Decimal:
        return total(row.paid for row in self.advances)


def advance_rows(advances: QuerySet[Advance] | list[Advance], today: dt.date) -> list[AdvanceRow]:
    """Advances annotated with `paid` and `settled_until`, with their status."""
    return [
        AdvanceRow(
            advance,
            to_decimal(advance.paid),
            advance_status(
                advance.amount, advance.paid, advance.due_on, advance.settled_until, today
            ),
        )
        for advance in advances
    ]


def list_advance_schedules(
    user: Any, customer: Customer, page_number: Any = 1, today: dt.date | None = None
) -> tuple[Page, list[ScheduleView]]:
    """One page of the customer's payment calendars, newest first, each with its advances."""
    today = today or timezone.localdate()
    schedules = (
        AdvanceSchedule.objects.for_user(user)
        .filter(customer=customer)
        .select_related("supply_point")
        .order_by("-valid_from", "supply_point__number")
    )
    page = Paginator(schedules, SCHEDULES_PER_PAGE).get_page(page_number)
    advances = (
        Advance.objects.for_user(user)
        .filter(schedule__in=[schedule.pk for schedule in page.object_list])
        .annotate(paid=paid_amount("advance"), settled_until=settled_until())
        .order_by("due_on")
    )
    by_schedule: dict[int, list[AdvanceRow]] = {}
    for row in advance_rows(advances, today):
        by_schedule.setdefault(row.advance.schedule_id, []).append(row)
    views = [ScheduleView(s, by_schedule.get(s.pk, [])) for s in page.object_list]
    return page, views


def next_advance(user: Any, customer: Customer, today: dt.date | None = None) -> AdvanceRow | None:
    """The customer's next advance falling due today or later (one query)."""
    today = today or timezone.localdate()
    advances = (
        Advance.objects.for_user(user)
        .filter(schedule__customer=customer, due_on__gte=today)
        .select_related("schedule__supply_point")
        .annotate(paid=paid_amount("advance"), settled_until=settled_until())
        .order_by("due_on", "pk")[:1]
    )
    rows = advance_rows(advances, today)
    return rows[0] if rows else None


def list_payments(user: Any, customer: Customer, page_number: Any = 1) -> Page:
    """One page of every payment of the customer, newest first, with what it was matched to."""
    payments = (
        Payment.objects.for_user(user)
        .filter(customer=customer)
        .select_related("invoice", "advance__schedule__supply_point", "tax_document")
        .order_by("-received_on", "-pk")
    )
    return Paginator(payments, PAYMENTS_PER_PAGE).get_page(page_number)


# --- What can be paid by bank transfer -------------------------------------------------------


def payable_by_transfer(user: Any, customer: Customer, today: dt.date | None = None) -> Decimal:
    """What the customer owes and pays by bank transfer: outstanding invoices and advances due
    (not yet settled by an invoice) of supply points that do not pay through SIPO, less the
    payments not yet matched to anything; never below zero (one query)."""
    today = today or timezone.localdate()
    sipo = SupplyPoint.PaymentMethod.SIPO
    invoices = (
        Invoice.objects.filter(customer=OuterRef("pk"))
        .exclude(supply_point__payment_method=sipo)
        .annotate(owed=F("balance") - paid_amount("invoice"))
        .filter(owed__gt=0)
    )
    advances = (
        Advance.objects.filter(schedule__customer=OuterRef("pk"), due_on__lte=today)
        .exclude(schedule__supply_point__payment_method=sipo)
        .annotate(settled_until=settled_until(), owed=F("amount") - paid_amount("advance"))
        .filter(Q(settled_until__isnull=True) | Q(due_on__gt=F("settled_until")), owed__gt=0)
    )
    unmatched = Payment.objects.filter(
        customer=OuterRef("pk"), invoice__isnull=True, advance__isnull=True
    )
    row = (
        Customer.objects.for_user(user)
        .filter(pk=customer.pk)
        .annotate(
            owed_on_invoices=_sum_of(invoices, "customer", "owed"),
            owed_on_advances=_sum_of(advances, "schedule__customer", "owed"),
            not_matched=_sum_of(unmatched, "customer", "amount"),
        )
        .values("owed_on_invoices", "owed_on_advances", "not_matched")
        .first()
    ) or {}
    owed = to_decimal(row.get("owed_on_invoices")) + to_decimal(row.get("owed_on_advances"))
    return max(round_money(owed - to_decimal(row.get("not_matched"))), ZERO)


def _sum_of(rows: QuerySet, customer: str, field: str) -> Coalesce:
    """Σ `field` of `rows` (those of the outer customer, reached through `customer`) as a
    subquery; 0 when there are none."""
    summed = rows.order_by().values(customer).annotate(sum=Sum(field)).values("sum")
    return Coalesce(Subquery(summed[:1]), Value(ZERO), output_field=MONEY_FIELD)
