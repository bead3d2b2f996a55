"""Personas and requests of the operators' queue tests.

The household's meter SV-1001 (supply point OM-300100, customer 300100 Jana Nováková) has two
readings from ZIS; its self-readings come from `builders.py`. Operators are in
the real Operators group (`ensure_operator_group`), so the tests also check what it grants.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from portal.accounts.groups import ensure_operator_group
from tests.factories import billing as f
from tests.factories.accounts import AccountUserFactory, enable_totp, staff_group

from .builders import mfa_client


@pytest.fixture(autouse=True)
def _czech():
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRAMEN_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def household(db):
    customer = f.CustomerFactory(name="Jana Nováková", number="300100", email="jana@zis.example")
    point = f.SupplyPointFactory(customer=customer, number="OM-300100")
    meter = f.MeterFactory(supply_point=point, serial_number="SV-1001")
    f.ReadingFactory(meter=meter, date=dt.date(2025, 1, 10), value=Decimal("100.000"))
    f.ReadingFactory(
        meter=meter,
        date=dt.date(2025, 12, 31),
        value=Decimal("136.500"),
        kind="estimated",
    )
    user = AccountUserFactory(email="jana.novakova@example.cz")
    f.CustomerLinkFactory(user=user, customer=customer)
    return SimpleNamespace(customer=customer, supply_point=point, meter=meter, user=user)


@pytest.fixture
def neighbour(db):
    customer = f.CustomerFactory(name="Petr Svoboda", number="300200", email="petr@zis.example")
    point = f.SupplyPointFactory(customer=customer, number="OM-300200")
    meter = f.MeterFactory(supply_point=point, serial_number="SV-2002")
    return SimpleNamespace(customer=customer, supply_point=point, meter=meter)


def _staff(email: str, first: str, last: str):
    user = AccountUserFactory(email=email, first_name=first, last_name=last, is_staff=True)
    enable_totp(user)
    return user


@pytest.fixture
def operator(db):
    user = _staff("operator@vodarna.example", "Olga", "Operátorová")
    user.groups.add(ensure_operator_group()[0])
    return user


@pytest.fixture
def second_operator(db):
    user = _staff("druhy@vodarna.example", "Karel", "Druhý")
    user.groups.add(ensure_operator_group()[0])
    return user


@pytest.fixture
def viewer(db):
    """Staff who may see the queues but not decide."""
    user = _staff("nahled@vodarna.example", "Věra", "Náhledová")
    user.groups.add(
        staff_group(
            "Request viewers",
            ["portal.view_selfreadingrequest", "portal.view_addresschangerequest"],
        )
    )
    return user


@pytest.fixture
def editor(db):
    user = _staff("redaktor@vodarna.example", "Eda", "Redaktor")
    user.groups.add(staff_group("Editors", []))
    return user


@pytest.fixture
def operator_client(operator) -> Client:
    return mfa_client(operator)
