"""Users and their links to customers; staff with an authenticator app; signed-in clients.

`login_with_mfa(client, user)` signs a staff user in as if they had passed allauth's login with
its MFA stage (use it in admin tests: the admin refuses staff sessions without MFA).
"""

from __future__ import annotations

import time
from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from portal.models import CustomerLink

PASSWORD = "Vodarna-Heslo-2025"


class UserFactory(factory.django.DjangoModelFactory):
    """Someone who signed up and verified the e-mail address; password `PASSWORD`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cz")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class CustomerLinkFactory(factory.django.DjangoModelFactory):
    """A user's link to a customer, as linking with an activation code makes it."""

    class Meta:
        model = CustomerLink

    user = factory.SubFactory(UserFactory)
    customer = factory.SubFactory("tests.factories.billing.CustomerFactory")


def staff_group(name: str, codenames: list[str]) -> Group:
    """A group with admin access and the named permissions ("app_label.codename")."""
    group, _created = Group.objects.get_or_create(name=name)
    wanted = ["wagtailadmin.access_admin", *codenames]
    for label in wanted:
        app_label, codename = label.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def enable_totp(user: Any) -> str:
    """Give `user` an authenticator app; returns its secret."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, offset: int = 0) -> str:
    """The code the authenticator app shows now (offset: periods later or earlier)."""
    counter = int(time.time()) // 30 + offset
    return format_hotp_value(hotp_value(secret, counter))


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def login_with_mfa(client: Any, user: Any) -> None:
    """Sign in as after allauth's login with the MFA stage (session records included)."""
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def client_for(user: Any) -> Client:
    """A browser signed in as `user` (a customer: no MFA stage)."""
    client = Client()
    client.force_login(user)
    return client


def mfa_client(user: Any) -> Client:
    """A browser signed in as staff `user`, past the MFA stage."""
    client = Client()
    login_with_mfa(client, user)
    return client
