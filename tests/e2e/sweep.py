"""Walking every page a person can reach: the demo utility, sessions for its people, a crawler.

Used by the phone-width test and the Czech sweep. The crawler follows the links on each page
that stay under the given path prefixes, opens one page per *kind* of address (digits in the path
and in query values count as the same kind, so one invoice stands for all invoices) and leaves out
downloads and signing out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.test import Client

from portal.models import Customer, CustomerLink
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import UserFactory, login_with_mfa
from zis.demo import demo_customers, generate_batch
from zis.importer import import_batch

# Downloads (PDF, ISDOC, CSV, XLSX, ZIP, JSON data, the recovery codes) and leaving the session.
SKIPPED = re.compile(
    r"/(pdf|isdoc|csv|xlsx|data|download|stahnout)/?$|logout|odhlasit|/moje-data/|"
    r"/admin/(login|logout)/|\.(pdf|zip|csv|xlsx|xml|txt|json)$",
    re.IGNORECASE,
)
DEMO_EMAIL = "sweep.demo@example.cz"


def demo_utility(tmp_path) -> list[str]:
    """A small demo utility through the real importer; returns the demo customers' numbers."""
    folder = generate_batch(tmp_path / "zis", supply_points=6, years=3, seed=7)
    run = import_batch(folder, move=False)
    assert run.status == "succeeded", run.report
    ensure_portal_pages()
    return [login.number for login in demo_customers(tmp_path / "zis")]


def customer_of_both(numbers: list[str]):
    """A portal user linked to every demo customer (the household and the business)."""
    user = UserFactory(email=DEMO_EMAIL)
    for number in numbers:
        CustomerLink.objects.create(user=user, customer=Customer.objects.get(number=number))
    return user


def signed_in_context(browser, live_server, user, *, staff: bool = False, width: int = 1280):
    """A browser context with `user` signed in (staff as after the MFA step), in Czech."""
    client = Client()
    if staff:
        login_with_mfa(client, user)
    else:
        client.force_login(user)
    context = browser.new_context(
        locale="cs-CZ", timezone_id="Europe/Prague", viewport={"width": width, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def kind_of(url: str) -> str:
    """The kind of an address: its path and query with every run of digits as "N"."""
    parts = urlsplit(url)
    query = sorted((key, re.sub(r"\d+", "N", value)) for key, value in parse_qsl(parts.query))
    path = re.sub(r"\d+", "N", parts.path)
    return f"{path}?{urlencode(query)}" if query else path


@dataclass
class Crawl:
    """Pages opened (address → what the check found wrong there)."""

    opened: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)


def crawl(
    page,
    base: str,
    start: Iterable[str],
    prefixes: tuple[str, ...],
    check: Callable[[object, str], list[str]],
    *,
    limit: int = 150,
    depth: int = 3,
    exclude: str = "",
    before: Callable[[], None] | None = None,
) -> Crawl:
    """Open the `start` addresses and, breadth first up to `depth` links away, every kind of
    page under `prefixes` linked from them; run `check(page, url)` on each."""
    result = Crawl()
    seen: set[str] = set()
    queue = [(url, 0) for url in start]
    for url, _level in queue:
        seen.add(kind_of(url))
    while queue and len(result.opened) < limit:
        url, level = queue.pop(0)
        if before is not None:
            before()  # e.g. forget console messages that belong to the page before
        response = page.goto(base + url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("load")
        result.opened.append(url)
        found = check(page, url)
        if found:
            result.problems[url] = found
        if level >= depth:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != urlsplit(base).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith(prefixes) or SKIPPED.search(parts.path):
                continue
            if exclude and re.search(exclude, parts.path):
                continue
            kind = kind_of(target)
            if kind not in seen:
                seen.add(kind)
                queue.append((target, level + 1))
    return result
