"""Every portal route of the project, for tests that check who may open what.

A route is a *portal route* when

1. it is a URL pattern whose namespace starts with ``portal`` (``portal``, ``portal-account``, …),
2. or whose view comes from ``allauth.account`` or ``allauth.mfa`` (the account pages),
3. or whose path, without the language prefix, starts with one of ``PORTAL_PATH_PREFIXES``,
4. or it is a sub-route (``@path``/``@re_path``) of a live page whose model subclasses
   ``RoutablePageMixin`` and belongs to the ``portal`` app; its URL is the page's URL plus the
   sub-route.

All portal routes require a signed-in user except those named in ``PUBLIC_ROUTE_NAMES`` (allauth's
sign-in, sign-up, password-reset and e-mail-confirmation steps, the personal API's schema) and the
sub-routes of the page models in ``PUBLIC_PAGE_MODELS`` (the outage notices' listing).
Routes of the personal API (namespace ``portal-api``) are signed in with a personal token
instead of a session (``auth == "token"``), the calendar feed (``portal-feed``) with the secret
in its URL (``auth == "feed"``). ``tests/accounts/
test_route_scoping.py`` walks ``iter_portal_routes()``: anonymous visitors must be sent to the
login page, and a signed-in outsider must get a 404 for another customer's object. A new route
needs no registration — but a new URL keyword must be known to that test (it fails otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

PORTAL_NAMESPACE_PREFIX = "portal"
PORTAL_VIEW_MODULES = ("allauth.account", "allauth.mfa")
PORTAL_PATH_PREFIXES = ("ucet/", "portal/", "accounts/", "odecet/")

# allauth's steps that an anonymous visitor must be able to open.
PUBLIC_ROUTE_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_login_code",
        "mfa_authenticate",
        "mfa_trust",
        # a reading invitation's signed link is its own credential (portal.mailings.views)
        "mailings-reading",
    }
)

# Namespaces whose routes are not opened with a session: namespace -> how they are signed in.
ROUTE_AUTH = {"portal-api": "token", "portal-feed": "feed"}
PUBLIC_QUALIFIED_NAMES = frozenset({"portal-api:openapi-json", "portal-api:api-root"})
# Routable pages of the portal app that are public with all their sub-routes: the outage notices'
# listing, archive, feeds and subscription steps show nobody's customer data.
PUBLIC_PAGE_MODELS = frozenset({"NoticeIndexPage"})

CONVERTER_NAMES = {
    IntConverter: "int",
    SlugConverter: "slug",
    PathConverter: "path",
    UUIDConverter: "uuid",
    StringConverter: "str",
}


@dataclass(frozen=True)
class PortalRoute:
    """One route: its name, where it came from, its URL keywords and how to build its URL."""

    name: str
    source: str  # "url" or "page"
    kwargs: dict[str, str] = field(compare=False)  # keyword -> converter ("int", "slug", …)
    builder: Callable[[dict[str, Any]], str] = field(compare=False, repr=False)
    public: bool = False
    auth: str = "session"  # "session", "token" (personal API) or "feed" (secret in the URL)

    def url(self, **kwargs: Any) -> str:
        return self.builder(kwargs)


# --- URL patterns -----------------------------------------------------------------------------


def _pattern_kwargs(pattern: URLPattern) -> dict[str, str]:
    if isinstance(pattern.pattern, RoutePattern):
        return {
            name: CONVERTER_NAMES.get(type(converter), type(converter).__name__)
            for name, converter in pattern.pattern.converters.items()
        }
    if isinstance(pattern.pattern, RegexPattern):
        return dict.fromkeys(pattern.pattern.regex.groupindex, "regex")
    return {}


def _walk(patterns, namespace: str = "", prefix: str = "") -> Iterator[tuple[URLPattern, str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # i18n_patterns: walk the default language, which has no prefix
            locale = isinstance(entry.pattern, LocalePrefixPattern)
            part = "" if locale else str(entry.pattern)
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, inner, prefix + part)
        else:
            yield entry, namespace, prefix + str(entry.pattern)


def _view_module(pattern: URLPattern) -> str:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return (view_class or callback).__module__


def is_portal_pattern(pattern: URLPattern, namespace: str, route: str) -> bool:
    route = route.lstrip("^")
    return (
        namespace.startswith(PORTAL_NAMESPACE_PREFIX)
        or _view_module(pattern).startswith(PORTAL_VIEW_MODULES)
        or route.startswith(PORTAL_PATH_PREFIXES)
    )


def _substitute(route: str) -> Callable[[dict[str, Any]], str]:
    def build(kwargs: dict[str, Any]) -> str:
        text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
        return "/" + text.lstrip("^").rstrip("$")

    return build


def _url_route(pattern: URLPattern, namespace: str, route: str) -> PortalRoute:
    if pattern.name:
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        builder = lambda kwargs, name=name: reverse(name, kwargs=kwargs or None)  # noqa: E731
    else:
        name = f"{namespace}:<unnamed {route}>"
        builder = _substitute(route)
    return PortalRoute(
        name=name,
        source="url",
        kwargs=_pattern_kwargs(pattern),
        builder=builder,
        public=pattern.name in PUBLIC_ROUTE_NAMES or name in PUBLIC_QUALIFIED_NAMES,
        auth=ROUTE_AUTH.get(namespace, "session"),
    )


def iter_portal_url_routes() -> Iterator[PortalRoute]:
    for pattern, namespace, route in _walk(get_resolver().url_patterns):
        if is_portal_pattern(pattern, namespace, route):
            yield _url_route(pattern, namespace, route)


# --- Routable portal pages --------------------------------------------------------------------


def portal_page_models() -> list[type]:
    """The routable page models of the `portal` app."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    return [
        model
        for model in apps.get_app_config("portal").get_models()
        if issubclass(model, Page) and issubclass(model, RoutablePageMixin)
    ]


def _page_route(page: Any, pattern: URLPattern) -> PortalRoute:
    model = type(page)

    def build(kwargs: dict[str, Any]) -> str:
        return page.url + page.reverse_subpage(pattern.name, kwargs=kwargs or None)

    return PortalRoute(
        name=f"{model.__name__}.{pattern.name}",
        source="page",
        kwargs=_pattern_kwargs(pattern),
        builder=build,
        public=model.__name__ in PUBLIC_PAGE_MODELS,
    )


def iter_portal_page_routes() -> Iterator[PortalRoute]:
    for model in portal_page_models():
        for page in model.objects.live().specific():
            seen = set()  # an overridden route (e.g. index_route) is listed once per class
            for pattern in page.get_subpage_urls():
                if pattern.name not in seen:
                    seen.add(pattern.name)
                    yield _page_route(page, pattern)


def iter_portal_routes() -> Iterator[PortalRoute]:
    """URL patterns first, then the sub-routes of the live portal pages (needs the database)."""
    yield from iter_portal_url_routes()
    yield from iter_portal_page_routes()
