"""The demo loader behind `make run`: what it builds, that it renders, and that it runs twice safely."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum import iban
from stdnum.cz import dic
from wagtail.models import Page, Revision, Site

from cms_pages.demo_content import load_demo_content
from cms_pages.models import (
    AccessibilityStatementPage,
    CaseStudyPage,
    FAQPage,
    FormPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    UtilitySettings,
)
from tests.factories.accounts import enable_totp, login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch) -> dict[str, int]:
    monkeypatch.delenv("PRAMEN_DEMO_PASSWORD", raising=False)
    return load_demo_content()


@pytest.fixture
def home(demo) -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def test_home_page_replaces_the_welcome_page_and_holds_the_menu(home):
    assert isinstance(home, HomePage)
    assert (home.slug, home.depth, home.title) == ("domov", 2, "Vodárna Pramenov")
    assert not Page.objects.filter(slug="home", depth=2).exists()
    assert home.hero_title and home.hero_text
    labels = [link.value["label"] for link in home.quick_links]
    assert {"Nahlásit stav vodoměru", "Zaplatit fakturu", "Časté dotazy", "Napište nám"} <= set(
        labels
    )
    faq_link = next(link for link in home.quick_links if link.value["label"] == "Časté dotazy")
    assert faq_link.value["page"].specific_class is FAQPage

    menu = [page.slug for page in home.get_children().in_menu()]
    assert menu[0] == "aktuality"
    assert {"caste-dotazy", "pripadove-studie", "napiste-nam", "o-nas", "cenik"} <= set(menu)
    statement = AccessibilityStatementPage.objects.child_of(home).get()
    assert statement.slug == "prohlaseni-o-pristupnosti"
    assert not statement.show_in_menus


def test_news_articles_have_distinct_dates_in_2026_and_real_bodies(home):
    index = NewsIndexPage.objects.child_of(home).get(slug="aktuality")
    articles = NewsArticlePage.objects.live().child_of(index)
    assert articles.count() >= 5
    dates = [article.date for article in articles]
    assert len(set(dates)) == len(dates)
    assert all(date.year == 2026 for date in dates)
    for article in articles:
        paragraphs = [block for block in article.body if block.block_type == "paragraph"]
        assert article.intro
        assert 2 <= len(paragraphs) <= 4


def test_faq_has_topics_with_stable_unique_anchors(home):
    faq = FAQPage.objects.child_of(home).get(slug="caste-dotazy")
    questions = [q for topic in faq.topics for q in topic.value["questions"]]
    assert len(questions) >= 15
    assert {topic.value["title"] for topic in faq.topics} >= {
        "Odečty a samoodečet",
        "Faktury a zálohy",
        "Platby",
        "Srážkové vody",
        "Účet na zákaznickém portálu",
    }
    anchors = [q["anchor"] for q in questions]
    assert all(anchors) and len(set(anchors)) == len(anchors)
    answers = " ".join(str(q["answer"]) for q in questions)
    assert "12 %" in answers and "SIPO" in answers and "aktivační kód" in answers


def test_two_case_studies_a_village_and_a_town(home):
    studies = CaseStudyPage.objects.live().descendant_of(home).order_by("supply_points")
    assert [study.utility_size for study in studies] == ["small", "medium"]
    small, medium = studies
    assert small.supply_points < 1000
    assert 9000 <= medium.supply_points <= 11000
    assert all(study.connected_systems and study.outcome for study in studies)


def test_form_page_asks_for_an_email_and_mails_the_office(home):
    form_page = FormPage.objects.child_of(home).get(slug="napiste-nam")
    fields = {field.label: field for field in form_page.form_fields.all()}
    assert fields["E-mail"].field_type == "email" and fields["E-mail"].required
    assert fields["Téma"].field_type == "dropdown"
    assert not fields["Telefon"].required
    assert form_page.to_address == "podatelna@pramenov.example"
    assert form_page.confirmation_subject and form_page.confirmation_text


def test_accessibility_statement_is_partial_with_enforcement_by_the_ministry(home):
    statement = AccessibilityStatementPage.objects.get()
    assert statement.compliance == AccessibilityStatementPage.Compliance.PARTIAL
    assert statement.non_accessible_content and statement.feedback
    assert "Ministerstv" in statement.enforcement and "99/2019" in statement.intro


def test_utility_settings_carry_a_valid_ico_dic_and_iban(home):
    settings = UtilitySettings.objects.get(site__is_default_site=True)
    settings.full_clean()
    assert dic.is_valid(settings.ico) and len(settings.ico) == 8
    assert settings.dic == f"CZ{settings.ico}"
    assert iban.is_valid(settings.iban) and settings.iban.startswith("CZ")
    assert settings.email.endswith("@pramenov.example")
    assert len(settings.office_hours_lines) >= 2


def test_every_page_is_live_with_a_revision_and_renders(client, home):
    pages = Page.objects.descendant_of(home, inclusive=True).specific()
    assert pages.count() >= 16
    for page in pages:
        assert page.live and page.latest_revision_id, page.url_path
        response = client.get(page.url)
        assert response.status_code == 200, page.url_path
        html = response.content.decode()
        assert page.title in html.replace("&nbsp;", " ")
        assert 'page="' not in html and 'linktype="page"' not in html


def test_internal_links_point_at_the_pages(client, home):
    html = client.get("/cenik/").content.decode()
    assert 'href="/aktuality/novy-cenik-vodneho-a-stocneho-pro-rok-2027/"' in html


def test_editor_can_sign_in_and_edit_every_page(client, home):
    editor = get_user_model().objects.get(username="redaktor")
    assert editor.is_staff and not editor.is_superuser
    assert editor.email == "redaktor@pramenov.example"
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.check_password("pramen-demo")
    enable_totp(editor)  # staff reach the admin only with MFA
    login_with_mfa(client, editor)
    for page in Page.objects.descendant_of(home, inclusive=True):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.url_path


def test_second_run_creates_nothing(demo, home):
    assert demo == {"pages": 16, "sites": 0, "settings": 1, "users": 2}
    before = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())
    assert load_demo_content() == {"pages": 0, "sites": 0, "settings": 0, "users": 0}
    after = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())
    assert after == before


def test_second_run_keeps_what_editors_changed_and_restores_what_is_missing(home):
    news = NewsArticlePage.objects.order_by("date")
    first, second = news[0], news[1]
    first.title = "Upravený titulek"
    first.save_revision().publish()
    second.delete()
    settings = UtilitySettings.objects.get()
    settings.phone = "+420 111 222 333"
    settings.save()

    counts = load_demo_content()

    assert counts["pages"] == 1
    first.refresh_from_db()
    assert first.title == "Upravený titulek"
    assert UtilitySettings.objects.get().phone == "+420 111 222 333"
    assert NewsArticlePage.objects.filter(slug=second.slug).count() == 1


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PRAMEN_DEMO_PASSWORD", "jine-heslo-42")
    load_demo_content()
    assert get_user_model().objects.get(username="redaktor").check_password("jine-heslo-42")


def test_command_prints_the_admin_address_and_the_editor_login(monkeypatch):
    monkeypatch.delenv("PRAMEN_DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    call_command("load_demo_content", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/admin/" in text
    assert "redaktor@pramenov.example (heslo / password: pramen-demo)" in text
    assert text.count("Uživatel / user: redaktor") == 1


def test_a_missing_default_site_is_created_for_localhost():
    Site.objects.all().delete()
    counts = load_demo_content()
    site = Site.objects.get()
    assert counts["sites"] == 1
    assert (site.hostname, site.port, site.is_default_site) == ("localhost", 80, True)
    assert site.root_page.specific_class is HomePage


def test_no_users_builds_the_site_without_a_demo_login(db):
    out = StringIO()
    call_command("load_demo_content", "--no-users", stdout=out)

    assert HomePage.objects.live().count() == 1
    assert not get_user_model().objects.exists()
    assert "pramen-demo" not in out.getvalue()
