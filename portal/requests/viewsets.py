"""Wagtail admin: the operators' queues of customer requests.

Self-readings, mailing-address changes and advance changes each have a queue (filters, search by
customer and supply point number, oldest pending first; advance changes approved at once within
the utility's bounds are listed too, as approved automatically), an inspect view (for
self-readings the meter's recent readings, the expected range, the implied daily consumption and
the photo; opening it and every page of a queue are recorded in the operators' access log),
approve and reject views, the history of decisions and a bulk "approve" that leaves flagged
requests alone. Seeing needs `portal.view_<model>`, deciding `portal.decide_<model>` (the
Operators group has both; see `portal/accounts/groups.py`). Deciding is
`portal.requests.services.decisions`; it locks the row, so of two operators deciding at once one
wins and the other is told who was first. The decision, photo
and history views, the bulk action and the admin home panel live in `admin_views.py`;
`wagtail_hooks.py` registers them with these viewsets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    StatusTagColumn,
)
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton

from portal.audit.services import AccessLoggedListMixin, log_operator_access
from portal.billing.models import Customer
from portal.lib.admin import LabelledInspectView, WordSearchIndexView, can_view
from portal.lib.formatting import format_date, format_money, format_volume
from portal.requests.admin_views import (
    ApproveView,
    DecisionView,
    PhotoView,
    RejectView,
    RequestHistoryView,
    can_decide,
    request_title,
)
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.services import queues

# --- Listing -------------------------------------------------------------------------------------


class RequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=RequestStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    flagged = django_filters.ChoiceFilter(
        label=gettext_lazy("Flagged"),
        choices=[("yes", gettext_lazy("Flagged only")), ("no", gettext_lazy("Not flagged"))],
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
        method="filter_flagged",
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("customer request", "Submitted"), widget=DateRangePickerWidget
    )
    customer_number = django_filters.CharFilter(
        label=gettext_lazy("Customer number"), field_name="customer_number"
    )

    class Meta:
        fields = ["status", "flagged", "submitted_at", "customer_number"]

    def filter_flagged(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(flagged=value == "yes")


class SelfReadingFilterSet(RequestFilterSet):
    supply_point_number = django_filters.CharFilter(
        label=gettext_lazy("Supply point number"), field_name="supply_point_number"
    )

    class Meta:
        model = SelfReadingRequest
        fields = [*RequestFilterSet.Meta.fields, "supply_point_number"]


class AddressChangeFilterSet(RequestFilterSet):
    class Meta:
        model = AddressChangeRequest
        fields = RequestFilterSet.Meta.fields


class AdvanceChangeFilterSet(RequestFilterSet):
    supply_point_number = django_filters.CharFilter(
        label=gettext_lazy("Supply point number"), field_name="supply_point_number"
    )

    class Meta:
        model = AdvanceChangeRequest
        fields = [*RequestFilterSet.Meta.fields, "supply_point_number"]


def status_column() -> StatusTagColumn:
    return StatusTagColumn(
        "status",
        label=gettext_lazy("Status"),
        accessor="get_status_display",
        primary=lambda obj: obj.status == RequestStatus.PENDING,
        sort_key="status",
    )


def submitted_text(obj: CustomerRequest) -> str:
    """2. 3. 2026 10:30 (local time)."""
    local = timezone.localtime(obj.submitted_at)
    return f"{format_date(local.date())} {local:%H:%M}"


def flag_text(obj: CustomerRequest) -> str:
    return _("flagged") if obj.flagged else ""


def decision_text(obj: AdvanceChangeRequest) -> str:
    """Who approved or rejected the change; those approved at once say so, since the
    operators see them in the queue only afterwards."""
    if obj.auto_approved:
        return _("approved automatically")
    user = obj.decided_by
    return (user.get_full_name() or user.email) if user else ""


def request_columns(*columns: Column) -> list[Any]:
    """The title column (the customer), `columns`, then submitted, status and flag."""
    return [
        "customer_label",
        *columns,
        Column(
            "submitted_at",
            label=pgettext_lazy("customer request", "Submitted"),
            accessor=submitted_text,
            sort_key="submitted_at",
        ),
        status_column(),
        Column("flagged", label=gettext_lazy("Flagged"), accessor=flag_text, sort_key="flagged"),
    ]


def pending_first(queryset: QuerySet) -> QuerySet:
    """Annotate `waiting` (0 for pending requests, 1 otherwise) for the default ordering."""
    return queryset.annotate(
        waiting=Case(
            When(status=RequestStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


class RequestIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = gettext_lazy("request queue")
    template_name = "portal/admin/requests/index.html"
    approve_url_name: str | None = None
    reject_url_name: str | None = None
    history_url_name: str | None = None
    related: tuple[str, ...] = ("customer",)

    def get_base_queryset(self) -> QuerySet:
        return pending_first(super().get_base_queryset().select_related(*self.related))

    @cached_property
    def can_decide(self) -> bool:
        return can_decide(self.request.user, self.model)

    @cached_property
    def columns(self) -> list[Column]:
        columns = super().columns
        if self.can_decide:
            obj_type = self.model._meta.model_name
            columns = [BulkActionsCheckboxColumn("bulk_actions", obj_type=obj_type), *columns]
        return columns

    def _get_title_column(self, field_name: str, *args: Any, **kwargs: Any) -> Column:
        obj_type = self.model._meta.model_name
        return super()._get_title_column(
            field_name,
            *args,
            get_title_id=lambda obj: f"{obj_type}_{quote(obj.pk)}_title",
            **kwargs,
        )

    def get_list_more_buttons(self, instance: CustomerRequest) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        next_query = "?" + urlencode({"next": self.request.get_full_path()})
        if instance.is_pending and self.can_decide:
            approve = reverse(self.approve_url_name, args=[quote(instance.pk)])
            reject = reverse(self.reject_url_name, args=[quote(instance.pk)])
            buttons += [
                Button(
                    pgettext("request decision", "Approve"),
                    url=approve + next_query,
                    icon_name="check",
                    priority=1,
                ),
                Button(
                    pgettext("request decision", "Reject"),
                    url=reject + next_query,
                    icon_name="cross",
                    priority=2,
                ),
            ]
        history_url = reverse(self.history_url_name, args=[quote(instance.pk)])
        buttons.append(Button(_("History"), url=history_url, icon_name="history", priority=40))
        return buttons

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["can_decide"] = self.can_decide
        return context


class SelfReadingIndexView(RequestIndexView):
    access_log_what = gettext_lazy("self-reading queue")
    related = ("customer", "meter__supply_point")


class AddressChangeIndexView(RequestIndexView):
    access_log_what = gettext_lazy("address change queue")


class AdvanceChangeIndexView(RequestIndexView):
    access_log_what = gettext_lazy("advance change queue")
    related = ("customer", "decided_by")


# --- Inspect -------------------------------------------------------------------------------------


class RequestInspectView(LabelledInspectView):
    approve_url_name: str | None = None
    reject_url_name: str | None = None
    history_url_name: str | None = None
    photo_url_name: str | None = None
    related: tuple[str, ...] = ("customer", "decided_by", "submitted_by")
    what_opened = gettext_lazy("customer request")

    def get_object(self, queryset: QuerySet | None = None) -> CustomerRequest:
        return get_object_or_404(self.model.objects.select_related(*self.related), pk=self.pk)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_operator_access(request, self.object.customer, self.what_opened)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return request_title(self.object)

    @cached_property
    def can_decide(self) -> bool:
        return self.object.is_pending and can_decide(self.request.user, self.model)

    def decision_url(self, url_name: str | None) -> str:
        return reverse(url_name, args=[quote(self.object.pk)])

    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = []
        if self.can_decide:
            buttons += [
                HeaderButton(
                    pgettext("request decision", "Approve"),
                    url=self.decision_url(self.approve_url_name),
                    icon_name="check",
                ),
                HeaderButton(
                    pgettext("request decision", "Reject"),
                    url=self.decision_url(self.reject_url_name),
                    icon_name="cross",
                ),
            ]
        buttons.append(
            HeaderButton(
                _("History"), url=self.decision_url(self.history_url_name), icon_name="history"
            )
        )
        return buttons

    def get_customer_display_value(self) -> str:
        return str(self.object.customer)

    def get_decided_by_display_value(self) -> str:
        user = self.object.decided_by
        return (user.get_full_name() or user.email) if user else "–"

    def get_submitted_by_display_value(self) -> str:
        user = self.object.submitted_by
        return user.email if user else "–"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_decide"] = self.can_decide
        if self.can_decide:
            context["approve_url"] = self.decision_url(self.approve_url_name)
            context["reject_url"] = self.decision_url(self.reject_url_name)
        context["customer_url"] = (
            reverse("customers:inspect", args=[self.object.customer_id])
            if can_view(self.request, Customer)
            else ""
        )
        return context


DECISION_FIELDS = ["status", "decided_at", "decided_by", "rejection_reason"]
ZIS_FIELDS = ["outbound_batch_id", "sent_at", "confirmed_at", "zis_rejected_at"]


class SelfReadingInspectView(RequestInspectView):
    template_name = "portal/admin/requests/self_reading_inspect.html"
    related = ("customer", "meter__supply_point", "decided_by", "submitted_by")
    what_opened = gettext_lazy("self-reading")
    extra_labels = {"supply_point": gettext_lazy("Supply point")}

    def get_value_display_value(self) -> str:
        return format_volume(self.object.value)

    def get_previous_value_display_value(self) -> str:
        return format_volume(self.object.previous_value) or "–"

    def get_supply_point_display_value(self) -> str:
        obj = self.object
        if obj.meter is not None:
            return str(obj.meter.supply_point)
        return f"{obj.supply_point_number} {obj.supply_point_address}"

    def get_meter_display_value(self) -> str:
        return str(self.object.meter or self.object.meter_serial)

    def get_customer_display_value(self) -> str:
        return self.object.customer_label

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj: SelfReadingRequest = self.object
        removed = obj.meter is None  # ZIS removed the meter: its history is gone with it
        context["recent_readings"] = [] if removed else queues.recent_meter_readings(obj.meter)
        context["implied_daily"] = queues.implied_daily_consumption(obj)
        context["usual_daily"] = None if removed else queues.usual_daily_consumption(obj.meter)
        context["photo_url"] = self.decision_url(self.photo_url_name) if obj.photo else ""
        return context


class AddressChangeInspectView(RequestInspectView):
    template_name = "portal/admin/requests/address_change_inspect.html"
    what_opened = gettext_lazy("mailing-address change")
    extra_labels = {
        "address": gettext_lazy("New mailing address"),
        "current_address": gettext_lazy("Current mailing address"),
    }

    def get_current_address_display_value(self) -> str:
        customer = self.object.customer
        return "–" if customer is None else str(customer.mailing_address)

    def get_customer_display_value(self) -> str:
        return self.object.customer_label


class AdvanceChangeInspectView(RequestInspectView):
    template_name = "portal/admin/requests/address_change_inspect.html"
    what_opened = gettext_lazy("advance change")

    def get_customer_display_value(self) -> str:
        return self.object.customer_label

    def get_supply_point_display_value(self) -> str:
        obj = self.object
        return str(obj.supply_point) if obj.supply_point else obj.supply_point_number

    def get_current_amount_display_value(self) -> str:
        return format_money(self.object.current_amount)

    def get_suggested_amount_display_value(self) -> str:
        return format_money(self.object.suggested_amount)

    def get_requested_amount_display_value(self) -> str:
        return format_money(self.object.requested_amount)


# --- Viewsets ------------------------------------------------------------------------------------


class RequestViewSet(ModelViewSet):
    """A queue of requests: listing, inspect, history, approve and reject (no add/edit/delete)."""

    index_view_class = RequestIndexView
    history_view_class = RequestHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None
    add_to_reference_index = False
    ordering = ["waiting", "submitted_at", "pk"]  # oldest pending first
    search_fields = ["customer_number", "customer_name"]
    index_template_name = "portal/admin/requests/index.html"

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        missing = {f"{name}_url_name": None for name in ("add", "edit", "delete", "usage")}
        return super().get_common_view_kwargs(**{**missing, **kwargs})

    def decision_url_names(self) -> dict[str, str]:
        return {
            "approve_url_name": self.get_url_name("approve"),
            "reject_url_name": self.get_url_name("reject"),
            "history_url_name": self.get_url_name("history"),
        }

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(**self.decision_url_names(), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_inspect_view_kwargs(**self.decision_url_names(), **kwargs)

    def get_history_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_history_view_kwargs(
            inspect_url_name=self.get_url_name("inspect"), **kwargs
        )

    def decision_view(self, view_class: type[DecisionView]) -> Any:
        return view_class.as_view(
            model=self.model,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self) -> list[URLPattern]:
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(
                f"history-results/<{conv}:pk>/", self.history_results_view, name="history_results"
            ),
            path(f"approve/<{conv}:pk>/", self.decision_view(ApproveView), name="approve"),
            path(f"reject/<{conv}:pk>/", self.decision_view(RejectView), name="reject"),
        ]

    def get_permissions_to_register(self) -> QuerySet:
        codenames = [f"view_{self.model_name}", f"decide_{self.model_name}"]
        return super().get_permissions_to_register().filter(codename__in=codenames)


class SelfReadingViewSet(RequestViewSet):
    model = SelfReadingRequest
    name = "self-readings"
    icon = "doc-full"
    menu_label = gettext_lazy("Self-readings")
    index_view_class = SelfReadingIndexView
    inspect_view_class = SelfReadingInspectView
    filterset_class = SelfReadingFilterSet
    search_fields = [
        "customer_number",
        "customer_name",
        "supply_point_number",
        "meter_serial",
    ]
    list_display = request_columns(
        Column(
            "meter",
            label=gettext_lazy("Supply point / meter"),
            accessor=lambda obj: f"{obj.supply_point_number} / {obj.meter_serial}",
        ),
        Column(
            "date",
            label=gettext_lazy("Reading date"),
            accessor=lambda obj: format_date(obj.date),
            sort_key="date",
        ),
        Column(
            "value",
            label=gettext_lazy("Meter reading"),
            accessor=lambda obj: format_volume(obj.value),
            sort_key="value",
        ),
    )
    inspect_view_fields = [
        "customer",
        "supply_point",
        "meter",
        "date",
        "value",
        "previous_date",
        "previous_value",
        "submitted_at",
        "submitted_by",
        "flagged",
        "flag_reason",
        "customer_confirmed_unusual",
        *DECISION_FIELDS,
        *ZIS_FIELDS,
    ]

    def get_inspect_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_inspect_view_kwargs(photo_url_name=self.get_url_name("photo"), **kwargs)

    def get_urlpatterns(self) -> list[URLPattern]:
        photo = PhotoView.as_view()
        return [
            *super().get_urlpatterns(),
            path(f"photo/<{self.pk_path_converter}:pk>/", photo, name="photo"),
        ]


class AddressChangeViewSet(RequestViewSet):
    model = AddressChangeRequest
    name = "address-changes"
    icon = "home"
    menu_label = gettext_lazy("Address changes")
    index_view_class = AddressChangeIndexView
    inspect_view_class = AddressChangeInspectView
    filterset_class = AddressChangeFilterSet
    list_display = request_columns(
        Column("address", label=gettext_lazy("New mailing address"), accessor="address"),
        Column(
            "effective_date",
            label=gettext_lazy("Effective from"),
            accessor=lambda obj: format_date(obj.effective_date),
            sort_key="effective_date",
        ),
    )
    inspect_view_fields = [
        "customer",
        "current_address",
        "address",
        "effective_date",
        "note",
        "submitted_at",
        "submitted_by",
        "flagged",
        "flag_reason",
        *DECISION_FIELDS,
        *ZIS_FIELDS,
    ]


class AdvanceChangeViewSet(RequestViewSet):
    model = AdvanceChangeRequest
    name = "advance-changes"
    icon = "date"
    menu_label = gettext_lazy("Advance changes")
    index_view_class = AdvanceChangeIndexView
    inspect_view_class = AdvanceChangeInspectView
    filterset_class = AdvanceChangeFilterSet
    search_fields = ["customer_number", "customer_name", "supply_point_number"]
    list_display = request_columns(
        Column("supply_point_number", label=gettext_lazy("Supply point")),
        Column(
            "requested_amount",
            label=gettext_lazy("Requested advance"),
            accessor=lambda obj: format_money(obj.requested_amount),
            sort_key="requested_amount",
        ),
        Column(
            "suggested_amount",
            label=gettext_lazy("Suggested advance"),
            accessor=lambda obj: format_money(obj.suggested_amount),
        ),
        Column("decided_by", label=gettext_lazy("Decision"), accessor=decision_text),
    )
    inspect_view_fields = [
        "customer",
        "supply_point",
        "current_amount",
        "suggested_amount",
        "requested_amount",
        "period_start",
        "auto_approved",
        "submitted_at",
        "submitted_by",
        "flagged",
        "flag_reason",
        *DECISION_FIELDS,
        *ZIS_FIELDS,
    ]


class RequestsViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Requests")
    menu_icon = "tasks"
    menu_order = 300
    items = (SelfReadingViewSet, AddressChangeViewSet, AdvanceChangeViewSet)
