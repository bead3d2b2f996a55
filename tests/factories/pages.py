"""Builders of public pages with realistic content, for the tests."""

import datetime
import json

from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from cms_pages.models import (
    AccessibilityStatementPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    FAQPage,
    FormField,
    FormPage,
    NewsArticlePage,
    NewsIndexPage,
    StandardPage,
)


def add_news_index(home, **kwargs) -> NewsIndexPage:
    kwargs.setdefault("title", "Aktuality")
    kwargs.setdefault("slug", "aktuality")
    kwargs.setdefault("show_in_menus", True)
    return home.add_child(instance=NewsIndexPage(**kwargs))


def add_article(index, title: str, date: datetime.date, **kwargs) -> NewsArticlePage:
    body = kwargs.pop("body", [("paragraph", RichText(f"<p>{title}: podrobnosti.</p>"))])
    article = NewsArticlePage(title=title, date=date, body=body, **kwargs)
    return index.add_child(instance=article)


def add_faq(home, topics: list[tuple[str, list[tuple[str, str]]]], **kwargs) -> FAQPage:
    stream = [
        (
            "topic",
            {
                "title": topic,
                "questions": [
                    {"question": q, "answer": RichText(f"<p>{a}</p>"), "anchor": ""}
                    for q, a in questions
                ],
            },
        )
        for topic, questions in topics
    ]
    kwargs.setdefault("title", "Časté dotazy")
    kwargs.setdefault("slug", "caste-dotazy")
    return home.add_child(instance=FAQPage(topics=stream, **kwargs))


def add_standard_page(parent, title: str, slug: str, **kwargs) -> StandardPage:
    return parent.add_child(instance=StandardPage(title=title, slug=slug, **kwargs))


def full_body() -> list:
    """One block of each kind a standard page offers (but image and document, which need files)."""
    return [
        ("heading", {"text": "Ceník vodného", "level": "h2"}),
        ("paragraph", RichText("<p>Ceny platí od 1. ledna.</p>")),
        (
            "table",
            {
                "data": [["Služba", "Cena bez DPH"], ["Vodné", "52,10 Kč/m³"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "Ceny 2026",
            },
        ),
        ("callout", {"kind": "warning", "title": "Pozor", "text": RichText("<p>Odstávka.</p>")}),
        (
            "accordion",
            {"items": [{"title": "Jak platit", "body": RichText("<p>Převodem nebo SIPO.</p>")}]},
        ),
    ]


def add_case_studies(home):
    index = home.add_child(
        instance=CaseStudyIndexPage(title="Případové studie", slug="pripadove-studie")
    )
    village = index.add_child(
        instance=CaseStudyPage(
            title="Obecní vodovod Lhota",
            slug="lhota",
            utility_name="Obec Lhota",
            utility_size="small",
            supply_points=640,
            connected_systems="ZIS, banka",
            outcome=RichText("<p>Polovina odběratelů hlásí stav sama.</p>").source,
        )
    )
    return index, village


def add_form_page(home, **kwargs) -> FormPage:
    kwargs.setdefault("title", "Napište nám")
    kwargs.setdefault("slug", "napiste-nam")
    page = FormPage(
        to_address="podatelna@testov.example",
        from_address="web@testov.example",
        subject="Dotaz z webu",
        confirmation_subject="Přijali jsme vaši zprávu",
        confirmation_text="Děkujeme, ozveme se do tří pracovních dnů.",
        thank_you_text="<p>Zpráva odešla.</p>",
        **kwargs,
    )
    page.form_fields = [
        FormField(sort_order=0, label="Jméno", field_type="singleline", required=True),
        FormField(sort_order=1, label="E-mail", field_type="email", required=True),
        FormField(sort_order=2, label="Zpráva", field_type="multiline", required=True),
    ]
    return home.add_child(instance=page)


def add_accessibility_statement(home) -> AccessibilityStatementPage:
    return home.add_child(
        instance=AccessibilityStatementPage(
            title="Prohlášení o přístupnosti",
            slug="prohlaseni-o-pristupnosti",
            non_accessible_content="<p>Starší PDF ceníky nejsou přístupné.</p>",
            prepared_on=datetime.date(2026, 9, 1),
        )
    )


def stream_json(value: StreamValue) -> list:
    return json.loads(json.dumps(value.get_prep_value()))
