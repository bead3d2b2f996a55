"""Personas of the accounts tests and a customer's data to look at.

customer_user (linked to `customer`), other_customer_user (linked to `other_customer`), outsider
(signed up, nothing linked), operator (staff, "Operators" group, MFA), editor (staff, "Editors"
group, MFA), unenrolled_staff (staff without MFA), administrator (superuser with MFA).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from portal import models
from tests.factories import billing as f
from tests.factories.accounts import AccountUserFactory, enable_totp, staff_group

OPERATOR_PERMISSIONS = [
    "portal.view_customerlink",
    "portal.delete_customerlink",
    "portal.view_activationcode",
    "portal.add_activationcode",
]


@pytest.fixture(autouse=True)
def _czech_by_default():
    """Requests to /en/… leave English active in the thread; every test starts in Czech."""
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture
def customer(db):
    return f.CustomerFactory(name="Jana Nováková", number="300100")


@pytest.fixture
def other_customer(db):
    return f.CustomerFactory(name="Petr Svoboda", number="300200")


@pytest.fixture
def customer_user(customer):
    user = AccountUserFactory(email="jana.novakova@example.cz")
    f.CustomerLinkFactory(user=user, customer=customer)
    return user


@pytest.fixture
def other_customer_user(other_customer):
    user = AccountUserFactory(email="petr.svoboda@example.cz")
    f.CustomerLinkFactory(user=user, customer=other_customer)
    return user


@pytest.fixture
def outsider(db):
    return AccountUserFactory(email="cizi@example.cz")


@pytest.fixture
def operator(db):
    user = AccountUserFactory(email="operator@vodarna.example", is_staff=True)
    user.groups.add(staff_group("Operators", OPERATOR_PERMISSIONS))
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def editor(db):
    user = AccountUserFactory(email="redaktor@vodarna.example", is_staff=True)
    user.groups.add(staff_group("Editors", []))
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def unenrolled_staff(db):
    user = AccountUserFactory(email="novacek@vodarna.example", is_staff=True)
    user.groups.add(staff_group("Editors", []))
    return user


@pytest.fixture
def administrator(db):
    user = AccountUserFactory(email="admin@vodarna.example", is_staff=True, is_superuser=True)
    user.totp_secret = enable_totp(user)
    return user


def build_world(customer: models.Customer) -> SimpleNamespace:
    """One of each kind of billing record for `customer`."""
    point = f.SupplyPointFactory(customer=customer, is_household=False)
    meter = f.MeterFactory(supply_point=point, remote_read=True)
    invoice = f.InvoiceFactory(customer=customer, supply_point=point)
    schedule = f.AdvanceScheduleFactory(customer=customer, supply_point=point)
    return SimpleNamespace(
        customer=customer,
        link=customer.links.first(),
        supply_point=point,
        meter=meter,
        reading=f.ReadingFactory(meter=meter),
        daily=f.DailyConsumptionFactory(meter=meter, day=dt.date(2024, 6, 1)),
        invoice=invoice,
        invoice_line=f.InvoiceLineFactory(invoice=invoice),
        vat_line=models.VatSummaryLine.objects.create(
            invoice=invoice, vat_rate=12, base=1000, vat=120, total=1120
        ),
        schedule=schedule,
        advance=f.AdvanceFactory(schedule=schedule),
        payment=f.PaymentFactory(customer=customer),
        rainwater=f.RainwaterAssessmentFactory(supply_point=point),
    )


@pytest.fixture
def world(customer, customer_user):
    return build_world(customer)


@pytest.fixture
def other_world(other_customer, other_customer_user):
    return build_world(other_customer)
