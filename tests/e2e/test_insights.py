"""A customer gets a leak warning: on the portal home and as an e-mail in the outbox, then opens
the supply point's consumption page and sets a daily limit (in a real browser)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import Notification, PortalHomePage
from tests.factories.accounts import PASSWORD

from .conftest import axe_violations, format_violations
from .leak import leaking_demo_customer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "unik.demo@example.cz"


@pytest.fixture
def leaking_customer(demo_site, tmp_path):
    """A user linked to a demo customer whose remote-read meter has run for 7 days in a row."""
    return leaking_demo_customer(tmp_path, EMAIL)


def test_a_customer_sees_a_leak_warning_and_sets_a_limit(page, live_server, leaking_customer):
    _user, point = leaking_customer
    emails = Notification.objects.filter(template="warning", recipient=EMAIL)
    leak = [e for e in emails if e.context["kind"] == "continuous_flow"]
    assert len(leak) == 1  # one e-mail for the episode
    assert leak[0].context["supply_point_number"] == point.number

    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + PortalHomePage.objects.get().url)

    warnings = page.locator("section[aria-labelledby=warnings-heading]")
    assert "Upozornění na spotřebu" in warnings.inner_text()
    assert "Voda protékala každý den 7 dní po sobě" in warnings.inner_text()
    assert not axe_violations(page), format_violations(axe_violations(page))

    warnings.get_by_role("link", name="Podrobnosti a nastavení").first.click()
    page.wait_for_load_state()
    assert point.number in page.locator("main h1").inner_text()
    page.get_by_label("Denní limit (m³)").fill("0,5")
    page.get_by_role("button", name="Uložit nastavení").click()
    page.wait_for_load_state()
    assert "Vaše nastavení bylo uloženo." in page.content()
    assert page.get_by_label("Denní limit (m³)").input_value() == "0,5"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
