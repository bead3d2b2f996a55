"""The page tests look at the recorded ZIS batch, as the portal page tests do."""

from __future__ import annotations

import pytest

from portal.models import Customer


@pytest.fixture
def customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100001")


@pytest.fixture
def other_customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100003")
