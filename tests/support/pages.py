"""URLs of the portal pages' routes."""

from __future__ import annotations

from typing import Any


def sub(page: Any, route: str, **kwargs: Any) -> str:
    """The URL of one of a routable portal page's routes (`sub(portal.invoices, "payments")`)."""
    return page.url + page.reverse_subpage(route, kwargs=kwargs or None)
