"""One QR Platba for everything a customer pays by bank transfer (the invoices page and the
dashboard), besides the per-item codes of the documents.

It pays the total of `billing.payable_by_transfer` with the customer number as the variable
symbol: ZIS matches such a payment to the customer's oldest items (zis/EXCHANGE.md, docs/documents.md).
None when nothing is due by transfer, the utility has no account, or the customer number is not
a valid variable symbol (digits only, at most 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cms_pages.models import UtilitySettings
from portal.billing.models import Customer
from portal.billing.services.invoices import payable_by_transfer

from .parties import payment_qr, supplier_from
from .qr import QrPayment


@dataclass(frozen=True)
class AmountDue:
    amount: Decimal
    variable_symbol: str
    qr: QrPayment | None


def amount_due(user: Any, customer: Customer, utility: Callable[[], UtilitySettings]) -> AmountDue:
    """The amount due by transfer and its QR Platba; `utility` is asked for only when there is
    something to pay."""
    amount = payable_by_transfer(user, customer)
    symbol = customer.number
    qr = None
    if amount > 0 and symbol.isdigit() and len(symbol) <= 10:
        message = _("Everything due, customer %(number)s") % {"number": customer.number}
        qr = payment_qr(supplier_from(utility()), amount, symbol, message)
    return AmountDue(amount=amount, variable_symbol=symbol, qr=qr)
