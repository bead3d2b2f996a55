"""Template filters and tags of the portal pages: Czech formats and links between sections."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

from portal.billing.services import settlement
from portal.lib import formatting

register = template.Library()

register.filter("money", formatting.format_money)
register.filter("volume", formatting.format_volume)
register.filter("per_day", formatting.format_per_day)
register.filter("area", formatting.format_area)
register.filter("percent", formatting.format_percent)
register.filter("plain_number", formatting.format_plain)
register.filter("czdate", formatting.format_date)
register.filter("unit", formatting.normalise_unit)


@register.filter
def line_quantity(line: Any) -> str:
    """An invoice line's quantity and unit, the same on the web page and in the PDF."""
    return formatting.format_quantity(line.quantity, line.unit)


register.filter("negate", lambda value: -value if value is not None else None)


@register.filter
def decimal(value: Any, places: int = 2) -> str:
    return formatting.format_decimal(value, int(places))


@register.simple_tag(takes_context=True)
def section_url(context: Any, model_name: str, route: str | None = None, **kwargs: Any) -> str:
    """The URL of a portal section (by page type) or of one of its routes; "" if missing."""
    portal = context.get("portal")
    if portal is None:
        return ""
    return portal.nav.url(model_name, route, **kwargs)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with `changes` applied (None or "" removes a key), e.g. for
    pagination links that keep the filters."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def chart_query(chart: Any, customer: Any = None) -> str:
    """The query string that shows `chart` again, for its JSON data route."""
    return urlencode(chart.params(customer))


@register.simple_tag
def advances_taxed_by_calendar() -> bool:
    """True when the utility's payment calendar is the tax document for the advances (§ 31a),
    False when each received payment gets its own (docs/documents.md)."""
    return settlement.vat_model() == settlement.CALENDAR
