"""Public pages are served whole from the cache to anonymous visitors, and only to them.

What a visitor would check: the second visit of a page costs no database query, yet an editor's
publish or a settings change is on the very next page; a signed-in customer always sees their
own header; forms, the portal and anything setting a cookie are always fresh; the security
headers and the request id belong to each request.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from lxml import html as lxml_html

from cms_pages.models import StandardPage
from portal.models import PortalHomePage
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import client_for
from tests.factories.pages import (
    add_accessibility_statement,
    add_article,
    add_faq,
    add_form_page,
    add_news_index,
    add_standard_page,
)

pytestmark = pytest.mark.django_db


def title(response) -> str:
    assert response.status_code == 200, response.status_code
    document = lxml_html.fromstring(response.content.decode())
    return " ".join(document.xpath("//h1")[0].text_content().split())


def text(response) -> str:
    document = lxml_html.fromstring(response.content.decode())
    return " ".join(document.text_content().split())


def test_an_anonymous_second_visit_is_served_from_the_cache(
    client, utility, django_assert_num_queries
):
    add_standard_page(utility.site.root_page, "O nás", "o-nas", show_in_menus=True)

    first = client.get("/o-nas/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/o-nas/")

    assert second["X-Cache"] == "hit"
    assert title(second) == "O nás"
    assert second.content == first.content


def test_every_public_page_kind_is_cached(client, utility):
    home = utility.site.root_page
    news = add_news_index(home)
    article = add_article(news, "Odstávka vody v Lipové", datetime.date(2026, 11, 2))
    add_faq(home, [("Vodné", [("Kdy platím?", "Čtvrtletně.")])])
    add_accessibility_statement(home)
    paths = [
        "/",
        "/aktuality/",
        "/aktuality/?page=2",
        article.url,
        "/caste-dotazy/",
        "/prohlaseni-o-pristupnosti/",
    ]
    for path in paths:
        assert client.get(path)["X-Cache"] == "miss", path
    for path in paths:
        assert client.get(path)["X-Cache"] == "hit", path


def test_a_published_edit_shows_at_once(client, utility):
    page = add_standard_page(utility.site.root_page, "Ceník", "cenik")
    client.get("/cenik/")
    assert client.get("/cenik/")["X-Cache"] == "hit"

    page = StandardPage.objects.get(pk=page.pk)
    page.title = "Ceník vodného 2027"
    page.save_revision().publish()

    response = client.get("/cenik/")
    assert response["X-Cache"] == "miss"
    assert title(response) == "Ceník vodného 2027"


def test_a_draft_does_not_change_the_cached_page_but_its_publish_does(client, utility):
    page = add_standard_page(utility.site.root_page, "Ceník", "cenik")
    client.get("/cenik/")
    page = StandardPage.objects.get(pk=page.pk)
    page.title = "Ceník (koncept)"
    revision = page.save_revision()
    assert title(client.get("/cenik/")) == "Ceník"

    revision.publish()
    assert title(client.get("/cenik/")) == "Ceník (koncept)"


def test_a_settings_change_shows_at_once(client, utility):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"

    utility.phone = "+420 466 999 888"
    utility.save()

    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "+420 466 999 888" in text(response)


def test_a_signed_in_customer_never_gets_or_fills_the_anonymous_page(client, utility, customer):
    logout = reverse("account_logout")
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"

    browser = client_for(customer)
    for _visit in range(2):
        response = browser.get("/")
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert f'action="{logout}"' in response.content.decode()
        assert "Odhlásit" in text(response)

    anonymous = Client()
    response = anonymous.get("/")
    assert response["X-Cache"] == "hit"
    assert logout not in response.content.decode()
    assert "Přihlásit se" in text(response)


def test_a_form_page_is_never_cached(client, utility):
    add_form_page(utility.site.root_page)
    for _visit in range(2):
        response = Client().get("/napiste-nam/")
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
        assert "csrftoken" in response.cookies


def test_a_portal_page_is_never_cached(client, utility, customer):
    ensure_portal_pages(utility.site.root_page)
    url = PortalHomePage.objects.get().url
    assert client.get(url).status_code == 302  # to the sign-in page, not cached
    assert "X-Cache" not in client.get(url)

    browser = client_for(customer)
    for _visit in range(2):
        response = browser.get(url)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_czech_and_english_are_different_entries(client, utility):
    czech = client.get("/")
    english = client.get("/en/")
    assert (czech["X-Cache"], english["X-Cache"]) == ("miss", "miss")

    czech, english = client.get("/"), client.get("/en/")
    assert (czech["X-Cache"], english["X-Cache"]) == ("hit", "hit")
    assert '<html lang="cs">' in czech.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Přihlásit se" in text(czech)
    assert "Sign in" in text(english)


def test_a_response_that_sets_a_cookie_is_not_cached(client, utility, monkeypatch):
    add_standard_page(utility.site.root_page, "O nás", "o-nas")
    serve = StandardPage.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        response.set_cookie("visited", "1")
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_with_cookie)
    for _visit in range(2):
        response = client.get("/o-nas/")
        assert title(response) == "O nás"
        assert "X-Cache" not in response


def test_a_page_using_the_csp_nonce_is_not_cached(client, utility, monkeypatch):
    add_standard_page(utility.site.root_page, "O nás", "o-nas")
    serve = StandardPage.serve

    def serve_with_nonce(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs).render()
        response.content += f'<script nonce="{request.csp_nonce}"></script>'.encode()
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_with_nonce)
    nonces = []
    for _visit in range(2):
        response = client.get("/o-nas/")
        assert "X-Cache" not in response
        nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'")[0]
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_hit_has_the_security_headers_and_its_own_request_id(client, utility):
    first = client.get("/")
    second = client.get("/", HTTP_X_REQUEST_ID="proxy-request-0001")
    third = client.get("/")

    assert [r["X-Cache"] for r in (first, second, third)] == ["miss", "hit", "hit"]
    assert second["X-Request-ID"] == "proxy-request-0001"
    assert third["X-Request-ID"] not in {first["X-Request-ID"], second["X-Request-ID"]}
    for response in (second, third):
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "nonce-" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Permissions-Policy"].startswith("accelerometer=()")
        assert response["X-Frame-Options"] == "DENY"
        assert "Cookie" in response["Vary"]


def test_posts_accounts_and_search_are_not_cached(client, utility):
    add_standard_page(utility.site.root_page, "O nás", "o-nas")
    for _visit in range(2):
        assert "X-Cache" not in client.get(reverse("account_login"))
        assert "X-Cache" not in client.get("/hledat/?q=voda")
        assert "X-Cache" not in client.get("/healthz")
    client.get("/o-nas/")
    response = client.post("/o-nas/")
    assert "X-Cache" not in response


@override_settings(PRAMEN_PAGE_CACHE_SECONDS=0)
def test_zero_seconds_turns_the_cache_off(client, utility):
    for _visit in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_a_password_protected_page_is_never_cached(client, utility):
    from wagtail.models import PageViewRestriction

    page = add_standard_page(utility.site.root_page, "Interní ceník", "interni-cenik")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="voda2027"
    )
    for _visit in range(2):
        response = Client().get("/interni-cenik/")
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert 'name="password"' in response.content.decode()


def test_a_replaced_document_drops_the_cached_pages(client, utility):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    document = Document.objects.create(
        title="Ceník 2027", file=ContentFile(b"%PDF-1.4", name="cenik.pdf")
    )
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"
    document.delete()
    assert client.get("/")["X-Cache"] == "miss"
