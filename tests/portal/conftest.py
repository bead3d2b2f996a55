"""Personas of the portal model tests: a customer's user, another customer's user, a stranger."""

from __future__ import annotations

import pytest

from tests.factories.billing import CustomerFactory, CustomerLinkFactory, UserFactory


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Jana Nováková")


@pytest.fixture
def other_customer(db):
    return CustomerFactory(name="Petr Svoboda")


@pytest.fixture
def customer_user(customer):
    return CustomerLinkFactory(customer=customer).user


@pytest.fixture
def outsider(db):
    return UserFactory()
