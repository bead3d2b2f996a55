"""Payment status of invoices and advances, derived from the payments ZIS matched to them.

A status carries a word for the user and a tone for the badge; the word is always shown, so the
colour is never the only signal (WCAG 1.4.1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.lib.money import to_decimal


@dataclass(frozen=True)
class Status:
    code: str  # paid, refunded, unpaid, overdue, credit, settled, due
    label: str
    tone: str  # ok, warn, danger, info

    @property
    def is_overdue(self) -> bool:
        return self.code == "overdue"


PAID = Status("paid", _("paid"), "ok")
REFUNDED = Status("refunded", _("overpayment refunded"), "ok")
UNPAID = Status("unpaid", _("unpaid"), "warn")
OVERDUE = Status("overdue", _("overdue"), "danger")
CREDIT = Status("credit", _("overpayment to be refunded"), "info")
SETTLED = Status("settled", _("settled in the invoice"), "info")
DUE = Status("due", _("not yet due"), "info")

# The invoice list's filter: value → label.
INVOICE_FILTERS = {
    "paid": _("Paid"),
    "unpaid": _("Unpaid"),
    "overdue": _("Overdue"),
}


def invoice_status(balance: Decimal, paid: Decimal, due_on: dt.date, today: dt.date) -> Status:
    """An invoice's balance (total − advances) against the payments matched to it.

    A positive balance is to be paid by the due date; a negative one is an overpayment that the
    utility returns (a negative payment matched to the invoice).
    """
    outstanding = to_decimal(balance) - to_decimal(paid)
    if outstanding > 0:
        return OVERDUE if due_on < today else UNPAID
    if outstanding < 0:
        return CREDIT
    return REFUNDED if to_decimal(balance) < 0 else PAID


def advance_status(
    amount: Decimal,
    paid: Decimal,
    due_on: dt.date,
    settled_until: dt.date | None,
    today: dt.date,
) -> Status:
    """An advance is paid, or was settled by the invoice of its period (unpaid advances are not
    deducted there), or is overdue, or not yet due."""
    if to_decimal(paid) >= to_decimal(amount):
        return PAID
    if settled_until is not None and due_on <= settled_until:
        return SETTLED
    return OVERDUE if due_on < today else DUE
