"""Wagtail admin for operators: the e-mail notifications.

The listing filters by status, template, language and date; failed e-mails are counted on the
dashboard (linking to the filtered listing). The inspect view shows the recipient, subject,
attempts, last error and the rendered text, and logs the operator's access to the customer;
every page of the listing is logged too (it shows recipients' addresses).
"Resend" (POST, `portal.change_notification`) puts a failed or queued e-mail back in the queue
with fresh attempts; a sent e-mail is never rewritten: resending it makes a new notification
(`resent_from` the original), so what went out stays on record. Registered in `wagtail_hooks.py`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from portal.audit.services import AccessLoggedListMixin, log_operator_access
from portal.lib.admin import LabelledInspectView, ReadOnlyModelViewSet, WordSearchIndexView
from portal.lib.languages import Language
from portal.notifications.models import Notification
from portal.notifications.services import (
    NotificationError,
    render_notification,
    resend_notification,
)

RESEND_ACTION = "portal.notification.resend"


def register_notification_log_actions(actions: Any) -> None:
    """For the `register_log_actions` hook: how a resend shows in the history."""
    actions.register_action(RESEND_ACTION, _("Resend e-mail"), _("E-mail queued to be sent again"))


def can(request: HttpRequest, action: str) -> bool:
    return policy_registry.get_by_type(Notification).user_has_permission(request.user, action)


class NotificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Notification.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    template = django_filters.ChoiceFilter(
        label=_("Template"),
        choices=Notification.Template.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Notification
        fields = ["status", "template", "language", "created_at"]


class NotificationIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = _("e-mail notification list")

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().select_related("customer")


class NotificationInspectView(LabelledInspectView):
    template_name = "portal/admin/notifications/inspect.html"

    def get_object(self, queryset: QuerySet | None = None) -> Notification:
        notification = super().get_object(queryset)
        related = Notification.objects.select_related("customer", "user", "resent_from")
        return related.get(pk=notification.pk)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.customer is not None:
            log_operator_access(request, self.object.customer, _("e-mail notification"))
        return super().get(request, *args, **kwargs)

    def get_next_attempt_at_display_value(self) -> Any:
        """Only a queued (or stuck "sending") e-mail has a next attempt."""
        waiting = self.object.status in (Notification.Status.QUEUED, Notification.Status.SENDING)
        return self.object.next_attempt_at if waiting else "–"

    def get_user_display_value(self) -> str:
        return self.object.user.email if self.object.user else "–"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        notification: Notification = self.object
        context["body_text"], context["is_preview"] = notification.body_text, False
        if not notification.body_text:
            try:
                context["body_text"] = render_notification(notification).text
                context["is_preview"] = True
            except Exception as error:  # shown to the operator instead of the text
                context["render_error"] = f"{type(error).__name__}: {error}"
        context["can_resend"] = notification.is_resendable and can(self.request, "change")
        context["resend_url"] = reverse("notifications:resend", args=[notification.pk])
        context["resends"] = list(notification.resends.order_by("-created_at"))
        return context


class ResendNotificationView(PermissionCheckedMixin, View):
    """POST only: queue the e-mail again (see the module's docstring) and show the result."""

    model = Notification
    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            notification = resend_notification(pk)
        except Notification.DoesNotExist as missing:
            raise Http404 from missing
        except NotificationError as error:
            messages.error(request, str(error))
            return redirect("notifications:inspect", pk)
        log(notification, RESEND_ACTION, user=request.user)
        if notification.pk == pk:
            messages.success(request, _("The e-mail has been queued to be sent again."))
        else:
            messages.success(request, _("A new copy of the e-mail has been queued."))
        return redirect("notifications:inspect", notification.pk)


class NotificationViewSet(ReadOnlyModelViewSet):
    model = Notification
    name = "notifications"
    icon = "mail"
    menu_label = _("E-mail notifications")
    menu_order = 340
    add_to_admin_menu = True
    index_view_class = NotificationIndexView
    inspect_view_class = NotificationInspectView
    filterset_class = NotificationFilterSet
    ordering = ["-created_at", "-pk"]
    list_display = [
        "recipient_display",  # the title column, linking to the inspect view
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        Column("template", label=_("Template"), accessor="get_template_display"),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda notification: notification.status == Notification.Status.SENT,
            sort_key="status",
        ),
        Column("attempts", label=_("Attempts"), sort_key="attempts"),
        DateColumn("sent_at", label=_("Sent at"), sort_key="sent_at"),
        Column("customer", label=_("Customer"), accessor="customer"),
    ]
    search_fields = ["recipient", "subject", "customer__number", "customer__name"]
    inspect_view_fields = [
        "recipient",
        "customer",
        "user",
        "template",
        "language",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "subject",
        "resent_from",
    ]

    def get_urlpatterns(self) -> list[URLPattern]:
        resend = ResendNotificationView.as_view()
        return [*super().get_urlpatterns(), path("resend/<int:pk>/", resend, name="resend")]

    def get_permissions_to_register(self) -> QuerySet:
        codenames = [
            get_permission_codename(action, self.model_opts) for action in ("view", "change")
        ]
        return (
            super(ReadOnlyModelViewSet, self)
            .get_permissions_to_register()
            .filter(codename__in=codenames)
        )


class FailedNotificationsPanel(Component):
    """Dashboard panel: how many e-mails failed, linking to them (for who may see them)."""

    name = "failed_notifications"
    template_name = "portal/admin/notifications/failed_panel.html"
    order = 150

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def render_html(self, parent_context: Any = None) -> str:
        if not can(self.request, "view"):
            return ""
        failed = Notification.objects.failed().count()
        if not failed:
            return ""
        url = reverse("notifications:index") + "?status=" + Notification.Status.FAILED
        context = {"failed": failed, "url": url, "request": self.request}
        return render_to_string(self.template_name, context, request=self.request)


def add_failed_notifications_panel(request: HttpRequest, panels: list) -> None:
    """For the `construct_homepage_panels` hook."""
    panels.append(FailedNotificationsPanel(request))
