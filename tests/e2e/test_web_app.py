"""The installable web app in Chromium: the service worker registers for the whole site, the
dashboard can be read offline marked as not current, other pages show the offline page, and after
signing out nothing of the customer's is left in the browser's caches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import CustomerLink, PortalHomePage
from portal.pages.setup import ensure_portal_pages
from tests.accounts.conftest import build_world
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.billing import CustomerFactory

from .conftest import axe_violations, format_violations, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "aplikace@example.cz"
CUSTOMER_NAME = "Marie Vodičková"

CACHED_TEXTS = """async () => {
    const found = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            found.push({cache: name, url: request.url, text: await response.text()});
        }
    }
    return found;
}"""


@pytest.fixture
def web_app_customer(demo_site):
    ensure_portal_pages()
    customer = CustomerFactory(name=CUSTOMER_NAME, number="300777")
    user = UserFactory(email=EMAIL)
    CustomerLink.objects.create(user=user, customer=customer)
    build_world(customer)
    return user


def test_the_web_app_works_offline_and_forgets_the_customer_on_sign_out(
    page, live_server, web_app_customer
):
    base = live_server.url
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()

    dashboard = base + PortalHomePage.objects.get().url
    page.goto(dashboard)
    registration = page.evaluate(
        "navigator.serviceWorker.ready.then(r => ({scope: r.scope, script: r.active.scriptURL}))"
    )
    assert registration == {"scope": base + "/", "script": base + "/sw.js"}
    wait_until(page, "navigator.serviceWorker.controller !== null")
    # What Chromium checks before it offers "Install app" (manifest, icons, worker, scope).
    # (A test browser context is incognito, where Chromium installs nothing: that one is ignored.)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []
    page.reload()  # now through the worker, which keeps a copy of the dashboard
    wait_until(
        page,
        """async () => {
            const cache = await caches.open("pramen-private");
            return (await cache.keys()).length > 0;
        }""",
    )
    assert not page.locator("[data-offline-notice]").is_visible()

    page.context.set_offline(True)
    page.goto(dashboard)
    notice = page.locator("[data-offline-notice]")
    assert notice.is_visible()
    assert "nemusí být aktuální" in notice.inner_text()
    assert CUSTOMER_NAME in page.content()
    page.goto(base + reverse("portal-account:overview"))
    assert page.locator("main h1").inner_text() == "Jste offline"

    page.context.set_offline(False)
    page.goto(dashboard)
    page.locator("form[data-sign-out] button").click()
    # The signed-out page, once it has loaded (a busy machine may still show the old one), and
    # its clean-up of every cache but the shell's.
    wait_until(page, "document.body.dataset.signedIn === 'false'")
    wait_until(
        page, "async () => (await caches.keys()).every((name) => name.startsWith('pramen-shell-'))"
    )
    cached = page.evaluate(CACHED_TEXTS)
    assert cached, "the shell stays cached for the next visit"
    assert all(entry["cache"].startswith("pramen-shell-") for entry in cached)
    leaked = [entry["url"] for entry in cached if CUSTOMER_NAME in entry["text"]]
    assert not leaked, leaked


def test_the_personal_api_page_is_accessible(page, live_server, web_app_customer):
    base = live_server.url
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base + reverse("portal-tokens:tokens"))
    page.get_by_label("Název tokenu").fill("Home Assistant")
    page.get_by_role("button", name="Vytvořit token").click()
    page.wait_for_load_state()
    assert page.locator("#new-token").input_value().startswith("pramen_")
    page.get_by_role("button", name="Vytvořit adresu kalendáře").click()
    page.wait_for_load_state()
    assert page.locator("#new-feed").input_value().endswith(".ics")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
