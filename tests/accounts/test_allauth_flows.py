"""Sign-up, verification, login, password reset and change, e-mail change, logout — in our frame."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.models import AccountProfile
from tests.factories.accounts import PASSWORD, UserFactory

NEW_PASSWORD = "Jina-Voda-2026"

pytestmark = pytest.mark.django_db


def english(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_up(client, email: str, url: str | None = None):
    return client.post(
        url or reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_needs_the_email_verified_before_signing_in(client):
    response = sign_up(client, "nova@example.cz")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    user = get_user_model().objects.get(email="nova@example.cz")
    assert AccountProfile.objects.get(user=user).language == "cs"
    assert [m.to for m in mail.outbox] == [["nova@example.cz"]]

    confirm = link_in(mail.outbox[0])
    client.get(confirm)
    response = client.post(confirm)
    assert EmailAddress.objects.get(user=user).verified
    assert response["Location"] == reverse("portal-account:overview")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_up_in_english_prefers_english(client):
    sign_up(client, "anna@example.com", english("account_signup"))
    user = get_user_model().objects.get(email="anna@example.com")
    assert AccountProfile.objects.get(user=user).language == "en"


def test_an_unverified_address_cannot_sign_in(client):
    user = UserFactory(email="neovereny@example.cz")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert mail.outbox and mail.outbox[-1].to == [user.email]


def test_login_goes_to_the_preferred_language(client, customer):
    AccountProfile.objects.create(user=customer, language="en")
    response = client.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}
    )
    assert response["Location"] == english("portal-account:overview")
    client.logout()
    response = client.post(  # a Czech "next" on the English login page
        english("account_login") + "?next=/ucet/nastaveni/",
        {"login": customer.email, "password": PASSWORD},
    )
    assert response["Location"] == "/en/ucet/nastaveni/"
    client.logout()
    AccountProfile.objects.filter(user=customer).update(language="cs")
    response = client.post(
        english("account_login") + "?next=/en/ucet/nastaveni/",
        {"login": customer.email, "password": PASSWORD},
    )
    assert response["Location"] == "/ucet/nastaveni/"


def test_without_a_preference_login_keeps_the_language(client, customer):
    response = client.post(
        english("account_login"), {"login": customer.email, "password": PASSWORD}
    )
    assert response["Location"] == english("portal-account:overview")


def test_the_forms_ask_for_email_not_username_and_are_accessible(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="username"' not in html
    assert '<label for="id_email">' in html and '<label for="id_password1">' in html
    assert 'aria-describedby="id_password1_helptext"' in html
    assert 'id="id_password1_helptext"' in html
    assert 'class="site-header"' in html and 'class="container narrow"' in html

    html = client.post(reverse("account_signup"), {"email": "x"}).content.decode()
    assert 'aria-invalid="true"' in html and "id_email_error" in html
    assert 'class="form-field form-field--error"' in html


def test_password_reset_by_email(client, customer):
    client.post(reverse("account_reset_password"), {"email": customer.email})
    reset = link_in(mail.outbox[-1])
    form_url = client.get(reset)["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_password_change_and_email_change(client, customer):
    client.force_login(customer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)

    mail.outbox.clear()
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "jana.nova@example.cz"}
    )
    assert response.status_code == 302
    assert "jana.nova@example.cz" in [to for m in mail.outbox for to in m.to]
    assert EmailAddress.objects.filter(email="jana.nova@example.cz", verified=False).exists()


def test_repeated_wrong_passwords_are_rate_limited(client, customer):
    url = english("account_login")
    for _ in range(5):
        client.post(url, {"login": customer.email, "password": "wrong"})
    response = client.post(url, {"login": customer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_the_header_offers_sign_in_my_account_and_sign_out(client, home, customer):
    html = client.get("/").content.decode()
    assert f'href="{reverse("account_login")}"' in html
    client.force_login(customer)
    html = client.get("/").content.decode()
    assert f'href="{reverse("portal-account:overview")}"' in html
    assert f'action="{reverse("account_logout")}"' in html
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
