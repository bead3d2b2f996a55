"""The personal API, read-only, at /api/v1/ (schema: /api/v1/openapi.json).

Every list and object is read through the token's user (`for_user`), narrowed to the token's
customer when it has one: another customer's object is a 404, as on the portal's pages.
"""

# No `from __future__ import annotations`: django-ninja reads the annotations when the
# module is imported.

import datetime as dt
from typing import Any

from django.db.models import Model, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from portal.billing.models import (
    Advance,
    Customer,
    DailyConsumption,
    Invoice,
    Meter,
    Payment,
    Reading,
    SupplyPoint,
)

from . import schemas as s
from .auth import TokenAuth, TokenRateThrottle
from .models import ApiToken

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

api = NinjaAPI(
    title="Pramen – personal API",
    version="1",
    description=(
        "Read-only access to your customers' supply points, meters, readings, consumption, "
        "invoices, advances and payments. Authenticate with a personal API token from My "
        "account: `Authorization: Bearer pramen_…`. Lists are paginated (`page`, `page_size`)."
    ),
    urls_namespace="portal-api",
    docs_url=None,  # the interactive page loads scripts from a CDN; the schema is enough
    auth=TokenAuth(),
    throttle=TokenRateThrottle(),
)


class Pagination(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def scoped(model: type[Model], request: HttpRequest) -> QuerySet:
    """`model`'s rows that the calling token may read."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    rows = model._default_manager.for_user(token.user)
    if token.customer_id is not None:
        path = rows.user_path.removesuffix("links__user").removesuffix("__")
        rows = rows.filter(**{f"{path}__pk" if path else "pk": token.customer_id})
    return rows


def get_scoped(model: type[Model], request: HttpRequest, pk: int) -> Any:
    found = scoped(model, request).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class SupplyPointFilter(Schema):
    supply_point: int | None = None


class MeterFilter(Schema):
    meter: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


# What any call may answer besides its data: no valid token (401), too many calls (429).
REFUSED = {401: s.ErrorOut, 429: s.ErrorOut}
NOT_FOUND = {404: s.ErrorOut, **REFUSED}


@api.get("/customers", response={200: list[s.CustomerOut], **REFUSED}, url_name="customers")
@paginate(Pagination)
def customers(request: HttpRequest):
    return scoped(Customer, request).order_by("number")


@api.get(
    "/supply-points", response={200: list[s.SupplyPointOut], **REFUSED}, url_name="supply-points"
)
@paginate(Pagination)
def supply_points(request: HttpRequest):
    return scoped(SupplyPoint, request).order_by("number")


@api.get(
    "/supply-points/{supply_point_id}",
    response={200: s.SupplyPointOut, **NOT_FOUND},
    url_name="supply-point",
)
def supply_point(request: HttpRequest, supply_point_id: int):
    return get_scoped(SupplyPoint, request, supply_point_id)


@api.get("/meters", response={200: list[s.MeterOut], **REFUSED}, url_name="meters")
@paginate(Pagination)
def meters(request: HttpRequest, filters: Query[SupplyPointFilter]):
    rows = scoped(Meter, request).order_by("supply_point_id", "installed_on", "pk")
    if filters.supply_point is not None:
        rows = rows.filter(supply_point_id=filters.supply_point)
    return rows


@api.get(
    "/meters/{meter_id}/state",
    response={200: s.MeterStateOut, **NOT_FOUND},
    url_name="meter-state",
)
def meter_state(request: HttpRequest, meter_id: int):
    """The meter's newest reading and the m³ measured so far this month (for dashboards such
    as Home Assistant)."""
    meter = get_scoped(Meter, request, meter_id)
    today = timezone.localdate()
    month_start = today.replace(day=1)
    month_consumption = None
    if meter.remote_read:
        total = DailyConsumption.objects.filter(meter=meter, day__gte=month_start).aggregate(
            total=Sum("volume")
        )["total"]
        month_consumption = total if total is not None else 0
    return {
        "meter": meter,
        "latest_reading": meter.readings.order_by("-date", "-pk").first(),
        "month": month_start.strftime("%Y-%m"),
        "month_consumption": month_consumption,
    }


def _by_meter(rows: QuerySet, filters: MeterFilter, date_field: str) -> QuerySet:
    if filters.meter is not None:
        rows = rows.filter(meter_id=filters.meter)
    if filters.since is not None:
        rows = rows.filter(**{f"{date_field}__gte": filters.since})
    if filters.until is not None:
        rows = rows.filter(**{f"{date_field}__lte": filters.until})
    return rows


@api.get("/readings", response={200: list[s.ReadingOut], **REFUSED}, url_name="readings")
@paginate(Pagination)
def readings(request: HttpRequest, filters: Query[MeterFilter]):
    """Newest first."""
    return _by_meter(scoped(Reading, request), filters, "date").order_by("-date", "-pk")


@api.get(
    "/daily-consumption",
    response={200: list[s.DailyConsumptionOut], **REFUSED},
    url_name="daily-consumption",
)
@paginate(Pagination)
def daily_consumption(request: HttpRequest, filters: Query[MeterFilter]):
    """Daily m³ of remote-read meters, newest first."""
    return _by_meter(scoped(DailyConsumption, request), filters, "day").order_by("-day", "-pk")


@api.get("/invoices", response={200: list[s.InvoiceOut], **REFUSED}, url_name="invoices")
@paginate(Pagination)
def invoices(request: HttpRequest):
    """Newest first."""
    return scoped(Invoice, request).order_by("-issued_on", "-pk")


@api.get("/invoices/{invoice_id}", response={200: s.InvoiceOut, **NOT_FOUND}, url_name="invoice")
def invoice(request: HttpRequest, invoice_id: int):
    return get_scoped(Invoice, request, invoice_id)


@api.get("/advances", response={200: list[s.AdvanceOut], **REFUSED}, url_name="advances")
@paginate(Pagination)
def advances(request: HttpRequest):
    """Advances of the payment schedules, by due date (newest first)."""
    return scoped(Advance, request).select_related("schedule").order_by("-due_on", "-pk")


@api.get("/payments", response={200: list[s.PaymentOut], **REFUSED}, url_name="payments")
@paginate(Pagination)
def payments(request: HttpRequest):
    """Newest first."""
    return scoped(Payment, request).order_by("-received_on", "-pk")
