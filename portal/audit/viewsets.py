"""The operators' access log in the admin (Settings → Operator access log): read-only, for superusers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import OperatorAccessLog


class OperatorAccessLogViewSet(ModelViewSet):
    """Who opened which customer's data in the admin; read-only, for superusers."""

    model = OperatorAccessLog
    icon = "history"
    menu_label = _("Operator access log")
    name = "operator-access-log"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        DateColumn("at", label=_("Time")),
        Column("user_display", label=_("Operator")),
        Column("customer_number", label=_("Customer number")),
        Column("what", label=_("What was opened")),
        Column("path", label=_("Web address")),
    ]
    list_filter = ["at", "user", "customer_number"]
    search_fields = ["customer_number", "user_display", "what"]
    ordering = ["-at"]
    form_fields = ["what"]  # never shown: the policy allows no add or change
