"""The no-login reading form in Chromium: opened from an invitation's link, it shows only the
meter and the date of its last reading, asks to confirm an unusual value, accepts one reading
and passes axe (WCAG 2.1 A/AA); the spent link then says so plainly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.mailings.invitations import link_path
from portal.models import ReadingInvitation, SelfReadingRequest
from tests.factories.billing import household_with_history

from .conftest import axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_reading_without_signing_in(page, live_server, customer_record, utility):
    today = timezone.localdate()
    household = household_with_history(customer_record, today)
    invitation = ReadingInvitation.objects.create(
        supply_point=household.supply_point,
        meter=household.meter,
        period=today,
        expires_on=today + dt.timedelta(days=14),
    )
    page.goto(live_server.url + link_path(invitation))
    assert page.locator("h1").inner_text() == "Nahlaste stav vodoměru"
    body = page.locator("main").inner_text()
    assert "SV-1001" in body and "136,5" not in body and "OM-300100" not in body
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_label("Stav vodoměru (m³)").fill("400")
    page.get_by_role("button", name="Odeslat stav").click()
    page.wait_for_load_state()
    assert page.locator("#unusual-warning").is_visible()  # far above the plausible band
    assert "166" not in page.locator("main").inner_text()  # no expected values revealed
    page.get_by_label("Ano, hodnota je správná.").check()
    page.get_by_role("button", name="Odeslat stav").click()
    page.wait_for_load_state()
    assert "Děkujeme" in page.locator("main").inner_text()
    reading = SelfReadingRequest.objects.get()
    assert reading.flagged and reading.value == 400

    page.goto(live_server.url + link_path(invitation))
    assert "již odeslán" in page.locator("main").inner_text()
