"""The request pages in Chromium: no serious WCAG 2.1 A/AA violation (axe-core) on the forms,
their error states, the confirmation step and the tracker; the error summary links to fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import PASSWORD
from tests.factories.billing import household_with_history
from tests.factories.requests import jpeg_with_exif
from tests.support.pages import sub

from .conftest import axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def household(customer_record):
    return household_with_history(customer_record, timezone.localdate())


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{format_violations(violations)}"


def test_the_request_pages_pass_axe(page, live_server, customer, household, portal, tmp_path):
    base = live_server.url
    sign_in(page, base, customer.email)
    form = base + sub(
        portal.readings,
        "self_reading",
        supply_point_pk=household.supply_point.pk,
        meter_pk=household.meter.pk,
    )
    page.goto(form)
    assert_accessible(page, "self-reading form")

    page.locator("#id_value").fill("100")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert "nižší než poslední schválený odečet" in summary.inner_text()
    assert summary.locator("a").first.get_attribute("href") == "#id_value"
    assert page.locator("#id_value").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "error-summary"  # focused on load
    assert_accessible(page, "self-reading form with an error")

    bad = Path(tmp_path / "vodomer.jpg")
    bad.write_text("no photo here\n" * 20)
    page.locator("#id_value").fill("300")
    page.locator("#id_photo").set_input_files(str(bad))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Soubor není fotografie" in page.locator("#error-summary").inner_text()

    good = Path(tmp_path / "vodomer-dobry.jpg")
    good.write_bytes(jpeg_with_exif())
    page.locator("#id_value").fill("300")
    page.locator("#id_photo").set_input_files(str(good))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Je hodnota správná?" in main
    assert "Fotografii, kterou jste přiložili, jsme si ponechali" in main
    assert page.evaluate("document.activeElement.id") == "unusual-warning"
    assert_accessible(page, "the confirmation step")
    page.locator("#id_confirm_unusual").check()  # the photo is not attached again
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{sub(portal.details, 'requests')}")
    main = page.locator("main").inner_text()
    assert "Samoodečet vodoměru SV-1001" in main
    assert "Zobrazit fotografii" in main  # the photo from the first step
    assert_accessible(page, "the tracker")

    page.goto(base + sub(portal.details, "address_change"))
    page.locator("#id_house_number").fill("515")
    page.locator("#id_municipality").fill("Praha")
    page.locator("#id_postcode").fill("1600")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Zadejte PSČ jako pět číslic" in page.locator("#error-summary").inner_text()
    assert_accessible(page, "address change with an error")
