"""The figures of the portal pages that come from ZIS data alone, kept for the data generation
and the day (`portal.pages.data_cache`): the pages ask here instead of the services."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest

from cms_pages.templatetags.pramen_tags import utility_for_request
from portal.billing.services import consumption, rainwater, readings, supply_points
from portal.billing.services import invoices as billing
from portal.documents.payments_due import AmountDue, amount_due
from portal.insights import explainer
from portal.lib import generations
from portal.requests.services import tracker

from . import data_cache


def amount_due_by_transfer(request: HttpRequest) -> AmountDue:
    """What the shown customer owes by bank transfer, with one QR Platba for all of it
    (`portal/components/amount_due_qr.html`)."""
    user, customer = request.user, request.portal.customer
    return data_cache.cached(
        "amount-due",
        user,
        (customer.pk,),
        lambda: amount_due(user, customer, lambda: utility_for_request(request)),
    )


def invoice_list(request: HttpRequest, filters: billing.InvoiceFilters) -> billing.InvoiceList:
    """One page of the shown customer's invoices, filtered."""
    user, customer = request.user, request.portal.customer
    listing = data_cache.cached_listing(
        request,
        "invoices",
        (customer.pk, filters.supply_point, filters.year, filters.status),
        billing.INVOICES_PER_PAGE,
        lambda number: billing.list_invoices(user, customer, filters, number),
    )
    return dataclasses.replace(listing, filters=filters)


def invoice_with_explainer(
    request: HttpRequest, invoice_pk: int
) -> tuple[billing.InvoiceDetail, explainer.Explainer]:
    """An invoice of the user's customers (404 otherwise) with the explanation of the bill."""
    user = request.user

    def compute() -> tuple[billing.InvoiceDetail, explainer.Explainer]:
        detail = billing.get_invoice_detail(user, invoice_pk)
        return detail, explainer.explain(user, detail)

    return data_cache.cached_for_linked(
        request, "invoice", invoice_pk, compute, lambda kept: kept[0].invoice.customer_id
    )


@dataclasses.dataclass
class ScheduleList:
    page: Any  # the Django page
    views: list[billing.ScheduleView]


def advance_schedules(request: HttpRequest) -> ScheduleList:
    """One page of the shown customer's payment calendars with their advances."""
    user, customer = request.user, request.portal.customer
    return data_cache.cached_listing(
        request,
        "schedules",
        (customer.pk,),
        billing.SCHEDULES_PER_PAGE,
        lambda number: ScheduleList(*billing.list_advance_schedules(user, customer, number)),
    )


@dataclasses.dataclass
class PaymentList:
    page: Any  # the Django page
    payments: list[Any]  # its payments, with what they were matched to and their tax documents


def payment_list(request: HttpRequest) -> PaymentList:
    """One page of the shown customer's payments, newest first. The tax documents the portal
    issues are kept with them: issuing one starts a new data generation (`documents.issuing`)."""
    user, customer = request.user, request.portal.customer

    def compute(number: Any) -> PaymentList:
        page = billing.list_payments(user, customer, number)
        return PaymentList(page, list(page.object_list))

    return data_cache.cached_listing(
        request, "payments", (customer.pk,), billing.PAYMENTS_PER_PAGE, compute
    )


def request_list(request: HttpRequest) -> tracker.RequestList:
    """One page of the shown customer's requests, newest first, kept for the requests
    generation too: every change of a request starts a new one."""
    user, customer = request.user, request.portal.customer
    return data_cache.cached_listing(
        request,
        "requests",
        (customer.pk, generations.current(generations.REQUESTS)),
        tracker.PER_PAGE,
        lambda number: tracker.list_requests(user, customer, number),
    )


def supply_point_list(request: HttpRequest, query: Any = "") -> supply_points.SupplyPointList:
    """One page of the shown customer's supply points with meters, last readings and prices;
    a search is not kept (any text)."""
    user, customer = request.user, request.portal.customer
    if supply_points.clean_search(query):
        number = request.GET.get("page")
        return supply_points.list_supply_points_page(user, customer, number, query)
    return data_cache.cached_listing(
        request,
        "supply-points",
        (customer.pk,),
        supply_points.SUPPLY_POINTS_PER_PAGE,
        lambda number: supply_points.list_supply_points_page(user, customer, number),
    )


def customer_supply_points(request: HttpRequest) -> list[Any]:
    """The shown customer's supply points by number (my details)."""
    user, customer = request.user, request.portal.customer
    return data_cache.cached(
        "customer-supply-points",
        user,
        (customer.pk,),
        lambda: supply_points.customer_supply_points(user, customer),
    )


def supply_point_detail(request: HttpRequest, pk: int) -> supply_points.SupplyPointView:
    user = request.user
    return data_cache.cached_for_linked(
        request,
        "supply-point",
        pk,
        lambda: supply_points.get_supply_point_detail(user, pk),
        lambda view: view.supply_point.customer_id,
    )


def supply_point_readings(request: HttpRequest, pk: int) -> readings.SupplyPointReadings:
    user = request.user
    return data_cache.cached_for_linked(
        request,
        "readings",
        pk,
        lambda: readings.get_supply_point_readings(user, pk),
        lambda history: history.supply_point.customer_id,
    )


def assessment_list(request: HttpRequest) -> rainwater.AssessmentList:
    user, customer = request.user, request.portal.customer
    return data_cache.cached_listing(
        request,
        "assessments",
        (customer.pk,),
        supply_points.SUPPLY_POINTS_PER_PAGE,
        lambda number: rainwater.list_assessments(user, customer, number),
    )


def assessment(request: HttpRequest, pk: int) -> rainwater.AssessmentView:
    user = request.user
    return data_cache.cached_for_linked(
        request,
        "assessment",
        pk,
        lambda: rainwater.get_assessment(user, pk),
        lambda view: view.assessment.supply_point.customer_id,
    )


def consumption_chart(
    request: HttpRequest, query: consumption.ChartQuery
) -> consumption.ConsumptionChart:
    """The consumption chart of the page and of its JSON route (the same figures)."""
    user, customer = request.user, request.portal.customer
    parts = (customer.pk, query.supply_point, query.period, query.year, query.month)
    return data_cache.cached(
        "consumption", user, parts, lambda: consumption.get_consumption_chart(user, customer, query)
    )
