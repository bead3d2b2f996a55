"""Site search and the sitemap."""

import datetime

import pytest

from tests.factories.pages import add_article, add_news_index, add_standard_page

pytestmark = pytest.mark.django_db


def test_search_finds_a_news_article_by_a_word_of_its_body(client, home):
    index = add_news_index(home)
    add_article(index, "Výměna vodoměrů v Dolní ulici", datetime.date(2026, 4, 1))
    add_article(index, "Rozbor pitné vody", datetime.date(2026, 4, 2))

    html = client.get("/hledat/", {"q": "vodoměrů"}).content.decode()

    assert "Výměna vodoměrů v Dolní ulici" in html
    assert "Rozbor pitné vody" not in html


def test_search_without_query_shows_the_form_only(client, home):
    response = client.get("/hledat/")

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_sitemap_lists_live_public_pages_only(client, home):
    index = add_news_index(home)
    article = add_article(index, "Nový ceník", datetime.date(2026, 6, 1))
    draft = add_standard_page(home, "Rozpracováno", "rozpracovano", live=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://localhost/aktuality/</loc>" in xml
    assert f"<loc>http://localhost{article.url}</loc>" in xml
    assert draft.slug not in xml
