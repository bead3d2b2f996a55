"""Wagtail admin for operators: customers and supply points, read-only.

ZIS owns this data, so the admin only lists, searches and inspects it: the add, edit, copy,
delete, history and usage views do not exist, and only the "view" permission is offered to
groups (`portal.view_customer`, `portal.view_supplypoint`). Opening a customer's or a supply
point's detail, and every page of their lists and searches, is recorded in the operators' access
log. Registered in `wagtail_hooks.py`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, NumberColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.audit.services import AccessLoggedListMixin, log_operator_access
from portal.billing.models import Customer, Meter, SupplyPoint
from portal.lib.admin import (
    LabelledInspectView,
    ReadOnlyModelViewSet,
    WordSearchIndexView,
    can_view,
)
from portal.lib.formatting import format_money

READINGS_SHOWN = 6


# --- Customers ---------------------------------------------------------------------------------


class CustomerIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = _("customer list")

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().annotate(supply_point_count=Count("supply_points"))


class CustomerInspectView(LabelledInspectView):
    template_name = "portal/admin/customer_inspect.html"
    extra_labels = {"mailing_address": _("Mailing address")}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_operator_access(request, self.object, _("customer detail"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        points = list(self.object.supply_points.select_related("tariff").prefetch_related("meters"))
        context["supply_points"] = points
        context["meters"] = [meter for point in points for meter in point.meters.all()]
        context["link_supply_points"] = can_view(self.request, SupplyPoint)
        return context


class CustomerViewSet(ReadOnlyModelViewSet):
    model = Customer
    name = "customers"
    icon = "user"
    menu_label = _("Customers")
    index_view_class = CustomerIndexView
    inspect_view_class = CustomerInspectView
    list_display = [
        "number",
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column(
            "mailing_municipality",
            label=_("Municipality"),
            sort_key="mailing_municipality",
        ),
        NumberColumn("supply_point_count", label=_("Supply points"), sort_key="supply_point_count"),
    ]
    list_filter = ["kind", "language"]
    search_fields = [
        "number",
        "name",
        "ico",
        "email",
        "mailing_street",
        "mailing_house_number",
        "mailing_orientation_number",
        "mailing_part_of_municipality",
        "mailing_municipality",
        "mailing_postcode",
    ]
    inspect_view_fields = [
        "number",
        "name",
        "kind",
        "ico",
        "dic",
        "email",
        "phone",
        "language",
        "mailing_address",
        "zis_id",
        "zis_updated_at",
    ]


# --- Supply points -----------------------------------------------------------------------------


class SupplyPointIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = _("supply point list")

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().select_related("customer", "tariff")


class SupplyPointInspectView(LabelledInspectView):
    template_name = "portal/admin/supply_point_inspect.html"
    extra_labels = {"address": _("Address")}

    def get_advance_amount_display_value(self) -> str:
        return format_money(self.object.advance_amount)

    def get_object(self, queryset: QuerySet | None = None) -> SupplyPoint:
        point = super().get_object(queryset)
        return SupplyPoint.objects.select_related("customer", "tariff").get(pk=point.pk)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_operator_access(request, self.object.customer, _("supply point detail"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meters: list[Meter] = list(self.object.meters.order_by("-installed_on", "-pk"))
        for meter in meters:
            meter.recent_readings = list(meter.readings.order_by("-date", "-pk")[:READINGS_SHOWN])
        context["meters"] = meters
        context["link_customer"] = can_view(self.request, Customer)
        return context


class SupplyPointViewSet(ReadOnlyModelViewSet):
    model = SupplyPoint
    name = "supply-points"
    icon = "site"
    menu_label = _("Supply points")
    index_view_class = SupplyPointIndexView
    inspect_view_class = SupplyPointInspectView
    list_display = [
        "number",
        Column("address", label=_("Address"), accessor="address", sort_key="street"),
        Column("customer", label=_("Customer"), accessor="customer", sort_key="customer__number"),
        Column("tariff", label=_("Tariff"), accessor="tariff"),
        BooleanColumn("is_household", label=_("Household"), sort_key="is_household"),
        Column(
            "payment_method",
            label=_("Payment method"),
            accessor="get_payment_method_display",
            sort_key="payment_method",
        ),
    ]
    list_filter = ["is_household", "payment_method", "rainwater_charged"]
    search_fields = [
        "number",
        "street",
        "house_number",
        "orientation_number",
        "part_of_municipality",
        "municipality",
        "postcode",
        "customer__number",
        "customer__name",
    ]
    inspect_view_fields = [
        "number",
        "customer",
        "address",
        "is_household",
        "rainwater_charged",
        "tariff",
        "advance_amount",
        "advance_frequency",
        "payment_method",
        "sipo_number",
        "zis_id",
        "zis_updated_at",
    ]


class CustomersViewSetGroup(ModelViewSetGroup):
    menu_label = _("Customers")
    menu_icon = "group"
    menu_order = 310
    items = (CustomerViewSet, SupplyPointViewSet)
