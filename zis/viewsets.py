"""Wagtail admin for operators: the sync runs of ZIS batches, read-only.

The listing filters by status, kind, source, batch id, start date and duration; the inspect view
shows the counts per entity, the errors, the warnings (what imported but may be odd) and what the
portal closed because ZIS removed rows it depended on. The dashboard panel sums up the last week.
Operators need `zis.view_syncrun`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, NumberRangeWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from portal.lib.admin import LabelledInspectView, ReadOnlyModelViewSet, RestrictedPermissionPolicy
from zis.http.store import received_from_folder
from zis.importer.report import COUNT_KEYS
from zis.models import OutboundBatch, SyncRun


def format_duration(run: SyncRun) -> str:
    """0.4 s, 12.3 s, 2 min 05 s."""
    if run.duration is None:
        return ""
    seconds = run.duration.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def received_at(run: SyncRun) -> datetime | None:
    """When the batch arrived: recorded, or for an HTTP upload read from its folder name."""
    if run.received_at or run.source != SyncRun.Source.HTTP:
        return run.received_at
    return received_from_folder(run.path)


def format_changes(run: SyncRun) -> str:
    """+created ~updated −deleted over all entities."""
    if not run.counts:
        return ""
    return f"+{run.total('created')} ~{run.total('updated')} −{run.total('deleted')}"


class SyncRunFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=SyncRun.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=SyncRun.Kind.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"),
        choices=SyncRun.Source.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    batch_id = django_filters.CharFilter(label=_("Batch id contains"), lookup_expr="icontains")
    started_at = django_filters.DateFromToRangeFilter(
        label=_("Started"), widget=DateRangePickerWidget
    )
    duration = django_filters.RangeFilter(
        label=_("Duration (seconds)"), method="filter_duration", widget=NumberRangeWidget
    )

    class Meta:
        model = SyncRun
        fields = ["status", "kind", "source", "batch_id", "started_at", "duration"]

    def filter_duration(self, queryset: QuerySet, name: str, value: slice) -> QuerySet:
        if value.start is not None:
            queryset = queryset.filter(duration__gte=timedelta(seconds=float(value.start)))
        if value.stop is not None:
            queryset = queryset.filter(duration__lte=timedelta(seconds=float(value.stop)))
        return queryset


class SyncRunInspectView(LabelledInspectView):
    template_name = "zis/admin/sync_run_inspect.html"

    def get_duration_display_value(self) -> str:
        return format_duration(self.object)

    def get_received_at_display_value(self) -> datetime | str:
        return received_at(self.object) or "–"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run: SyncRun = self.object
        context["count_rows"] = [
            (entity, [counts.get(key, 0) for key in COUNT_KEYS])
            for entity, counts in run.counts.items()
        ]
        context["count_totals"] = [run.total(key) for key in COUNT_KEYS]
        context["errors"] = run.errors
        context["warnings"] = run.warnings
        context["closed"] = run.closed
        return context


class SyncRunViewSet(ReadOnlyModelViewSet):
    model = SyncRun
    name = "sync-runs"
    icon = "resubmit"
    menu_label = _("Sync runs")
    inspect_view_class = SyncRunInspectView
    filterset_class = SyncRunFilterSet
    ordering = ["-started_at", "-pk"]
    list_display = [
        "batch_id",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda run: run.status == SyncRun.Status.SUCCEEDED,
            sort_key="status",
        ),
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("source", label=_("Source"), accessor="get_source_display", sort_key="source"),
        DateColumn("started_at", label=_("Started"), sort_key="started_at"),
        Column("duration", label=_("Duration"), accessor=format_duration, sort_key="duration"),
        Column("changes", label=_("Created, updated, deleted"), accessor=format_changes),
        Column("errors", label=_("Errors"), accessor=lambda run: len(run.errors) or ""),
        Column("warnings", label=_("Warnings"), accessor=lambda run: len(run.warnings) or ""),
        Column(
            "closed", label=_("Closed in the portal"), accessor=lambda run: len(run.closed) or ""
        ),
    ]
    search_fields = ["batch_id", "path"]
    inspect_view_fields = [
        "batch_id",
        "status",
        "kind",
        "source",
        "received_at",
        "started_at",
        "finished_at",
        "duration",
        "path",
    ]


class OutboundBatchFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=OutboundBatch.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = OutboundBatch
        fields = ["status", "created_at"]


class OutboundBatchViewSet(ReadOnlyModelViewSet):
    """Outbound batches of approved requests (zis/outbound/), read-only, newest first."""

    model = OutboundBatch
    name = "outbound-batches"
    icon = "upload"
    menu_label = _("Outbound batches")
    inspect_view_class = LabelledInspectView
    filterset_class = OutboundBatchFilterSet
    ordering = ["-created_at", "-pk"]
    list_display = [
        "batch_id",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda batch: batch.status == OutboundBatch.Status.ACKNOWLEDGED,
            sort_key="status",
        ),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        Column("self_readings", label=_("Self-readings"), sort_key="self_readings"),
        Column("address_changes", label=_("Address changes"), sort_key="address_changes"),
        Column("accepted", label=_("Accepted by ZIS"), sort_key="accepted"),
        Column("rejected", label=_("Rejected by ZIS"), sort_key="rejected"),
        DateColumn("acknowledged_at", label=_("Acknowledged"), sort_key="acknowledged_at"),
    ]
    search_fields = ["batch_id"]
    inspect_view_fields = [
        "batch_id",
        "status",
        "created_at",
        "written_at",
        "acknowledged_at",
        "ack_source",
        "self_readings",
        "address_changes",
        "accepted",
        "rejected",
        "path",
    ]


# Outbound batches are written by the exporter only: operators may view them, nobody changes them.
register_permission_policy(OutboundBatch, RestrictedPermissionPolicy(OutboundBatch, {"view"}))


class ZisViewSetGroup(ModelViewSetGroup):
    menu_label = _("ZIS")
    menu_icon = "resubmit"
    menu_order = 330
    items = (SyncRunViewSet, OutboundBatchViewSet)


class SyncRunsPanel(Component):
    """Dashboard panel: the last import and the runs of the last week, with their warnings."""

    name = "zis_sync_runs"
    template_name = "zis/admin/sync_runs_panel.html"
    order = 160
    period = timedelta(days=7)

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def render_html(self, parent_context: Any = None) -> str:
        if not self.request.user.has_perm("zis.view_syncrun"):
            return ""
        latest = SyncRun.objects.order_by("-started_at", "-pk").first()
        if latest is None:
            return ""
        recent = SyncRun.objects.filter(started_at__gte=timezone.now() - self.period)
        by_status = dict(
            recent.values_list("status").annotate(count=Count("pk")).values_list("status", "count")
        )
        warnings = closed = 0
        for run_warnings, run_closed in recent.values_list("warnings", "closed"):
            warnings += len(run_warnings or [])
            closed += len(run_closed or [])
        context = {
            "latest": latest,
            "succeeded": by_status.get(SyncRun.Status.SUCCEEDED, 0),
            "rejected": by_status.get(SyncRun.Status.REJECTED, 0),
            "failed": by_status.get(SyncRun.Status.FAILED, 0),
            "warnings": warnings,
            "closed": closed,
            "url": reverse("sync-runs:index"),
            "request": self.request,
        }
        return render_to_string(self.template_name, context, request=self.request)


def add_sync_runs_panel(request: HttpRequest, panels: list) -> None:
    """For the `construct_homepage_panels` hook."""
    panels.append(SyncRunsPanel(request))
