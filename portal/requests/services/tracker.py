"""What the customer sees of their requests: the tracker, the self-reading form's facts, photos."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.billing.models.customers import Customer
from portal.billing.models.supply_points import Meter, SupplyPoint
from portal.billing.services.statuses import Status
from portal.billing.services.supply_points import get_supply_point_for_user
from portal.lib import generations
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)

from . import plausibility
from .submission import billing_period_start, get_portal_settings, self_readings_in_period

PER_PAGE = 10

TONES = {
    RequestStatus.PENDING: "warn",
    RequestStatus.APPROVED: "ok",
    RequestStatus.REJECTED: "danger",
    RequestStatus.SENT: "ok",
    RequestStatus.CONFIRMED: "ok",
    RequestStatus.WITHDRAWN: "info",
}
OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.SENT)
OPEN_COUNT_SECONDS = 3600  # a new generation makes older counts unused anyway


def request_status(obj: CustomerRequest) -> Status:
    """The badge of a request: its status's label (always shown) and a tone."""
    status = RequestStatus(obj.status)
    return Status(status.value, status.label, TONES[status])


@dataclass
class TrackerItem:
    request: CustomerRequest

    @property
    def kind(self) -> str:
        return self.request.kind

    @property
    def status(self) -> Status:
        return request_status(self.request)

    @property
    def timeline(self) -> list:
        return self.request.timeline()

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.request.pk}"


@dataclass
class RequestList:
    page: Page | None  # the Django page (None while kept in the cache)
    items: list[TrackerItem]  # its requests


def list_requests(user: Any, customer: Customer, page_number: Any = None) -> RequestList:
    """Every request of the customer, newest first, paginated (four queries per page)."""
    scoped = {
        SelfReadingRequest: SelfReadingRequest.objects.for_user(user).filter(customer=customer),
        AddressChangeRequest: AddressChangeRequest.objects.for_user(user).filter(customer=customer),
        AdvanceChangeRequest: AdvanceChangeRequest.objects.for_user(user).filter(customer=customer),
    }
    keys = [
        (submitted_at, pk, model)
        for model, queryset in scoped.items()
        for submitted_at, pk in queryset.values_list("submitted_at", "pk")
    ]
    keys.sort(key=lambda key: (key[0], key[1]), reverse=True)
    page = Paginator(keys, PER_PAGE).get_page(page_number)
    wanted: dict[type, list[int]] = {}
    for _at, pk, model in page.object_list:
        wanted.setdefault(model, []).append(pk)
    loaded: dict[tuple[type, int], CustomerRequest] = {}
    for model, pks in wanted.items():
        queryset = scoped[model].filter(pk__in=pks).select_related("submitted_by", "decided_by")
        for obj in queryset:
            loaded[(model, obj.pk)] = obj
    items = [TrackerItem(loaded[(model, pk)]) for _at, pk, model in page.object_list]
    return RequestList(page, items)


def count_open(user: Any, customer: Customer) -> int:
    """Requests of the customer of every kind waiting for an operator or for ZIS: not yet
    confirmed by ZIS, rejected nor withdrawn. Kept in the shared cache for the data and the
    requests generation (every change of a request starts a new one), as building the query
    costs more than the rest of a page's figures (one query when not kept)."""
    key = (
        f"pramen:open-requests:{generations.current()}:"
        f"{generations.current(generations.REQUESTS)}:{user.pk}:{customer.pk}"
    )
    return cache.get_or_set(key, lambda: _count_open(user, customer), OPEN_COUNT_SECONDS)


def _count_open(user: Any, customer: Customer) -> int:
    where = Q(customer=customer, status__in=OPEN_STATUSES)
    readings, addresses, advances = (
        model.objects.for_user(user).filter(where).order_by().values("pk")
        for model in (SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest)
    )
    return readings.union(addresses, advances, all=True).count()


def get_self_reading_for_user(user: Any, pk: int) -> SelfReadingRequest:
    """One of `user`'s customers' self-readings; 404 for anyone else's."""
    return get_object_or_404(SelfReadingRequest.objects.for_user(user), pk=pk)


@dataclass
class SelfReadingFacts:
    """What the self-reading form shows next to the fields."""

    supply_point: SupplyPoint
    meter: Meter
    last: plausibility.LastReading | None
    limit: int
    used: int
    period_start: dt.date
    pending: list[SelfReadingRequest]

    @property
    def limit_reached(self) -> bool:
        return bool(self.limit) and self.used >= self.limit

    @property
    def can_submit(self) -> bool:
        return not self.meter.remote_read and not self.limit_reached and self.is_active

    @property
    def is_active(self) -> bool:
        return self.meter.removed_on is None

    @property
    def remaining(self) -> int | None:
        return max(self.limit - self.used, 0) if self.limit else None


def get_self_reading_facts(user: Any, supply_point_pk: int, meter_pk: int) -> SelfReadingFacts:
    """The facts for one of `user`'s meters (404 for anyone else's)."""
    point = get_supply_point_for_user(user, supply_point_pk)
    meter = get_object_or_404(Meter.objects.for_user(user), pk=meter_pk, supply_point=point)
    settings = get_portal_settings()
    today = timezone.localdate()
    pending = list(
        SelfReadingRequest.objects.filter(meter=meter, status=RequestStatus.PENDING).order_by(
            "-submitted_at"
        )
    )
    return SelfReadingFacts(
        supply_point=point,
        meter=meter,
        last=plausibility.last_approved_reading(meter),
        limit=settings.self_readings_per_period,
        used=self_readings_in_period(meter, today),
        period_start=billing_period_start(meter, today),
        pending=pending,
    )
