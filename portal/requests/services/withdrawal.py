"""What the portal closes when ZIS removes a customer or a meter: requests and customer links.

ZIS owns customers, supply points and meters; the portal's own rows that refer to them never
stop ZIS from removing one. The ZIS import calls `close_for_removed` in its transaction just
before it deletes the rows, so the closing and the removal commit (or roll back) together:

- a request still open on the portal's side (pending, or approved and not yet sent to ZIS)
  becomes *withdrawn — no longer in ZIS*; the customer is e-mailed (through the notification
  outbox, like a decision) and operators see it in the queues with its status;
- a request sent to ZIS or decided keeps its history and its status;
- either way the request keeps a snapshot of what identifies it (customer number and name,
  meter serial number, supply point number and address) and its reference to the removed row
  becomes empty, so the tracker and the admin read as before;
- the links of portal users to a removed customer end with a recorded reason; each user is told
  on the next visit (`portal.accounts.notices`).

A self-reading's photo stays with its request (the request is kept); PDFs cached for a removed
invoice can no longer be reached (every route looks the invoice up first).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q
from django.utils import timezone

from portal.accounts.models import CustomerLink
from portal.billing.models.supply_points import Meter
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)

from .decisions import queue_decision_email

# Open on the portal's side: ZIS has not been told of these, so nothing of them can go on.
WITHDRAWN_STATUSES = (RequestStatus.PENDING, RequestStatus.APPROVED)
REQUEST_PREFIXES = {
    SelfReadingRequest: "sr",
    AddressChangeRequest: "ac",
    AdvanceChangeRequest: "ad",
}

Closed = dict[str, Any]


def close_for_removed(
    *,
    customer_pks: Collection[int] = (),
    meter_pks: Collection[int] = (),
    batch_id: str = "",
) -> list[Closed]:
    """Close what depends on the customers and meters about to be removed; returns one entry
    per request or link closed (for the sync run's report): ``{"what", "id", "customer_number",
    "detail", "outcome"}``. Call inside the transaction that removes them."""
    now = timezone.now()
    by_customer = Q(customer_id__in=list(customer_pks))
    closed = [
        *_close_requests(
            SelfReadingRequest, by_customer | Q(meter_id__in=list(meter_pks)), now, batch_id
        ),
        *_close_requests(AddressChangeRequest, by_customer, now, batch_id),
        *_close_requests(
            AdvanceChangeRequest,
            by_customer
            | Q(
                supply_point_id__in=Meter.objects.filter(pk__in=list(meter_pks)).values(
                    "supply_point_id"
                )
            ),
            now,
            batch_id,
        ),
    ]
    links = CustomerLink.objects.filter(customer_id__in=list(customer_pks)).order_by("pk")
    for link in links.end(CustomerLink.EndReason.REMOVED_IN_ZIS, now):
        closed.append(
            {
                "what": "customer_link",
                "id": f"link-{link.pk}",
                "customer_number": link.customer_number,
                "detail": link.user.email,
                "outcome": "ended",
            }
        )
    return closed


def _close_requests(
    model: type[CustomerRequest], where: Q, now: Any, batch_id: str
) -> list[Closed]:
    related = ("customer", "submitted_by")
    if model is SelfReadingRequest:
        related = (*related, "meter__supply_point")
    rows = (
        model.objects.select_for_update(of=("self",))
        .filter(where)
        .select_related(*related)
        .order_by("pk")
    )
    return [_close(obj, now, batch_id) for obj in rows]


def _close(obj: CustomerRequest, now: Any, batch_id: str) -> Closed:
    obj.refresh_snapshot()
    withdraw = obj.status in WITHDRAWN_STATUSES
    if withdraw:
        obj.status = RequestStatus.WITHDRAWN
        obj.withdrawn_at = now
        obj.withdrawn_by_batch = batch_id
        obj.outbound_batch_id = ""  # a batch reserved but not written yet leaves it out
        queue_decision_email(obj, "request_withdrawn")  # while the rows can still be read
    obj.save()
    return {
        "what": obj.kind,
        "id": f"{REQUEST_PREFIXES[type(obj)]}-{obj.pk}",
        "customer_number": obj.customer_number,
        "detail": getattr(obj, "meter_serial", ""),
        "outcome": "withdrawn" if withdraw else f"kept ({obj.status})",
    }
