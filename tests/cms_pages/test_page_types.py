"""Each public page type: where it may stand in the tree, and what a visitor sees."""

import datetime
import json
import re

import pytest
from wagtail.models import Page

from cms_pages.models import (
    AccessibilityStatementPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    FAQPage,
    FormPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    StandardPage,
)
from tests.factories.pages import (
    add_accessibility_statement,
    add_article,
    add_case_studies,
    add_faq,
    add_news_index,
    add_standard_page,
    full_body,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (HomePage, Page, True),
        (StandardPage, HomePage, True),
        (StandardPage, StandardPage, True),
        (NewsIndexPage, HomePage, True),
        (NewsArticlePage, NewsIndexPage, True),
        (NewsArticlePage, HomePage, False),
        (NewsArticlePage, StandardPage, False),
        (FAQPage, HomePage, True),
        (FAQPage, NewsIndexPage, False),
        (CaseStudyIndexPage, HomePage, True),
        (CaseStudyPage, CaseStudyIndexPage, True),
        (CaseStudyPage, HomePage, False),
        (FormPage, HomePage, True),
        (FormPage, NewsIndexPage, False),
        (AccessibilityStatementPage, HomePage, True),
        (AccessibilityStatementPage, StandardPage, False),
    ],
)
def test_parent_child_rules(child, parent, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_leaf_pages_accept_no_children():
    for leaf in (NewsArticlePage, FAQPage, CaseStudyPage, FormPage, AccessibilityStatementPage):
        assert leaf.allowed_subpage_models() == []


def test_only_one_home_page_and_one_accessibility_statement(home):
    assert HomePage.can_create_at(Page.get_first_root_node()) is False
    add_accessibility_statement(home)
    assert AccessibilityStatementPage.can_create_at(home) is False


def test_home_page_shows_hero_quick_links_and_latest_three_news(client, home):
    home.hero_title = "Voda pro celý Testov"
    home.quick_links = [
        (
            "link",
            {"label": "Nahlásit stav vodoměru", "description": "", "page": None, "url": "/portal/"},
        ),
    ]
    home.save_revision().publish()
    index = add_news_index(home)
    for day in range(1, 5):
        add_article(index, f"Zpráva {day}", datetime.date(2026, 3, day))

    html = client.get("/").content.decode()

    assert "Voda pro celý Testov" in html
    assert 'href="/portal/"' in html and "Nahlásit stav vodoměru" in html
    assert "Zpráva 4" in html and "Zpráva 2" in html
    assert "Zpráva 1" not in html  # only the latest three


def test_standard_page_renders_every_block(client, home):
    page = add_standard_page(home, "Ceník", "cenik", intro="Platné ceny.", body=full_body())

    html = client.get(page.url).content.decode()

    assert "<h1>Ceník</h1>" in html
    assert '<h2 class="block-heading">Ceník vodného</h2>' in html
    assert "<caption>Ceny 2026</caption>" in html
    assert '<th scope="col">Cena bez DPH</th>' in html and "<td>52,10 Kč/m³</td>" in html
    assert "callout--warning" in html and "Odstávka." in html
    assert "<summary" in html and "Jak platit" in html


def test_news_index_paginates_newest_first_and_offers_rss(client, home):
    index = add_news_index(home)
    for day in range(1, 13):
        add_article(index, f"Článek {day:02d}", datetime.date(2026, 1, day))

    first = client.get(index.url).content.decode()
    second = client.get(index.url + "?page=2").content.decode()
    feed = client.get(index.url + "rss/")

    assert first.index("Článek 12") < first.index("Článek 03")
    assert "Článek 02" not in first and "Článek 02" in second
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert feed.content.decode().count("<item>") == 12
    assert "http://localhost/aktuality/clanek-12/" in feed.content.decode() or (
        "/aktuality/" in feed.content.decode()
    )


def test_news_article_shows_date_and_body(client, home):
    index = add_news_index(home)
    article = add_article(index, "Odstávka v Horní ulici", datetime.date(2026, 5, 7))

    html = client.get(article.url).content.decode()

    assert '<time datetime="2026-05-07">7. 5. 2026</time>' in html
    assert "Odstávka v Horní ulici: podrobnosti." in html


def faq(home):
    return add_faq(
        home,
        [
            (
                "Odečty",
                [
                    ("Jak nahlásím stav vodoměru?", "Na portálu v sekci Odečty."),
                    ("Kdy přijde odečítač?", "Jednou ročně."),
                ],
            ),
            ("Platby", [("Jak platit zálohy?", "Převodem nebo přes SIPO.")]),
        ],
    )


def test_faq_groups_questions_with_stable_anchors_and_json_ld(client, home):
    page = faq(home)

    html = client.get(page.url).content.decode()

    assert '<h2 id="topic-1">Odečty</h2>' in html and '<h2 id="topic-2">Platby</h2>' in html
    assert 'id="jak-nahlasim-stav-vodomeru"' in html
    assert 'href="#jak-platit-zalohy"' in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == [
        "Jak nahlásím stav vodoměru?",
        "Kdy přijde odečítač?",
        "Jak platit zálohy?",
    ]
    assert data["mainEntity"][2]["acceptedAnswer"]["text"] == "Převodem nebo přes SIPO."


def test_faq_anchor_set_by_staff_survives_rewording(home):
    page = faq(home)
    topics = page.topics
    topics[0].value["questions"][0]["anchor"] = "samoodecet"
    topics[0].value["questions"][0]["question"] = "Jak nahlásím stav vodoměru sám?"
    page.save()

    page.refresh_from_db()
    anchors = [q["anchor"] for g in page.grouped_questions() for q in g["questions"]]

    assert anchors == ["samoodecet", "kdy-prijde-odecitac", "jak-platit-zalohy"]


def test_faq_filter_shows_only_matching_questions(client, home):
    page = faq(home)

    html = client.get(page.url, {"q": "sipo"}).content.decode()

    assert 'id="jak-platit-zalohy"' in html
    assert 'id="kdy-prijde-odecitac"' not in html
    assert "Odečty</h2>" not in html


def test_case_study_shows_the_utility_facts(client, home):
    index, village = add_case_studies(home)

    index_html = client.get(index.url).content.decode()
    html = client.get(village.url).content.decode()

    assert "Obecní vodovod Lhota" in index_html
    assert "<dd>640</dd>" in html and "<dd>ZIS, banka</dd>" in html
    assert "Polovina odběratelů hlásí stav sama." in html


def test_accessibility_statement_states_compliance_and_is_linked_from_footer(client, home):
    statement = add_accessibility_statement(home)

    html = client.get(statement.url).content.decode()
    home_html = client.get("/").content.decode()

    assert "částečně v souladu" in html or "partially compliant" in html
    assert "Starší PDF ceníky nejsou přístupné." in html
    assert f'href="{statement.url}"' in home_html
