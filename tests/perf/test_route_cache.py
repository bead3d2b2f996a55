"""Wagtail's routing comes from the cache, and every edit of the tree shows at once.

Routing a page (the site, the pages on the path, view restrictions) costs no query once cached;
whatever an editor publishes, unpublishes, renames or restricts is what the next visitor gets.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories.pages import add_standard_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PRAMEN_PAGE_CACHE_SECONDS = 0  # whole public pages would hide the routing


def test_routing_a_page_costs_no_query_once_cached(client, home):
    about = add_standard_page(home, "O nás", "o-nas")
    add_standard_page(about, "Historie", "historie")
    for _ in range(2):
        client.get("/o-nas/historie/")  # warm every cache (the frame, the routing)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/o-nas/historie/")
    assert response.status_code == 200
    routing = ("wagtailcore_site", "wagtailcore_pageviewrestriction")
    assert not [q["sql"] for q in queries if any(part in q["sql"] for part in routing)]


def test_a_renamed_page_moves_at_once(client, home):
    page = add_standard_page(home, "O nás", "o-nas")
    assert client.get("/o-nas/").status_code == 200
    page.slug = "o-vodarne"
    page.save_revision().publish()
    assert client.get("/o-nas/").status_code == 404
    assert client.get("/o-vodarne/").status_code == 200


def test_an_unpublished_page_is_gone_at_once_and_a_published_one_is_there(client, home):
    page = add_standard_page(home, "O nás", "o-nas")
    assert client.get("/o-nas/").status_code == 200
    page.unpublish()
    assert client.get("/o-nas/").status_code == 404
    assert client.get("/cenik/").status_code == 404
    add_standard_page(home, "Ceník", "cenik")
    assert client.get("/cenik/").status_code == 200


def test_a_view_restriction_applies_at_once(client, home):
    page = add_standard_page(home, "Interní", "interni")
    assert client.get("/interni/").status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/interni/")
    assert response.status_code == 302 and "login" in response["Location"]
