"""The Czech sweep: every page a visitor, both demo customers, an operator and an editor open, in
Czech, shows no English word we have seen slip through, no Python True/False/None, and logs no
error in the browser's console.

The word list is of words that are English and never Czech, gathered from what the pages showed
before they were translated; a page of another engineer that adds a new English string is caught
when it uses one of them. Listings with a search box are also opened with a search, because the
count of matches ("There are N matches") appears only then.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.models import PortalHomePage
from tests.factories import billing as f
from tests.factories.requests import flagged_reading, self_reading

from .sweep import crawl, customer_of_both, demo_utility, signed_in_context

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """The demo's images in a folder of this test's own (workers running in parallel share none)."""
    settings.MEDIA_ROOT = tmp_path / "media"


ENGLISH = [
    "the",
    "guide",
    "Guide",
    "Help",
    "and",
    "with",
    "your",
    "you",
    "from",
    "before",
    "after",
    "ago",
    "minutes",
    "hours",
    "There",
    "matches",
    "Save",
    "changes",
    "leaving",
    "Hello",
    "Sorry",
    "Loading",
    "Previous",
    "Next",
    "Edit",
    "Delete",
    "Cancel",
    "Search",
    "Settings",
    "Reports",
    "Dashboard",
    "Preview",
    "Draft",
    "Choose",
    "Submit",
    "Upload",
    "Download",
    "Select",
    "Close",
    "Apply",
    "Clear",
    "Actions",
    "Filter",
    "Filters",
    "View",
    "Show",
    "Hide",
    "Back",
    "Required",
    "Title",
    "Owner",
    "Error",
    "Warning",
    "Unknown",
    "Yes",
    "New",
    "Add",
    "recovery",
    "codes",
    "used",
    "available",
    "Pages",
    "Images",
    "Documents",
    "Snippets",
    "Users",
    "Groups",
    "Sites",
    "Locked",
    "Unlocked",
    "Published",
    "Unpublished",
    "Expired",
    "Scheduled",
    "Live",
    "Page",
    "Sort",
    "Customer",
    "Customers",
    "Reading",
    "Readings",
    "Invoice",
    "Invoices",
    "Request",
    "Requests",
    "Approve",
    "Reject",
    "Pending",
    "Supply",
    "point",
    "Meter",
    "Payment",
    "Payments",
    "Advance",
    "Advances",
    "Notification",
    "Notifications",
]
ENGLISH_WORD = re.compile(r"(?<![\w@./-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w@/-])")
PYTHON_VALUE = re.compile(r"(?<![\w.-])(True|False|None)(?![\w.-])")
# What a person reads or hears: the visible text and the texts of labels, titles and placeholders.
TEXTS = """() => {
    const attrs = [...document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')]
        .map(el => [el.getAttribute('aria-label'), el.getAttribute('title'),
                    el.getAttribute('placeholder'), el.getAttribute('alt')].filter(Boolean).join(' '));
    return [document.title, document.body.innerText, ...attrs].join('\\n');
}"""
PUBLIC_EXCLUDED = r"^/(en|admin|portal|ucet|accounts|documents)/"
# Wagtail's bulk actions need the selected items (the listing's script adds them): without, 404.
ADMIN_EXCLUDED = r"^/admin/bulk/wagtail|/preview|/history/"


class Sweep:
    """Collects console errors of a page and checks each opened address."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.on(
            "console", lambda message: message.type == "error" and self.console.append(message.text)
        )
        page.on("pageerror", lambda error: self.console.append(str(error)))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.console.append(f"HTTP {response.status}: {response.url}")
            ),
        )

    def forget(self) -> None:
        self.console.clear()

    def check(self, page, url: str) -> list[str]:
        """The lines (of text or of an attribute) with an English word or a Python value."""
        lines = page.evaluate(TEXTS).splitlines()
        problems = [
            f"{line.strip()[:120]!r}"
            for line in dict.fromkeys(lines)
            if ENGLISH_WORD.search(line) or PYTHON_VALUE.search(line)
        ]
        problems += [f"console: {message[:300]}" for message in self.console]
        self.console.clear()
        return problems


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}: {'; '.join(found)}" for url, found in problems.items())


def search_too(page, url: str) -> list[str]:
    """Listings that have a search box: open them with a search as well."""
    if "?" in url or not page.locator('main input[name="q"]').count():
        return []
    return [url + "?q=a"]


def sweep_as(browser, live_server, user, start, prefixes, *, staff=False, exclude="", limit=150):
    context = signed_in_context(browser, live_server, user, staff=staff)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sweep = Sweep(page)
    searches: list[str] = []

    def check(page, url):
        searches.extend(search_too(page, url))
        return sweep.check(page, url)

    result = crawl(
        page,
        live_server.url,
        start,
        prefixes,
        check,
        exclude=exclude,
        limit=limit,
        before=sweep.forget,
    )
    opened, problems = list(result.opened), dict(result.problems)
    if searches:
        more = crawl(
            page, live_server.url, searches, prefixes, sweep.check, depth=0, before=sweep.forget
        )
        opened += more.opened
        problems.update(more.problems)
    context.close()
    return opened, problems


def test_the_public_pages_are_czech(page, live_server, demo_site):
    sweep = Sweep(page)
    result = crawl(
        page,
        live_server.url,
        ["/", "/hledat/?q=voda"],
        ("/",),
        sweep.check,
        exclude=PUBLIC_EXCLUDED,
        before=sweep.forget,
    )
    assert len(result.opened) >= 15, result.opened
    assert not result.problems, report(result.problems)


def test_the_portal_pages_of_both_demo_customers_are_czech(
    browser, live_server, demo_site, tmp_path
):
    numbers = demo_utility(tmp_path)
    user = customer_of_both(numbers)
    home = PortalHomePage.objects.get().url
    opened, problems = [], {}
    for number in numbers:
        start = [f"{home}?customer={number}", "/ucet/", "/accounts/2fa/"]
        seen, found = sweep_as(
            browser, live_server, user, start, ("/portal/", "/ucet/", "/accounts/")
        )
        opened += seen
        problems.update({f"{number} {url}": p for url, p in found.items()})
    assert len(opened) >= 30, opened
    assert not problems, report(problems)


@pytest.fixture
def requests_waiting(demo_site, tmp_path):
    """The demo utility with a plain and a flagged self-reading waiting for an operator."""
    demo_utility(tmp_path)
    meter = f.MeterFactory(serial_number="SW-1001")
    self_reading(meter, "150.000")
    flagged_reading(meter, "912.000")


def test_the_admin_of_an_operator_is_czech(browser, live_server, operator, requests_waiting):
    start = [reverse("wagtailadmin_home")]
    opened, problems = sweep_as(
        browser, live_server, operator, start, ("/admin/",), staff=True, exclude=ADMIN_EXCLUDED
    )
    assert len(opened) >= 10, opened
    assert not problems, report(problems)


def test_the_admin_of_an_editor_is_czech(browser, live_server, editor, demo_site):
    start = [reverse("wagtailadmin_home"), reverse("wagtailadmin_explore_root")]
    opened, problems = sweep_as(
        browser,
        live_server,
        editor,
        start,
        ("/admin/",),
        staff=True,
        exclude=ADMIN_EXCLUDED,
        limit=120,
    )
    assert len(opened) >= 10, opened
    assert not problems, report(problems)
