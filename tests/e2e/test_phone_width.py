"""Phones first: at 375 px no page scrolls sideways, and the header fits at 375 and 1280 px.

Every public page, every account page and every portal page of both demo customers (a household
with a remote-read meter and a business with rainwater) is opened at 375 px; the document must be
no wider than the screen. A wide table may scroll inside its own container, which must then be a
named region that the keyboard can reach.
"""

from __future__ import annotations

import pytest

from portal.models import PortalHomePage

from .sweep import crawl, customer_of_both, demo_utility, signed_in_context

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """The demo's images in a folder of this test's own (workers running in parallel share none)."""
    settings.MEDIA_ROOT = tmp_path / "media"


PHONE = 375
PORTAL_PREFIXES = ("/portal/", "/ucet/", "/accounts/")
WIDTH = "() => document.documentElement.scrollWidth"
# Tables' scrolling containers that are wider inside than outside: each needs a name and focus.
UNNAMED_SCROLLERS = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(el => el.scrollWidth > el.clientWidth)
    .filter(el => el.tabIndex < 0 || !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
    .map(el => el.outerHTML.slice(0, 80))"""


def fits_the_phone(page, url: str) -> list[str]:
    problems = []
    width = page.evaluate(WIDTH)
    if width > PHONE:
        problems.append(f"the page is {width} px wide")
    problems += [
        f"unnamed or unfocusable scroller: {html}" for html in page.evaluate(UNNAMED_SCROLLERS)
    ]
    return problems


def test_every_public_page_fits_a_phone(page, live_server, demo_site):
    page.set_viewport_size({"width": PHONE, "height": 800})
    result = crawl(
        page,
        live_server.url,
        ["/"],
        ("/",),
        fits_the_phone,
        exclude=r"^/(en|admin|portal|ucet|accounts|documents)/",
    )
    assert len(result.opened) >= 15, result.opened
    assert not result.problems, result.problems


def test_every_portal_and_account_page_of_both_customers_fits_a_phone(
    browser, live_server, demo_site, tmp_path
):
    numbers = demo_utility(tmp_path)
    user = customer_of_both(numbers)
    context = signed_in_context(browser, live_server, user, width=PHONE)
    page = context.new_page()
    home = PortalHomePage.objects.get().url
    opened, problems = [], {}
    for number in numbers:
        start = [f"{home}?customer={number}", "/ucet/"]
        result = crawl(page, live_server.url, start, PORTAL_PREFIXES, fits_the_phone)
        opened += result.opened
        problems.update({f"{number} {url}": found for url, found in result.problems.items()})
    context.close()
    # Dashboard, sections, details of a point, readings of a meter, invoice, advances, payments,
    # rainwater year, the self-reading and address forms, account and allauth pages.
    assert len(opened) >= 30, opened
    assert any(
        "/faktury-a-zalohy/" in url and url.rstrip("/").split("/")[-1].isdigit() for url in opened
    )
    assert not problems, problems


def test_the_header_fits_at_1280_and_375(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    # At 1280 px the main menu is one row: no item (such as "Zákaznický portál") on a row alone.
    tops = page.eval_on_selector_all(
        ".main-nav__list:not(.account-links) > li",
        "items => items.map(li => li.getBoundingClientRect().top)",
    )
    assert len(tops) >= 5 and len(set(tops)) == 1, tops
    assert page.evaluate(WIDTH) <= 1280

    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server.url + "/")
    toggle = page.locator(".nav-toggle")
    assert toggle.is_visible()
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] <= PHONE
    toggle.click()
    assert page.locator("#main-nav").is_visible()
    assert page.evaluate(WIDTH) <= PHONE
