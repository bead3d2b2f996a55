"""MFA belongs to the session: a staff session opens the admin only when the second factor (or
the enrolment of the authenticator) was completed in that very session; and no second password
prompt right after a fresh login."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from portal.accounts.groups import ensure_operator_group
from tests.factories.accounts import PASSWORD, UserFactory, enable_totp, has_totp, totp_code

pytestmark = pytest.mark.django_db
# allauth tells of a new authenticator once the activation has committed (transaction.on_commit,
# inside the request); only a transactional test commits as a real request does.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CUSTOMERS = "/admin/customers/"


@pytest.fixture
def new_operator(db):
    """An operator who has not set up an authenticator app yet."""
    user = UserFactory(email="nova@vodarna.example", is_staff=True)
    user.groups.add(ensure_operator_group()[0])
    return user


def password_login(client: Client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def enrol(client: Client) -> None:
    """Set up the authenticator app on the activation page, as staff do after their login."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, "the activation page, without a password prompt first"
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302


def is_sent_to_confirm_a_code(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("mfa_reauthenticate")
    )


@committing
def test_enrolling_in_another_session_does_not_open_the_admin_in_this_one(new_operator):
    session_a, session_b = Client(), Client()
    password_login(session_a, new_operator)
    password_login(session_b, new_operator)
    enrol(session_b)

    assert session_b.get(CUSTOMERS).status_code == 200
    # Session A signed in with the password alone: it has to confirm a code first.
    response = session_a.get(CUSTOMERS)
    assert is_sent_to_confirm_a_code(response)
    secret = new_operator.authenticator_set.get(type="totp").wrap().instance.data["secret"]
    response = session_a.post(response["Location"], {"code": totp_code(secret)})
    assert response["Location"] == CUSTOMERS
    assert session_a.get(CUSTOMERS).status_code == 200


@committing
def test_enrolling_right_after_login_opens_the_admin_without_a_second_password(
    client, new_operator
):
    password_login(client, new_operator)
    assert client.get(CUSTOMERS)["Location"] == reverse("mfa_activate_totp")
    enrol(client)
    assert has_totp(new_operator)
    assert client.get(CUSTOMERS).status_code == 200


def test_an_older_session_is_asked_for_the_password_before_enrolling(
    client, new_operator, settings
):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the login is no longer fresh
    password_login(client, new_operator)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_signing_in_with_a_recovery_code_opens_the_admin(client, operator):
    codes = RecoveryCodes.activate(operator).get_unused_codes()
    password_login(client, operator)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(CUSTOMERS).status_code == 200
    # The code is spent: it cannot open another session.
    other = Client()
    password_login(other, operator)
    response = other.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in other.session


def test_a_password_only_session_of_an_enrolled_user_must_confirm_a_code(client, operator):
    """A session whose login skipped the MFA stage (e.g. signed in before enrolling) is refused,
    however recently the authenticator was created."""
    client.force_login(operator)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": 0.0}]
    session["account_authentication_methods_user"] = str(operator.pk)
    session.save()
    operator.authenticator_set.all().delete()
    enable_totp(operator)  # "created after the session's login"
    assert is_sent_to_confirm_a_code(client.get(CUSTOMERS))


def password_only_session(client: Client, user) -> None:
    """A session signed in with the password alone (e.g. before the app was set up elsewhere)."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.mark.parametrize("url_name", ["mfa_view_recovery_codes", "mfa_generate_recovery_codes"])
@pytest.mark.parametrize("language", ["", "/en"])
def test_a_password_alone_never_reaches_the_recovery_codes(client, customer, url_name, language):
    secret = enable_totp(customer)
    RecoveryCodes.activate(customer)
    password_only_session(client, customer)
    url = language + reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("mfa_reauthenticate") in response["Location"]  # /en/… in English
    assert client.post(url).status_code == 302  # no new codes either
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response["Location"] == url
    assert client.get(url).status_code == 200  # after the code, in this session


def test_customers_without_mfa_are_not_asked_for_a_code(client, customer):
    client.force_login(customer)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
