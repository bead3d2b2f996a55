"""The households of the operators' queue tests, built on the shared personas' customers.

The household's meter SV-1001 (supply point OM-300100, customer 300100 Jana Nováková, whose user
is the `customer` persona) has two readings from ZIS; the neighbour's meter SV-2002 (OM-300200,
customer 300200 Petr Svoboda) has none. Their self-readings come from `tests.factories.requests`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import billing as f


@pytest.fixture
def household(customer_record, customer) -> SimpleNamespace:
    point = f.SupplyPointFactory(customer=customer_record, number="OM-300100")
    meter = f.MeterFactory(supply_point=point, serial_number="SV-1001")
    f.ReadingFactory(meter=meter, date=dt.date(2025, 1, 10), value=Decimal("100.000"))
    f.ReadingFactory(
        meter=meter, date=dt.date(2025, 12, 31), value=Decimal("136.500"), kind="estimated"
    )
    return SimpleNamespace(customer=customer_record, supply_point=point, meter=meter, user=customer)


@pytest.fixture
def neighbour(other_customer_record) -> SimpleNamespace:
    point = f.SupplyPointFactory(customer=other_customer_record, number="OM-300200")
    meter = f.MeterFactory(supply_point=point, serial_number="SV-2002")
    return SimpleNamespace(customer=other_customer_record, supply_point=point, meter=meter)
