"""axe-core on every public page type: no serious or critical WCAG 2.1 A/AA violation."""

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

from .conftest import axe_violations, format_violations

PAGE_TYPES = [
    HomePage,
    StandardPage,
    NewsIndexPage,
    NewsArticlePage,
    FAQPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    FormPage,
    AccessibilityStatementPage,
]


def public_urls() -> dict[str, str]:
    urls = {}
    for model in PAGE_TYPES:
        page: Page = model.objects.live().first()
        assert page is not None, f"the demo content has no {model.__name__}"
        urls[model.__name__] = page.url
    urls["search results"] = "/hledat/?q=voda"
    urls["English home page"] = "/en/"
    urls["page not found"] = "/tato-stranka-neexistuje/"
    return urls


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "mobile"])
def test_every_public_page_type_passes_axe(page, live_server, demo_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for name, url in public_urls().items():
        page.goto(live_server.url + url)
        violations = axe_violations(page)
        if violations:
            failures[name] = violations

    assert not failures, format_violations(failures)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_form_errors_and_confirmation_pass_axe(page, live_server, demo_site):
    form_page = FormPage.objects.live().get()
    page.goto(live_server.url + form_page.url)
    page.get_by_role("button", name="Odeslat").click()
    page.locator(".form-errors").wait_for()
    assert axe_violations(page) == [], "form with errors"
