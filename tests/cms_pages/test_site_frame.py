"""The frame around every page: navigation, footer identity, language, errors, robots."""

import pytest

from tests.factories.pages import add_news_index, add_standard_page

pytestmark = pytest.mark.django_db


def test_footer_shows_the_utility_identity_from_settings(client, utility):
    html = client.get("/").content.decode()

    assert "Vodárna Testov, a.s." in html
    assert "Nádražní 12" in html and "530 02 Testov" in html
    assert "25596641" in html and "CZ25596641" in html
    assert "CZ65 0800 0000 1920 0014 5399" in html
    assert 'href="mailto:info@testov.example"' in html
    assert "Po a St 8:00–17:00" in html


def test_navigation_lists_menu_pages_and_marks_the_current_one(client, home):
    news = add_news_index(home)
    add_standard_page(home, "Skryté", "skryte", show_in_menus=False)
    about = add_standard_page(home, "O nás", "o-nas", show_in_menus=True)

    html = client.get(about.url).content.decode()

    assert f'<a href="{news.url}">Aktuality</a>' in html
    assert f'<a href="{about.url}" aria-current="page">O nás</a>' in html
    assert "Skryté" not in html


def test_skip_link_and_landmarks(client, home):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">Přeskočit na obsah</a>' in html
    assert '<main id="main"' in html
    assert '<html lang="cs">' in html


def test_english_switch_renders_english_interface(client, home):
    czech = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<html lang="en">' in english
    assert "Skip to content" in english and "Přeskočit na obsah" not in english
    assert 'href="/en/" hreflang="en"' in czech
    assert 'href="/" hreflang="cs"' in english


def test_unknown_page_gets_a_helpful_404(client, home):
    response = client.get("/neexistuje/")

    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode()


def test_robots_txt_points_to_sitemap_and_hides_private_areas(client, home):
    body = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in body and "Disallow: /portal/" in body
    assert "Disallow: /ucet/" in body and "Disallow: /en/portal/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
