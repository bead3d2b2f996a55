"""The installable web app: manifest, icons, service worker, offline page, clearing on sign-out."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from portal.management.commands.make_app_icons import ICONS, draw_icon, icon_dir
from tests.factories.accounts import client_for

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_portal_installable(portal):
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == portal.home.url
    assert manifest["scope"] == "/"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix(settings.STATIC_URL)
        assert finders.find(path), icon["src"]


def test_every_page_links_the_manifest_and_the_worker_script(home):
    body = Client().get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert "js/pwa.js" in body
    assert 'data-signed-in="false"' in body


@pytest.mark.parametrize("name", ICONS)
def test_the_icons_are_the_drawn_pngs(name):
    size, maskable = ICONS[name]
    committed = Image.open(icon_dir() / name)
    assert committed.format == "PNG" and committed.size == (size, size)
    drawn = draw_icon(size, maskable)
    assert committed.convert("RGBA").tobytes() == drawn.tobytes()
    # the maskable icon fills its square (no transparent corners to crop)
    corner = committed.convert("RGBA").getpixel((0, 0))
    assert (corner[3] == 255) is maskable


def test_the_service_worker_is_served_from_the_root(home):
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/offline/"' in body and "css/pramen.css" in body
    assert "pramen-private" in body


def test_the_offline_page_is_nobodys(customer, home):
    response = client_for(customer).get("/offline/")
    body = response.content.decode()
    assert "Jste offline" in body
    assert customer.email not in body and "Odhlásit" not in body
    assert 'data-signed-in="unknown"' in body


def test_signing_out_clears_the_browsers_cache(customer, home):
    client = client_for(customer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session


def test_the_dashboard_may_be_kept_offline_with_a_notice(portal, world, customer):
    body = client_for(customer).get(portal.home.url).content.decode()
    assert 'name="pramen-offline-copy"' in body
    assert "data-offline-notice hidden" in body
    assert "nemusí být aktuální" in body
    assert Path(settings.BASE_DIR, "site/static/js/pwa.js").exists()


def test_other_portal_pages_are_not_kept(portal, world, customer):
    body = client_for(customer).get(portal.invoices.url).content.decode()
    assert "pramen-offline-copy" not in body
