"""Wagtail's page routing from the cache: the site, the page and its view restrictions.

Wagtail finds the page of a request by walking the tree from the site's root, one query per
path segment, then looks up the site, aliases and view restrictions: about eight queries before
a page does anything, on every request. The page tree changes rarely, so the middleware keeps
(in the cache, shared by every worker and server through Redis):

- the site of each host and port;
- the route table of each site: the path of every live page below its root → the page's id;
- each page (its specific instance) and the view restrictions that apply to it.

Every entry carries the frame generation (`cms_pages.templatetags.pramen_tags.frame_generation`),
which any save, delete, publication, move of a page, a site or a view restriction renews, so an
edit is seen at once by every server. The cached page is then routed by the page itself
(`page.route`: a routable page's own routes cost no query) and the request is marked as routed
(`request._wagtail_route_for_request`), exactly as `Page.route_for_request` would have left it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

TIMEOUT = 3600  # seconds; a change renews the generation at once, this only bounds idle entries


def _generation() -> str:
    from cms_pages.templatetags.pramen_tags import frame_generation

    return frame_generation()


def cached_site(request: HttpRequest, generation: str) -> Site | None:
    """The request's site, as `Site.find_for_request` finds it, from the cache."""
    try:
        host, port = request.get_host(), request.get_port()
    except DisallowedHost:
        return None
    key = f"pramen:route:{generation}:site:{host}:{port}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        kept = copy.copy(site)
        kept._state = copy.copy(site._state)
        kept._state.fields_cache = {}  # the root page is cached on its own
        cache.set(key, kept, TIMEOUT)
    return site


def route_table(site: Site, generation: str) -> dict[str, int]:
    """Relative path of every live page of `site` ("" for the root, "portal/faktury/") → id."""
    key = f"pramen:route:{generation}:table:{site.pk}"
    table = cache.get(key)
    if table is None:
        root = Page.objects.only("path", "url_path").get(pk=site.root_page_id)
        rows = Page.objects.live().filter(path__startswith=root.path).values_list("pk", "url_path")
        table = {url_path[len(root.url_path) :]: pk for pk, url_path in rows}
        table.setdefault("", root.pk)  # a draft root still routes to its live children
        cache.set(key, table, TIMEOUT)
    return table


def cached_page(pk: int, generation: str) -> Page | None:
    """The specific page `pk` and the view restrictions that apply to it, from the cache."""
    key = f"pramen:route:{generation}:page:{pk}"
    entry = cache.get(key)
    if entry is None:
        page = Page.objects.filter(pk=pk).first()
        if page is None:
            return None
        page = page.specific
        restrictions = list(page.get_view_restrictions())
        entry = (page, restrictions)
        cache.set(key, entry, TIMEOUT)
    page, restrictions = entry
    # Wagtail's view-restriction check asks the page; the answer was computed with the page.
    page.get_view_restrictions = lambda: restrictions
    return page


def route(request: HttpRequest, path: str) -> Any:
    """Wagtail's RouteResult for `path` (None: no page), from the cached tree."""
    generation = _generation()
    site = getattr(request, "_wagtail_site", None) or cached_site(request, generation)
    if site is None:
        return None
    table = route_table(site, generation)
    components = [component for component in path.split("/") if component]
    for end in range(len(components), -1, -1):
        prefix = "".join(f"{component}/" for component in components[:end])
        if prefix in table:
            break
    page = cached_page(table[prefix], generation)
    if page is None:
        return None
    try:
        return page.route(request, components[end:])
    except Http404:
        return None


class PageRouteCacheMiddleware:
    """Routes requests for Wagtail pages from the cache (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every view may ask for the site (settings, the frame): found once, from the cache.
        site = cached_site(request, _generation())
        if site is not None:
            request._wagtail_site = site
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if view is wagtail_views.serve and not hasattr(request, "_wagtail_route_for_request"):
            path = args[0] if args else kwargs.get("path", "")
            request._wagtail_route_for_request = route(request, path)
