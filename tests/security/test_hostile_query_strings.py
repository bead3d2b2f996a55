"""No GET answers 5xx, whatever its query string.

Every route of the route table (tests/support/routes.py: the portal's URL patterns and its pages'
sub-routes, with the URL keywords of the `customer` persona's records) and every public route (the
live pages of the demo website, the search, robots.txt, the sitemap, …) is requested with hostile
query strings — NUL and other control characters, huge and negative numbers, very long values,
non-ASCII text, repeated keys — as an anonymous visitor, as a customer and as a signed-in outsider.

Two tests: one asks every route, as every persona, a fixed set of the values known to have broken
filters (a year of 10000, -5 or twenty digits; NUL in a search); the other lets Hypothesis combine
hostile keys and values on routes it picks (the profile in tests/security/conftest.py keeps the
example count modest).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Page, Site

from portal.pages.setup import ensure_portal_pages
from tests.accounts.conftest import build_world
from tests.accounts.test_route_scoping import kwargs_for
from tests.factories.accounts import client_for
from tests.support.routes import _walk, is_portal_pattern, iter_portal_routes

pytestmark = pytest.mark.django_db

# Parameters the views read, so that hostile values reach real parsing code.
KNOWN_KEYS = [
    "q",
    "page",
    "year",
    "month",
    "period",
    "supply_point",
    "status",
    "customer",
    "next",
    "id",
]
# Public URL patterns that are not pages: their route prefix (admin and the CMS are staff's).
STAFF_PREFIXES = ("admin/", "django-admin/", "cms/", "documents/")

FIXED_QUERIES = [
    [("year", "10000"), ("supply_point", "99999999999999999999"), ("page", "-5")],
    [("year", "-5"), ("month", "13"), ("q", "\x00"), ("customer", "\x00")],
    [("year", "99999999999999999999"), ("q", "a\x00b\x1f\x7f"), ("page", "99999999999999999999")],
    [("year", "1"), ("year", "x"), ("status", "\x00"), ("period", "é" * 500), ("q", "x" * 10000)],
]

HUGE_NUMBERS = st.sampled_from(
    ["10000", "-5", "0", "-0", "99999999999999999999", "-99999999999999999999", "1e308", "9" * 400]
)
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1)
HOSTILE_VALUES = st.one_of(
    HUGE_NUMBERS,
    st.integers().map(str),
    CONTROL,
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=5), CONTROL, st.text(max_size=5)),
    st.text(min_size=1000, max_size=3000),  # very long, non-ASCII included
    st.text(alphabet=st.characters(min_codepoint=0x80), max_size=30),
    st.text(max_size=30),
)
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=10))
QUERIES = st.lists(st.tuples(KEYS, HOSTILE_VALUES), min_size=1, max_size=6).flatmap(
    # repeated keys: the same pairs again, in another order
    lambda pairs: st.sampled_from([pairs, pairs + pairs[::-1]])
)


def _public_urls() -> list[str]:
    urls = set()
    for pattern, namespace, route in _walk(get_resolver().url_patterns):
        route = route.lstrip("^")
        if is_portal_pattern(pattern, namespace, route) or route.startswith(STAFF_PREFIXES):
            continue
        if pattern.pattern.regex.groups or "<" in route:
            continue  # keyworded (documents, ZIS batches) or the page catch-all: pages below
        urls.add("/" + route.rstrip("$"))
    site = Site.objects.get(is_default_site=True)
    for page in Page.objects.live().descendant_of(site.root_page, inclusive=True).specific():
        urls.add(page.url)
    return sorted(urls)


@pytest.fixture
def urls(customer_record, customer) -> list[str]:
    """Every public and portal URL, the portal's with the `customer` persona's records."""
    call_command("load_demo_content", "--no-users", verbosity=0)
    ensure_portal_pages()
    world = build_world(customer_record)
    found = set(_public_urls())
    for route in iter_portal_routes():
        if route.public and route.kwargs:
            continue  # allauth's e-mailed links (keys, tokens)
        values, _selects = kwargs_for(route, world)
        found.add(route.url(**values))
    return sorted(found)


@pytest.fixture
def clients(customer, outsider, settings) -> dict[str, Client]:
    # The HTTP door for ZIS open (it answers 503 by design while it is closed), so that its
    # signature check meets the hostile query strings.
    settings.ZIS_SHARED_SECRET = "hostile-query-test-secret"
    return {
        "anonymous": Client(),
        "customer": client_for(customer),
        "outsider": client_for(outsider),
    }


def _check(client: Client, url: str, pairs: list[tuple[str, str]]) -> str | None:
    """None when the GET answers below 500; otherwise what went wrong (the test client raises
    the view's exception instead of answering 500)."""
    full = f"{url}?{urlencode(pairs)}"
    try:
        status = client.get(full).status_code
    except Exception as error:  # a 500: reported with the others
        return f"{full[:300]}: {type(error).__name__}: {error}"
    return f"{full[:300]}: {status}" if status >= 500 else None


def test_the_route_list_covers_the_portal_and_the_public_site(urls):
    assert "/hledat/" in urls
    assert "/robots.txt" in urls
    assert any(url.startswith("/portal/faktury-a-zalohy/") for url in urls)
    assert any("/accounts/" in url or "/ucet/" in url for url in urls)
    assert len(urls) > 30


def test_the_known_bad_values_answer_no_5xx_anywhere(urls, clients):
    failures = [
        f"as {persona}: {failure}"
        for persona, client in clients.items()
        for url in urls
        for pairs in FIXED_QUERIES
        if (failure := _check(client, url, pairs))
    ]
    assert not failures, "\n".join(failures)


@given(data=st.data())
def test_hostile_query_strings_answer_no_5xx(urls, clients, data):
    url = data.draw(st.sampled_from(urls), label="url")
    persona = data.draw(st.sampled_from(sorted(clients)), label="persona")
    pairs = data.draw(QUERIES, label="query")
    failure = _check(clients[persona], url, pairs)
    assert failure is None, f"as {persona}: {failure}"
