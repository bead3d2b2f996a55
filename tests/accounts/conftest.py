"""A customer's billing data to look at: one of each kind of record, for the shared personas."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from portal.models import Customer, VatSummaryLine
from tests.factories import billing as f


def build_world(customer: Customer) -> SimpleNamespace:
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
        vat_line=VatSummaryLine.objects.create(
            invoice=invoice, vat_rate=12, base=1000, vat=120, total=1120
        ),
        schedule=schedule,
        advance=f.AdvanceFactory(schedule=schedule),
        payment=f.PaymentFactory(customer=customer),
        rainwater=f.RainwaterAssessmentFactory(supply_point=point),
    )


@pytest.fixture
def world(customer_record, customer) -> SimpleNamespace:
    """The `customer` persona's customer with one record of each kind."""
    return build_world(customer_record)


@pytest.fixture
def other_world(other_customer_record, other_customer) -> SimpleNamespace:
    """The `other_customer` persona's customer with one record of each kind."""
    return build_world(other_customer_record)
