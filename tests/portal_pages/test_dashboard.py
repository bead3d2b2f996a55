"""The portal home: balance, next advance, supply points with the last reading per meter, open
requests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.models import Advance, AdvanceChangeRequest, Customer, RequestStatus, SupplyPoint
from portal.pages.dashboard import get_dashboard
from tests.factories.accounts import client_for

from .conftest import czech, html, table_rows

pytestmark = pytest.mark.django_db


def test_balance_counts_overdue_advances_not_settled_yet(portal, customer):
    # The 2024 invoice's overpayment (−1 432,03 Kč) was refunded; of the three 2025 advances
    # (800 Kč each) only the first was paid.
    page = html(client_for(customer).get(portal.home.url))
    assert czech("1 600,00 Kč") in page
    assert 'class="portal-figure text-danger"' in page


def test_an_unmatched_payment_is_an_overpayment(portal, other_customer):
    page = html(client_for(other_customer).get(portal.home.url))
    assert czech("400,00 Kč") in page
    assert 'class="portal-figure text-ok"' in page


def test_last_reading_per_meter_of_each_supply_point(portal, customer):
    response = client_for(customer).get(portal.home.url)
    assert "OM-000001" in html(response)
    # Only the meter in place: the replaced one is in the reading history.
    [row] = table_rows(response)
    assert (row[0], row[2], row[3]) == ("DI-24-000117", "31. 12. 2024", "45,125 m³")


def test_next_advance_and_balances_of_every_linked_customer(recorded_batch, property_manager):
    customers = list(Customer.objects.for_user(property_manager).order_by("number"))
    jana, bakery = customers
    advance = Advance.objects.get(zis_id="A-2-2")
    board = get_dashboard(property_manager, customers, bakery, today=dt.date(2025, 6, 1))
    assert board.next_advance.advance == advance
    assert board.next_advance.status.code == "due"
    assert [s.balance.total for s in board.customers] == [Decimal("1600.00"), Decimal("6000.00")]
    assert board.customers[0].customer == jana


def test_several_customers_are_listed_with_a_switch(portal, property_manager):
    page = html(client_for(property_manager).get(portal.home.url))
    assert "Pekárna U Mlýna s.r.o." in page
    assert "?customer=100002" in page
    assert czech("12 000,00 Kč") in page  # the bakery's two unpaid quarterly advances


def advance_change(point: SupplyPoint, status: str) -> AdvanceChangeRequest:
    """A new advance of 900 Kč for `point` in `status`, with the times the status needs."""
    now = timezone.now()
    undecided = (RequestStatus.PENDING, RequestStatus.WITHDRAWN)
    times = {
        "decided_at": None if status in undecided else now,
        "sent_at": now if status in (RequestStatus.SENT, RequestStatus.CONFIRMED) else None,
        "confirmed_at": now if status == RequestStatus.CONFIRMED else None,
        "withdrawn_at": now if status == RequestStatus.WITHDRAWN else None,
    }
    return AdvanceChangeRequest.objects.create(
        customer=point.customer,
        supply_point=point,
        submission_token=uuid.uuid4(),
        current_amount=Decimal("800.00"),
        suggested_amount=Decimal("900.00"),
        requested_amount=Decimal("900.00"),
        period_start=dt.date(2025, 1, 1),
        status=status,
        **times,
    )


def test_open_requests_count_advance_changes_like_the_other_kinds(portal, customer):
    """Waiting for an operator (pending) or for ZIS (approved, sent) counts; rejected, withdrawn
    and confirmed do not."""
    point = SupplyPoint.objects.get(number="OM-000001")
    client = client_for(customer)
    assert "Nemáte žádné otevřené požadavky." in html(client.get(portal.home.url))

    pending = advance_change(point, RequestStatus.PENDING)
    assert "1 požadavek se vyřizuje" in html(client.get(portal.home.url))
    pending.status, pending.decided_at = RequestStatus.REJECTED, timezone.now()
    pending.save()
    for status in (RequestStatus.WITHDRAWN, RequestStatus.CONFIRMED):
        advance_change(point, status)
    assert "Nemáte žádné otevřené požadavky." in html(client.get(portal.home.url))

    for status in (RequestStatus.APPROVED, RequestStatus.SENT):
        advance_change(point, status)
    assert "2 požadavky se vyřizují" in html(client.get(portal.home.url))
