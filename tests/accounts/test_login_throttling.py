"""Wrong passwords are throttled per account *and* client address: whoever guesses from one
address is stopped there, and the customer still signs in from their own."""

from __future__ import annotations

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
HOME = "198.51.100.20"
LIMIT = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 300 s per account and address


def too_many() -> str:
    """allauth's refusal, in the language of the page (Czech)."""
    return str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])


def sign_in(client: Client, email: str, password: str, ip: str):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def refused_as_too_many(response) -> bool:
    return response.status_code == 200 and too_many() in response.content.decode()


def test_wrong_passwords_from_elsewhere_do_not_lock_the_customer_out(customer):
    attacker = Client()
    for _ in range(LIMIT):
        response = sign_in(attacker, customer.email, "wrong-password", ATTACKER)
        assert not refused_as_too_many(response)
    # The attacker's address is stopped, even with the right password.
    assert refused_as_too_many(sign_in(attacker, customer.email, PASSWORD, ATTACKER))
    assert not is_signed_in(attacker)

    at_home = Client()
    response = sign_in(at_home, customer.email, PASSWORD, HOME)
    assert response.status_code == 302
    assert is_signed_in(at_home)


def test_one_address_cannot_guess_on_beyond_the_limit(customer):
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, customer.email, "wrong-password", HOME)
    assert refused_as_too_many(sign_in(client, customer.email, "another-guess", HOME))


def test_addresses_of_one_ipv6_network_share_the_limit(customer):
    client = Client()
    for host in range(1, LIMIT + 1):
        sign_in(client, customer.email, "wrong-password", f"2001:db8:1:2::{host}")
    response = sign_in(client, customer.email, PASSWORD, "2001:db8:1:2::99")
    assert refused_as_too_many(response)
    response = sign_in(Client(), customer.email, PASSWORD, "2001:db8:9:9::1")
    assert response.status_code == 302


def test_each_wrong_password_is_logged_with_the_account(customer, caplog):
    with caplog.at_level("WARNING", logger="portal.accounts"):
        sign_in(Client(), customer.email, "wrong-password", ATTACKER)
    [record] = [r for r in caplog.records if r.name == "portal.accounts"]
    assert customer.email in record.getMessage() and ATTACKER not in record.getMessage()
