"""The "pay everything due" QR Platba of the invoices page and the dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from cms_pages.templatetags.pramen_tags import utility_for_request
from portal.documents.payments_due import AmountDue, amount_due

register = template.Library()


@register.simple_tag(takes_context=True)
def amount_due_by_transfer(context: Any) -> AmountDue | None:
    """What the page's customer owes by bank transfer, with one QR Platba for all of it; None
    without a customer (or on a preview with sample data)."""
    request = context.get("request")
    portal = getattr(request, "portal", None)
    customer = getattr(portal, "customer", None)
    if customer is None or getattr(portal, "is_sample", False):
        return None
    return amount_due(request.user, customer, lambda: utility_for_request(request))
