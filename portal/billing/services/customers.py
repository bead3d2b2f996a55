"""The customers a portal user acts for, and the one chosen in the portal's customer switcher."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from portal.billing.models.customers import Customer


def linked_customers(user: Any) -> list[Customer]:
    """The customers linked to `user`, by customer number (one query)."""
    return list(Customer.objects.for_user(user).order_by("number"))


def choose_customer(
    customers: list[Customer], requested: str | None, remembered: str | None
) -> Customer | None:
    """The customer to show: the requested number (404 unless it is one of `customers`), else
    the remembered one if still linked, else the first. None when nothing is linked."""
    by_number = {customer.number: customer for customer in customers}
    if requested is not None:
        try:
            return by_number[requested.strip()]
        except KeyError:
            raise Http404("Not one of your customers") from None
    if remembered in by_number:
        return by_number[remembered]
    return customers[0] if customers else None
