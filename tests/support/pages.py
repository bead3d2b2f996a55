"""URLs of the portal pages' routes, and what a reader sees of a page."""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html


def sub(page: Any, route: str, **kwargs: Any) -> str:
    """The URL of one of a routable portal page's routes (`sub(portal.invoices, "payments")`)."""
    return page.url + page.reverse_subpage(route, kwargs=kwargs or None)


def main_text(response: Any) -> str:
    """The text of a page's main content, its white space collapsed (asserts the page loaded)."""
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    return " ".join(document.xpath("//main")[0].text_content().split())
