"""The operators' access log in the admin (Settings → Operator access log): read-only, for superusers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn

from portal.lib.admin import ReadOnlyModelViewSet

from .models import OperatorAccessLog


class OperatorAccessLogViewSet(ReadOnlyModelViewSet):
    """Who opened which customer's data, or which list with which search, in the admin.

    Listing, search and inspect only: no add, edit, copy or delete view exists (and the
    permission policy in `wagtail_hooks.py` lets superusers only view)."""

    model = OperatorAccessLog
    icon = "history"
    menu_label = _("Operator access log")
    name = "operator-access-log"
    add_to_settings_menu = True
    list_display = [
        DateColumn("at", label=_("Time")),
        Column("user_display", label=_("Operator")),
        Column("what", label=_("What was opened")),
        Column("customer_number", label=_("Customer number")),
        Column("query", label=_("Search and filters")),
        Column("path", label=_("Web address")),
    ]
    list_filter = ["at", "user", "customer_number", "view_name"]
    search_fields = ["customer_number", "user_display", "what", "query"]
    ordering = ["-at"]
    inspect_view_fields = [
        "at",
        "user_display",
        "what",
        "customer_number",
        "query",
        "view_name",
        "path",
        "ip_hash",
    ]
