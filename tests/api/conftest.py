"""Personas with billing data, and API clients carrying a personal token."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from portal.api.models import ApiToken
from tests.accounts.conftest import build_world


def token_client(user: Any, **kwargs: Any) -> Client:
    """A client sending a new personal token of `user` (kwargs: customer, expires_at)."""
    _token, secret = ApiToken.issue(user, "test", **kwargs)
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def world(customer_record, customer) -> SimpleNamespace:
    return build_world(customer_record)


@pytest.fixture
def other_world(other_customer_record, other_customer) -> SimpleNamespace:
    return build_world(other_customer_record)
