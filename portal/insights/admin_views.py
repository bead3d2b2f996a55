"""The Wagtail admin dashboard's summary of consumption warnings (for operators who may view
customers): how many customers have an open warning. Only the count; the warnings themselves are
the customers' business."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from portal.billing.models import Customer
from portal.insights.warnings import customers_with_open_warnings


class OpenWarningsPanel(Component):
    name = "open_consumption_warnings"
    template_name = "portal/admin/insights/open_warnings_panel.html"
    order = 160

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def render_html(self, parent_context: Any = None) -> str:
        policy = policy_registry.get_by_type(Customer)
        if not policy.user_has_permission(self.request.user, "view"):
            return ""
        context = {"customers": customers_with_open_warnings(), "request": self.request}
        return render_to_string(self.template_name, context, request=self.request)


def add_open_warnings_panel(request: HttpRequest, panels: list) -> None:
    """For the `construct_homepage_panels` hook."""
    panels.append(OpenWarningsPanel(request))
