"""The request tests' household: the `customer` persona's customer with a year of readings
(`tests.factories.billing.household_with_history`: today's plausible band is 139.500–166.500 m³)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories.billing import household_with_history

PLAUSIBLE = Decimal("146.500")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def household(customer_record, today) -> SimpleNamespace:
    return household_with_history(customer_record, today)


def token() -> str:
    return str(uuid.uuid4())
