"""The portal's own navigation: the portal home and its live sections, found in one query.

Staff may rename, reorder or move the portal pages; links between sections are therefore built
from the tree as it is (`PortalNav.url("InvoicesPage", "invoice", invoice_pk=7)`), never from
fixed paths. A section that does not exist gives an empty URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from wagtail.models import Page


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    model_name: str
    current: bool


@dataclass
class PortalNav:
    items: list[NavItem] = field(default_factory=list)
    _classes: dict[str, type] = field(default_factory=dict, repr=False)

    @property
    def home(self) -> NavItem | None:
        return (
            self.items[0] if self.items and self.items[0].model_name == "PortalHomePage" else None
        )

    @property
    def sections(self) -> list[NavItem]:
        return [item for item in self.items if item.model_name != "PortalHomePage"]

    def url(self, model_name: str, route: str | None = None, **kwargs: Any) -> str:
        """The URL of the section of type `model_name`, or of one of its routes."""
        item = next((item for item in self.items if item.model_name == model_name), None)
        if item is None or not item.url:
            return ""
        if route is None:
            return item.url
        subpage = self._classes[model_name].get_resolver().reverse(route, **kwargs)
        return item.url + subpage.lstrip("/")


def build_nav(page: Page, request: Any) -> PortalNav:
    """The nearest portal home above (or at) `page` and its live children, in tree order.

    Kept in the cache with the frame's generation (any page change renews it), per site and
    language: the navigation is the same for everyone, only the current item differs."""
    from django.apps import apps
    from django.core.cache import cache
    from django.utils import translation

    from cms_pages.templatetags.pramen_tags import frame_generation

    if not page.path:
        return PortalNav()
    site = getattr(request, "_wagtail_site", None)
    key = (
        f"pramen:portal-nav:{frame_generation()}:{getattr(site, 'pk', '')}:{page.pk}:"
        f"{translation.get_language()}"
    )
    rows = cache.get(key)
    if rows is None:
        rows = _nav_rows(page, request)
        cache.set(key, rows, 3600)
    items = [NavItem(title, url, name, pk == page.pk) for title, url, name, pk, _label in rows]
    return PortalNav(items, {name: apps.get_model(label) for _t, _u, name, _pk, label in rows})


def _nav_rows(page: Page, request: Any) -> list[tuple[str, str, str, int, str]]:
    step = Page.steplen
    ancestors = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    condition = Q(path__in=ancestors)
    for path in ancestors:
        condition |= Q(path__startswith=path, depth=len(path) // step + 1)
    found = list(Page.objects.live().filter(condition).order_by("path"))
    homes = [p for p in found if p.path in ancestors and _name(p) == "PortalHomePage"]
    if not homes:
        return []
    home = homes[-1]
    children = [p for p in found if p.path.startswith(home.path) and p.depth == home.depth + 1]
    return [
        (p.title, p.get_url(request) or "", _name(p), p.pk, p.specific_class._meta.label)
        for p in (home, *children)
        if p.specific_class
    ]


def _name(page: Page) -> str:
    cls = page.specific_class
    return cls.__name__ if cls else ""
