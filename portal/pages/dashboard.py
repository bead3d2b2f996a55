"""The portal home: what a customer wants to know at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from portal.advisor.models import AdvanceProjection
from portal.advisor.services import customer_projections
from portal.billing.models.customers import Customer
from portal.billing.models.invoices import Invoice
from portal.billing.services.invoices import (
    AdvanceRow,
    Balance,
    customer_balances,
    customer_invoices,
    next_advance,
)
from portal.billing.services.supply_points import SupplyPointView, first_supply_points
from portal.insights.models import ConsumptionWarning
from portal.insights.warnings import open_warnings
from portal.lib import generations
from portal.notices.services import NoticeSummary, notices_for_customer
from portal.pages import data_cache
from portal.requests.services.advance_change import change_states
from portal.requests.services.tracker import count_open

DASHBOARD_SUPPLY_POINTS = 5  # the rest are a link away, in the supply points list


@dataclass(frozen=True)
class CustomerSummary:
    customer: Customer
    balance: Balance


@dataclass
class Dashboard:
    customer: Customer
    balance: Balance
    next_advance: AdvanceRow | None
    supply_points: list[SupplyPointView]  # the first few by number
    open_requests: int
    customers: list[CustomerSummary]  # every linked customer, for the overview and the switcher
    supply_point_count: int | None = None  # all the customer's points (None: those shown)
    last_invoice: Invoice | None = None  # the newest, for the quick action "download"
    notices: list[NoticeSummary] = field(default_factory=list)  # outages at its supply points
    warnings: list[ConsumptionWarning] | None = None  # open consumption warnings (one query)
    projections: list[AdvanceProjection] | None = None  # the advisor's, precomputed

    @property
    def meter_count(self) -> int:
        return sum(len(view.active_meters) for view in self.supply_points)

    @property
    def all_supply_points(self) -> int:
        if self.supply_point_count is None:
            return len(self.supply_points)
        return self.supply_point_count

    @property
    def has_more_supply_points(self) -> bool:
        """Whether the customer has points beyond those shown (then the page links to all)."""
        return self.all_supply_points > len(self.supply_points)


def get_dashboard(
    user: Any, customers: list[Customer], customer: Customer, today: dt.date | None = None
) -> Dashboard:
    """The dashboard of `customer` (one of `customers`, the user's linked ones): a bounded
    number of queries whatever the number of customers, supply points or documents."""
    today = today or timezone.localdate()
    if today == timezone.localdate():
        parts = (customer.pk, *(c.pk for c in customers))
        figures = data_cache.cached(
            "dashboard", user, parts, lambda: dashboard_figures(user, customers, customer, today)
        )
    else:
        figures = dashboard_figures(user, customers, customer, today)
    balances = figures["balances"]
    return Dashboard(
        customer=customer,
        balance=balances[customer.pk],
        next_advance=figures["next_advance"],
        supply_points=figures["supply_points"],
        open_requests=count_open(user, customer),
        customers=[CustomerSummary(c, balances[c.pk]) for c in customers],
        supply_point_count=figures["supply_point_count"],
        last_invoice=figures["last_invoice"],
        **dashboard_news(user, customer),
    )


def dashboard_figures(
    user: Any, customers: list[Customer], customer: Customer, today: dt.date
) -> dict[str, Any]:
    """What the dashboard shows of the ZIS data (kept for the data generation and the day by
    `get_dashboard`): the balances, the first supply points, the next advance, the last
    invoice."""
    points, point_count = first_supply_points(user, customer, DASHBOARD_SUPPLY_POINTS, today)
    return {
        "balances": customer_balances(user, customers, today),  # over all supply points
        "next_advance": next_advance(user, customer, today),
        "supply_points": points,
        "supply_point_count": point_count,
        "last_invoice": customer_invoices(user, customer).order_by("-issued_on", "-pk").first(),
    }


# The news are recomputed by tasks, which start a new NEWS generation; the time limit only makes
# sure that a notice whose time came shows without waiting for one.
NEWS_SECONDS = 300


def dashboard_news(user: Any, customer: Customer) -> dict[str, Any]:
    """The notices, warnings and projections of the dashboard, kept in the shared cache per user,
    customer and NEWS generation (three queries when they are not there)."""
    key = f"pramen:dashboard-news:{user.pk}:{customer.pk}:{generations.current(generations.NEWS)}"
    news = cache.get(key)
    if news is None:
        news = {
            "notices": notices_for_customer(customer=customer),
            "warnings": open_warnings(user, customer),
            "projections": customer_projections(user, customer, DASHBOARD_SUPPLY_POINTS),
        }
        cache.set(key, news, NEWS_SECONDS)
    now = timezone.now()
    return {**news, "notices": [n for n in news["notices"] if n.expected_end >= now]}


@dataclass(frozen=True)
class AdvisorRow:
    """One supply point on the advances page: its projection and what its advance changes mean
    (an approved one waiting for ZIS's new payment calendar, one waiting for an operator; both
    may hold at once)."""

    projection: AdvanceProjection
    waiting_for_calendar: bool
    pending: bool


def advisor_rows(user: Any, customer: Customer) -> list[AdvisorRow]:
    """The advisor's projections of the customer's supply points with what their advance
    changes mean. The projections are kept in the shared cache per user, customer, NEWS and data
    generation (the advisor's tasks start a new NEWS generation); what the changes mean is kept
    besides for the requests generation (each change of a request starts a new one) and the
    data generation (ZIS's payment calendars end the waiting); otherwise at most two queries."""
    projections = kept_projections(user, customer)
    if not projections:
        return []
    key = (
        f"pramen:advisor-changes:{generations.current(generations.NEWS)}:{generations.current()}:"
        f"{generations.current(generations.REQUESTS)}:{user.pk}:{customer.pk}"
    )

    def meanings() -> dict[int, tuple[bool, bool]]:
        states = change_states(user, [p.supply_point for p in projections])
        return {
            point: (state.waiting is not None, state.pending is not None)
            for point, state in states.items()
        }

    flags = cache.get_or_set(key, meanings, data_cache.TIMEOUT)
    rows = []
    for projection in projections:
        waiting, pending = flags.get(projection.supply_point_id, (False, False))
        rows.append(
            AdvisorRow(projection=projection, waiting_for_calendar=waiting, pending=pending)
        )
    return rows


def kept_projections(user: Any, customer: Customer) -> list[AdvanceProjection]:
    """`customer_projections` of the customer, kept for the NEWS and the data generation."""
    news, data = generations.current(generations.NEWS), generations.current()
    key = f"pramen:advisor-projections:{news}:{data}:{user.pk}:{customer.pk}"
    projections = cache.get(key)
    if projections is None:
        projections = customer_projections(user, customer)
        cache.set(key, projections, data_cache.TIMEOUT)
    return projections
