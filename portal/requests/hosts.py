"""Where the request tracker lives: the live page of a type marked `TrackerHost`.

The portal's page types belong to `portal.pages`, which builds on this package; the requests
feature finds the page that hosts its tracker (to link to it from e-mails and after a form is
sent) by this marker instead of importing the page types.
"""

from __future__ import annotations

from wagtail.models import Page, get_page_models


class TrackerHost:
    """A portal page type whose `requests` route shows the customer's request tracker."""


def tracker_page() -> Page | None:
    """The first live page that hosts the tracker, or None when the portal has none."""
    for model in get_page_models():
        if issubclass(model, TrackerHost):
            page = model.objects.live().first()
            if page is not None:
                return page
    return None


def tracker_url(page: Page) -> str:
    """The tracker's address on `page` (in the active language)."""
    return (page.get_url() or "") + page.reverse_subpage("requests")
