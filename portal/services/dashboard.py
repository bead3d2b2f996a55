"""The portal home: what a customer wants to know at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from portal.models.customers import Customer

from .billing import AdvanceRow, Balance, customer_balances, next_advance
from .supply_points import SupplyPointView, list_supply_points


def count_open_requests(user: Any, customer: Customer) -> int:
    """Requests of the customer not yet through: pending, approved or sent to ZIS (two queries)."""
    from .request_tracker import count_open

    return count_open(user, customer)


@dataclass(frozen=True)
class CustomerSummary:
    customer: Customer
    balance: Balance


@dataclass
class Dashboard:
    customer: Customer
    balance: Balance
    next_advance: AdvanceRow | None
    supply_points: list[SupplyPointView]
    open_requests: int
    customers: list[CustomerSummary]  # every linked customer, for the overview and the switcher

    @property
    def meter_count(self) -> int:
        return sum(len(view.active_meters) for view in self.supply_points)


def get_dashboard(
    user: Any, customers: list[Customer], customer: Customer, today: dt.date | None = None
) -> Dashboard:
    """The dashboard of `customer` (one of `customers`, the user's linked ones): a bounded
    number of queries whatever the number of customers, supply points or documents."""
    today = today or timezone.localdate()
    balances = customer_balances(user, customers, today)
    return Dashboard(
        customer=customer,
        balance=balances[customer.pk],
        next_advance=next_advance(user, customer, today),
        supply_points=list_supply_points(user, customer, today),
        open_requests=count_open_requests(user, customer),
        customers=[CustomerSummary(c, balances[c.pk]) for c in customers],
    )
