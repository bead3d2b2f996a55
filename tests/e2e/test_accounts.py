"""Accounts in a real browser: sign up, verify, link a customer, the lock, staff MFA enrolment."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import PASSWORD, totp_code
from tests.factories.billing import ActivationCodeFactory, CustomerFactory

from .conftest import axe_violations, format_violations

CODE = "KVTN-7PRS-M2WX"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _czech_urls():
    """reverse() gives the Czech addresses even if an earlier test left English active."""
    translation.activate("cs")
    yield
    translation.activate("cs")


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{format_violations(violations)}"


def path_of(url: str) -> str:
    return urlsplit(url).path


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def link(page, base: str, number: str, code: str) -> None:
    page.goto(base + reverse("portal-account:link-customer"))
    page.locator("#id_customer_number").fill(number)
    page.locator("#id_code").fill(code)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def test_sign_up_verify_and_link_a_customer(page, live_server, demo_site):
    base = live_server.url
    customer = CustomerFactory(name="Marie Dvořáková", number="410777")
    ActivationCodeFactory(customer=customer, code=CODE)

    page.goto(base + reverse("account_signup"))
    assert_accessible(page, "sign-up page")
    page.locator("#id_email").fill("marie.dvorakova@example.cz")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")

    assert [m.to for m in mail.outbox] == [["marie.dvorakova@example.cz"]]
    verify = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(base + path_of(verify))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    if path_of(page.url) == reverse("account_login"):  # a new session: sign in now
        sign_in(page, base, "marie.dvorakova@example.cz")
    page.wait_for_url(f"**{reverse('portal-account:overview')}")
    assert_accessible(page, "my account, nothing linked")

    link(page, base, "410 777", CODE.lower())
    page.wait_for_url(f"**{reverse('portal-account:overview')}")
    table = page.locator("table.data-table")
    assert "Marie Dvořáková" in table.inner_text() and "410777" in table.inner_text()
    assert_accessible(page, "my account with a customer")


def test_five_wrong_codes_lock_linking_for_a_while(page, live_server, demo_site, outsider):
    base = live_server.url
    customer = CustomerFactory(name="Karel Malý", number="520001")
    ActivationCodeFactory(customer=customer, code=CODE)

    page.goto(base + reverse("account_login"))
    assert_accessible(page, "login page")
    sign_in(page, base, outsider.email)
    for attempt in range(5):
        link(page, base, "520001", f"WRNG-{attempt}AAA-BBBB")
        assert page.locator(".form-errors").is_visible()
    assert_accessible(page, "link form with an error")

    link(page, base, "520001", CODE)  # the right code, too late
    message = page.locator(".form-errors").inner_text()
    assert re.search(r"\b\d{1,2}:\d{2}\b", message), message  # says when to try again
    assert path_of(page.url) == reverse("portal-account:link-customer")
    page.goto(base + reverse("portal-account:overview"))
    assert page.locator("table.data-table").count() == 0


def test_staff_without_mfa_enrol_before_the_admin(page, live_server, demo_site, unenrolled_staff):
    base = live_server.url
    sign_in(page, base, unenrolled_staff.email)
    page.goto(base + "/admin/")
    # straight to the authenticator set-up: no second password prompt right after signing in
    page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    assert page.locator(".messages").is_visible()
    assert_accessible(page, "authenticator set-up")

    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base + "/admin/")
    assert path_of(page.url) == "/admin/"
    assert page.locator("body.wagtail-admin, #wagtail, [data-sidebar]").count() > 0
