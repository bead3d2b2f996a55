"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    """Chromium for the whole session.

    Playwright's sync API leaves an event loop running in this thread, and Django keeps database
    connections per context while a loop runs (asgiref's Local). Without care, the tests would get
    fresh connection objects that lack the serialized test database, and `serialized_rollback`
    would restore nothing after the first browser test flushed the database. So the connections
    made before Playwright started are handed to the new context.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (see README).")
    with django_db_blocker.unblock():
        before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in before.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db):
    """The demo website, loaded by the same command `make run` uses."""
    from cms_pages.demo_content.loader import load_demo_content

    load_demo_content()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules) on the open page; return the grave violations."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Evaluate `expression` (as Playwright's `page.evaluate` takes it) every 0.1 s until it is
    truthy.

    Playwright's own `wait_for_function` re-evaluates its predicate from the page with `eval`, which
    Pramen's Content-Security-Policy forbids ('unsafe-eval' is never allowed): a predicate that is
    not true at once fails there. `page.evaluate` runs as DevTools code, which the policy lets
    through. A navigation under way destroys the context being evaluated in: that try is repeated.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"Still not true after {timeout} s: {expression}")
        page.wait_for_timeout(100)
