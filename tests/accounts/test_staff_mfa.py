"""Staff need MFA for the admin; no login path skips allauth's MFA stage."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories.accounts import PASSWORD, has_totp, login_with_mfa, totp_code

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ENROL_MESSAGE = (
    "The administration requires two-factor authentication. Set up an authenticator app on "
    "your phone to continue."
)


def czech(msgid: str) -> str:
    with translation.override("cs"):
        return gettext(msgid)


def password_login(client, user, next_url: str = ""):
    url = reverse("account_login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def goes_to(response, path: str, next_url: str | None = None) -> bool:
    """A redirect to `path` (with ?next=`next_url` when given)."""
    location = urlsplit(response.get("Location", ""))
    if response.status_code != 302 or location.path != path:
        return False
    return next_url is None or parse_qs(location.query).get("next") == [next_url]


def is_login_redirect(response, next_url: str) -> bool:
    return goes_to(response, reverse("account_login"), next_url)


def reauthenticate_with_password(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_anonymous_admin_visitors_go_to_allauths_login(client):
    assert is_login_redirect(client.get("/admin/pages/"), "/admin/pages/")


def test_wagtails_own_logins_redirect_to_allauth_keeping_next(client):
    assert is_login_redirect(client.get("/admin/login/?next=/admin/pages/"), "/admin/pages/")
    assert is_login_redirect(client.get("/_util/login/?next=/cenik/"), "/cenik/")


def test_posting_a_password_to_wagtails_logins_signs_nobody_in(client, operator):
    for url in ("/admin/login/", "/_util/login/"):
        client.post(url, {"username": operator.username, "password": PASSWORD})
        assert "_auth_user_id" not in client.session, url
    assert is_login_redirect(client.get(ADMIN), ADMIN)


def test_staff_with_mfa_are_not_signed_in_before_the_code(client, operator):
    response = password_login(client, operator, ADMIN)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert is_login_redirect(client.get(ADMIN), ADMIN)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(operator.totp_secret)})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_land_in_the_admin_and_customers_on_my_account(client, operator, customer):
    password_login(client, operator)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(operator.totp_secret)})
    assert response["Location"] == reverse("wagtailadmin_home")
    client.logout()
    response = password_login(client, customer)
    assert response["Location"] == reverse("portal-account:overview")


def test_staff_without_mfa_are_sent_to_enrol_before_the_admin(client, unenrolled_staff):
    response = password_login(client, unenrolled_staff)
    assert response["Location"] == reverse("wagtailadmin_home")
    for url in (ADMIN, "/admin/pages/", "/admin/users/", "/admin/api/main/pages/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url

    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert czech(ENROL_MESSAGE) in page.content.decode()
    assert client.get("/").status_code in (200, 404)  # the public site stays open


# Enrolling opens the admin in the session that enrolled: tests/accounts/test_mfa_session.py.


def test_a_session_without_the_mfa_check_must_confirm_a_code(client, operator):
    client.force_login(operator)  # e.g. a session from before the account had MFA
    response = client.get("/admin/pages/")
    assert goes_to(response, reverse("mfa_reauthenticate"), "/admin/pages/")
    response = client.post(response["Location"], {"code": totp_code(operator.totp_secret)})
    assert response["Location"] == "/admin/pages/"
    assert client.get(ADMIN).status_code == 200


def test_the_admin_logout_stays_reachable(client, unenrolled_staff):
    password_login(client, unenrolled_staff)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_cannot_switch_their_authenticator_off(client, operator):
    login_with_mfa(client, operator)
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(operator.totp_secret)})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=operator, type="totp").exists()


# Switching off needs a session that passed MFA; enrolling records that once it has committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_customers_may_switch_mfa_on_and_off(client, customer):
    client.force_login(customer)
    reauthenticate_with_password(client)
    form = client.get(reverse("mfa_activate_totp")).context["form"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(form.secret)})
    assert has_totp(customer)
    client.post(reverse("mfa_deactivate_totp"))
    assert not has_totp(customer)


@pytest.mark.parametrize("persona", ["operator", "editor", "administrator"])
def test_enrolled_staff_use_the_admin(client, request, persona):
    user = request.getfixturevalue(persona)
    login_with_mfa(client, user)
    assert client.get(ADMIN).status_code == 200


def test_customers_have_no_admin(client, customer):
    client.force_login(customer)
    assert is_login_redirect(client.get(ADMIN), ADMIN)
