"""A long list of search results is paged, and the next page is of the same search."""

import datetime
import re

import pytest

from tests.factories.pages import add_article, add_news_index

pytestmark = pytest.mark.django_db


def test_the_next_page_of_results_keeps_the_search(client, home):
    index = add_news_index(home)
    for day in range(1, 13):
        add_article(index, f"Odstávka vody {day}. května", datetime.date(2026, 5, day))

    first = client.get("/hledat/", {"q": "odstávka"}).content.decode()
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first)

    assert "Strana 1 z 2" in first
    assert next_link is not None
    href = next_link.group(1).replace("&amp;", "&")
    second = client.get("/hledat/" + href).content.decode()
    assert "Strana 2 z 2" in second
    assert second.count('class="search-results__title"') == 2
