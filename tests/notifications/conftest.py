"""Personas of the notification tests: customer (Czech, linked to customer_user), operator (staff
in the real Operators group, MFA), editor (staff, Editors group, MFA)."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.accounts.groups import ensure_operator_group
from tests.factories import billing as f
from tests.factories.accounts import AccountUserFactory, enable_totp, login_with_mfa, staff_group


@pytest.fixture(autouse=True)
def _czech_by_default():
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture
def customer(db):
    return f.CustomerFactory(name="Jana Nováková", number="300100", email="jana@example.cz")


@pytest.fixture
def customer_user(customer):
    user = AccountUserFactory(email="jana.novakova@example.cz")
    f.CustomerLinkFactory(user=user, customer=customer)
    return user


@pytest.fixture
def operator(db):
    user = AccountUserFactory(email="operator@vodarna.example", is_staff=True)
    group, _added = ensure_operator_group()
    user.groups.add(group)
    enable_totp(user)
    return user


@pytest.fixture
def editor(db):
    user = AccountUserFactory(email="redaktor@vodarna.example", is_staff=True)
    user.groups.add(staff_group("Editors", []))
    enable_totp(user)
    return user


@pytest.fixture
def operator_client(client, operator):
    login_with_mfa(client, operator)
    return client
