"""Every portal route, found by walking the URL patterns and the portal pages' sub-routes.

The rule (see tests/support/routes.py): patterns in a `portal…` namespace, allauth's account and MFA
views, anything under /ucet/, /portal/ or /accounts/, and every sub-route of a live routable
portal page. For each:

- an anonymous visitor is sent to the login page (unless the route is one of allauth's public
  steps);
- a route with a customer's object in its URL answers 404 to a signed-in outsider and to a user of
  another customer, and not 404 to the object's own user (so the test really reaches the object);
- a route without such an object never shows another customer's name or number.

Routes of the personal API (`route.auth == "token"`) are opened with a personal token of the
user instead of a session: without one they answer 401, with a revoked one too. The calendar
feed (`"feed"`) is opened with the secret in its URL: a revoked secret is a 404 for everyone.

A new route is picked up automatically. Its URL keywords must be known here: add the object
they select to OBJECT_KWARGS (by keyword) or ROUTE_KWARGS (by route, for "pk"-like keywords), or
to PLAIN_KWARGS when they select no customer's data. A new routable portal page model that cannot
be created with just a title needs a builder in PAGE_BUILDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from portal.api.models import ApiToken, CalendarFeed
from tests.factories.accounts import client_for
from tests.factories.requests import self_reading
from tests.support.routes import PortalRoute, iter_portal_routes, portal_page_models

pytestmark = pytest.mark.django_db

Factory = Callable[[SimpleNamespace], Any]

OBJECT_KWARGS: dict[str, Factory] = {
    "link_pk": lambda w: w.link.pk,
    "customer_pk": lambda w: w.customer.pk,
    "customer_id": lambda w: w.customer.pk,
    "customer_number": lambda w: w.customer.number,
    "supply_point_pk": lambda w: w.supply_point.pk,
    "supply_point_id": lambda w: w.supply_point.pk,
    "supply_point_number": lambda w: w.supply_point.number,
    "meter_pk": lambda w: w.meter.pk,
    "meter_id": lambda w: w.meter.pk,
    "reading_pk": lambda w: w.reading.pk,
    "invoice_pk": lambda w: w.invoice.pk,
    "invoice_id": lambda w: w.invoice.pk,
    "invoice_number": lambda w: w.invoice.number,
    "schedule_pk": lambda w: w.schedule.pk,
    "advance_pk": lambda w: w.advance.pk,
    "payment_pk": lambda w: w.payment.pk,
    "rainwater_pk": lambda w: w.rainwater.pk,
    "assessment_pk": lambda w: w.rainwater.pk,
    "self_reading_pk": lambda w: self_reading(w.meter, photo=True).pk,
    "token_pk": lambda w: ApiToken.issue(w.link.user, "Home Assistant")[0].pk,
    "feed_secret": lambda w: CalendarFeed.issue(w.link.user)[1],
}
# Keywords whose object depends on the route ("pk", "id"): route name -> keyword -> object.
# Page routes are named "<PageModel>.<route name>", URL patterns "<namespace>:<name>".
ROUTE_KWARGS: dict[str, dict[str, Factory]] = {}
# Keywords that select no customer's data (a year, a chart period, …).
PLAIN_KWARGS: dict[str, Factory] = {
    "year": lambda w: 2024,
}
# Routable portal page models that need more than a title to exist: model name -> builder(home).
PAGE_BUILDERS: dict[str, Callable[[Any], Any]] = {}


class UnknownKeyword(Exception):
    pass


def kwargs_for(route: PortalRoute, world: SimpleNamespace) -> tuple[dict[str, Any], bool]:
    """URL keywords selecting `world`'s objects, and whether any selects a customer's object."""
    values, selects_object = {}, False
    for keyword in route.kwargs:
        factory = ROUTE_KWARGS.get(route.name, {}).get(keyword) or OBJECT_KWARGS.get(keyword)
        if factory is not None:
            selects_object = True
        else:
            factory = PLAIN_KWARGS.get(keyword)
        if factory is None:
            raise UnknownKeyword(
                f"{route.name}: URL keyword {keyword!r} is unknown to the route scoping test. "
                "Add it to OBJECT_KWARGS, ROUTE_KWARGS or PLAIN_KWARGS in "
                "tests/accounts/test_route_scoping.py."
            )
        values[keyword] = factory(world)
    return values, selects_object


@pytest.fixture
def portal_pages(home):
    """One live page of every routable portal page model, under the home page."""
    pages = []
    for model in portal_page_models():
        builder = PAGE_BUILDERS.get(model.__name__)
        try:
            page = builder(home) if builder else _plain_page(home, model)
        except Exception as error:  # report which model needs a builder
            pytest.fail(f"Cannot create {model.__name__} ({error}); add it to PAGE_BUILDERS.")
        pages.append(page)
    return pages


def _plain_page(home, model):
    return home.add_child(
        instance=model(title=model._meta.verbose_name, slug=slugify(model.__name__))
    )


@pytest.fixture
def routes(portal_pages, other_world) -> list[tuple[PortalRoute, str, bool]]:
    """(route, URL of `other_world`'s object, selects an object) for every portal route."""
    found, unknown = [], []
    for route in iter_portal_routes():
        if route.public and route.kwargs:
            continue  # allauth's e-mailed links (keys, tokens): nobody's customer data
        try:
            values, selects_object = kwargs_for(route, other_world)
        except UnknownKeyword as error:
            unknown.append(str(error))
            continue
        found.append((route, route.url(**values), selects_object))
    assert not unknown, "\n".join(unknown)
    return found


def client_of(user, route: PortalRoute) -> Client:
    """A client of `user` as the route is opened: a session, or a personal token."""
    if route.auth == "token":
        _token, secret = ApiToken.issue(user, "scoping test")
        return Client(headers={"Authorization": f"Bearer {secret}"})
    return client_for(user)


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:  # a POST-only route: the refusal must not depend on the verb
        response = client.post(url)
    return response


def test_the_walk_finds_the_account_routes_and_the_portal_pages(routes, portal_pages):
    names = {route.name for route, _url, _obj in routes}
    assert {
        "portal-account:overview",
        "portal-account:link-customer",
        "portal-account:unlink-customer",
        "portal-account:export-data",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
    } <= names
    for page in portal_pages:
        assert any(name.startswith(f"{type(page).__name__}.") for name in names), page


def test_anonymous_visitors_are_sent_to_login(client, routes):
    login = reverse("account_login")
    wrong = []
    for route, url, _selects_object in routes:
        if route.public or route.auth == "feed":  # the feed's secret is its credential
            continue
        response = _get(client, url)
        if route.auth == "token":
            if response.status_code != 401:
                wrong.append(f"{route.name} {url}: {response.status_code}, not 401")
            continue
        location = urlsplit(response.get("Location", ""))
        next_url = parse_qs(location.query).get("next", [""])[0]
        if response.status_code != 302 or location.path != login or next_url != url:
            wrong.append(f"{route.name} {url}: {response.status_code} {response.get('Location')}")
    assert not wrong, "Not sent to login:\n" + "\n".join(wrong)


def test_another_customers_objects_are_404_for_outsiders(
    routes, outsider, customer, other_customer
):
    object_routes = [
        (route, url) for route, url, selects in routes if selects and route.auth != "feed"
    ]
    assert object_routes  # at least the unlink route
    wrong = []
    for user in (outsider, customer):
        for route, url in object_routes:
            status = _get(client_of(user, route), url).status_code
            if status != 404:
                wrong.append(f"{route.name} {url} as {user.email}: {status}, not 404")
    for route, url in object_routes:  # last: the owner's request may change something
        status = _get(client_of(other_customer, route), url).status_code
        if status == 404 or status >= 500:
            wrong.append(f"{route.name} {url} as its owner: {status} (check the keywords)")
    assert not wrong, "\n".join(wrong)


def test_routes_without_objects_never_show_another_customer(
    routes, outsider, customer, other_customer_record
):
    wrong = []
    for user in (outsider, customer):
        for route, url, selects_object in routes:
            if selects_object or route.name == "account_logout":
                continue
            response = _get(client_of(user, route), url)
            body = response.content.decode(errors="replace")
            if response.status_code >= 500:
                wrong.append(f"{route.name} {url}: {response.status_code}")
            elif other_customer_record.name in body or f">{other_customer_record.number}<" in body:
                wrong.append(f"{route.name} {url} shows {other_customer_record} to {user.email}")
    assert not wrong, "\n".join(wrong)


def test_token_routes_refuse_a_revoked_token(routes, other_customer):
    token_routes = [(r, url) for r, url, _obj in routes if r.auth == "token" and not r.public]
    assert len(token_routes) >= 10
    token, secret = ApiToken.issue(other_customer, "revoked")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    wrong = [
        f"{route.name} {url}: {status}"
        for route, url in token_routes
        if (status := _get(client, url).status_code) != 401
    ]
    assert not wrong, "Not refused with a revoked token:\n" + "\n".join(wrong)


def test_feed_routes_refuse_a_revoked_secret(routes, other_customer):
    feed_routes = [(r, url) for r, url, _obj in routes if r.auth == "feed"]
    assert feed_routes
    for route, url in feed_routes:  # the owner's secret works …
        assert Client().get(url).status_code == 200, route.name
    CalendarFeed.objects.filter(user=other_customer).delete()
    for route, url in feed_routes:  # … and not once revoked, for anyone
        for client in (Client(), client_for(other_customer)):
            assert client.get(url).status_code == 404, route.name


def test_a_route_with_an_unknown_keyword_fails_the_test(other_world):
    route = PortalRoute(
        name="portal:meter-photo",
        source="url",
        kwargs={"photo_pk": "int"},
        builder=lambda kwargs: "/",
    )
    with pytest.raises(UnknownKeyword, match="photo_pk"):
        kwargs_for(route, other_world)
