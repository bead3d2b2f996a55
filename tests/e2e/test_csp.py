"""The Content Security Policy in Chromium: public pages, portal pages and the Wagtail admin load
and work without a single CSP violation (config/security.py).

Violations are caught twice: Chromium's console messages about the policy, and the page's
`securitypolicyviolation` events (listened to by an init script, which runs outside the page's
policy, like axe's injection).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cms_pages.models import FAQPage, HomePage
from portal.models import ConsumptionPage, Customer, CustomerLink, InvoicesPage
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import PASSWORD, UserFactory, totp_code
from zis.demo import demo_customers, generate_batch
from zis.importer import import_batch

from .conftest import axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with a list of the CSP violations it reports."""
    messages: list[str] = []
    page.on(
        "console",
        lambda msg: (
            messages.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(LISTEN)
    page.csp_messages = messages
    return page


def visit(page, url: str, what: str) -> str:
    """Open `url`; fail on any CSP violation; return the policy the response carried."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{what}: {response and response.status}"
    )
    page.wait_for_load_state("networkidle")
    policy = response.headers.get("content-security-policy", "")
    assert policy, f"{what}: no Content-Security-Policy header"
    events = page.evaluate("window.__cspViolations")
    assert not page.csp_messages and not events, f"{what}: {page.csp_messages} {events}"
    return policy


def sign_in(page, base: str, email: str, code_secret: str = "") -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    if code_secret:
        page.locator("#id_code").fill(totp_code(code_secret))
        page.locator("form.form button[type=submit]").first.click()
        page.wait_for_load_state()


def test_public_pages_and_the_axe_check_work_under_the_policy(watched, live_server, demo_site):
    base = live_server.url
    policy = visit(watched, base + "/", "home page")
    assert "'unsafe-inline'" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "img-src 'self' data:" in policy

    faq = FAQPage.objects.live().first()
    visit(watched, base + faq.url, "FAQ (JSON-LD, live filter)")
    watched.locator("#faq-q").fill("voda")
    assert not watched.evaluate("window.__cspViolations")

    # axe-core is injected through DevTools (page.evaluate), which the page's policy allows
    violations = axe_violations(watched)
    assert not violations, format_violations(violations)
    assert not watched.csp_messages


def test_a_customer_portal_with_its_chart_works_under_the_policy(
    watched, live_server, demo_site, tmp_path
):
    folder = generate_batch(tmp_path, supply_points=4, years=2, seed=11)
    run = import_batch(folder, move=False)
    assert run.status == "succeeded", run.report
    ensure_portal_pages()
    user = UserFactory(email="csp.odberatel@example.cz")
    for login in demo_customers(tmp_path):
        CustomerLink.objects.create(user=user, customer=Customer.objects.get(number=login.number))

    base = live_server.url
    sign_in(watched, base, user.email)
    policy = visit(watched, base + ConsumptionPage.objects.get().url, "consumption chart")
    assert "'unsafe-inline'" not in policy
    drawn = watched.evaluate(
        "() => Boolean(window.Chart && Chart.getChart(document.getElementById('consumption-chart')))"
    )
    assert drawn, "the consumption chart was not drawn"
    visit(watched, base + InvoicesPage.objects.get().url, "invoices")
    visit(watched, base + reverse("portal-account:overview"), "my account")


def test_the_wagtail_admin_works_under_its_policy(
    watched, live_server, demo_site, settings, administrator
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the userbar loads its assets from there
    base = live_server.url
    sign_in(watched, base, administrator.email, administrator.totp_secret)

    policy = visit(watched, base + "/admin/", "admin dashboard")
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    home = HomePage.objects.get()
    visit(watched, base + reverse("wagtailadmin_pages:edit", args=[home.pk]), "page editor")
    visit(watched, base + reverse("wagtailadmin_explore", args=[home.pk]), "page explorer")
    visit(watched, base + reverse("wagtailimages:index"), "images")

    # the public home page with the userbar shown to a signed-in editor
    policy = visit(watched, base + "/", "home page with the userbar")
    assert "'unsafe-inline'" not in policy
    assert watched.locator("wagtail-userbar").count() == 1
