"""The admin preview renders sample data without writing; the demo loader's portal pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from portal.models import PortalHomePage
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import login_with_mfa

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_every_portal_page_previews_with_sample_data_and_writes_nothing(portal, utility):
    for page in vars(portal).values():
        with CaptureQueriesContext(connection) as queries:
            response = page.make_preview_request()
        body = response.content.decode()
        assert response.status_code == 200, page
        assert "portal-sample" in body, page
        assert "no-store" in response["Cache-Control"]
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(WRITES)]
        assert not writes, (page, writes)


def test_the_preview_shows_sample_figures(portal):
    body = portal.invoices.make_preview_request().content.decode()
    assert "2026000123" in body and "is-overdue" in body
    chart = portal.consumption.make_preview_request().content.decode()
    assert 'id="consumption-chart-data"' in chart and "data-source" not in chart


def test_an_editor_previews_a_draft_in_the_admin(client, portal, editor):
    login_with_mfa(client, editor)
    portal.rainwater.intro = "Nový úvod o srážkových vodách"
    portal.rainwater.save_revision()
    response = client.get(f"/admin/pages/{portal.rainwater.pk}/view_draft/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nový úvod o srážkových vodách" in body
    assert "portal-sample" in body


def test_the_demo_pages_are_made_once_in_czech(home):
    assert ensure_portal_pages(home) == 8  # the portal, its six sections, the notice list
    assert ensure_portal_pages(home) == 0
    portal = PortalHomePage.objects.get()
    assert (portal.slug, portal.title, portal.show_in_menus) == (
        "portal",
        "Zákaznický portál",
        True,
    )
    assert portal.get_parent().pk == home.pk
    titles = [page.title for page in Page.objects.child_of(portal).live()]
    assert titles == [
        "Odběrná místa",
        "Odečty",
        "Faktury a zálohy",
        "Srážkové vody",
        "Spotřeba",
        "Moje údaje a požadavky",
    ]
    assert portal.specific.help[0].block_type == "text"
    notices = Page.objects.child_of(home).get(slug="odstavky")
    assert notices.title == "Odstávky a omezení dodávky"
    assert notices.live


def test_the_demo_pages_survive_renaming(home):
    ensure_portal_pages(home)
    portal = PortalHomePage.objects.get()
    portal.title = "Můj účet u vodárny"
    portal.save_revision().publish()
    assert ensure_portal_pages() == 0  # found by type, under the default site's root page
