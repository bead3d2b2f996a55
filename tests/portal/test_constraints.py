"""The database itself refuses rows that break the domain's invariants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import billing as f
from tests.factories.accounts import CustomerLinkFactory

BAD_ROWS: dict[str, Callable[[], object]] = {
    "negative advance amount": lambda: f.AdvanceFactory(amount=Decimal("-1.00")),
    "negative schedule amount": lambda: f.AdvanceScheduleFactory(amount=Decimal("-800")),
    "negative supply point advance": lambda: f.SupplyPointFactory(advance_amount=Decimal("-1")),
    "negative reading": lambda: f.ReadingFactory(value=Decimal("-0.001")),
    "negative daily volume": lambda: f.DailyConsumptionFactory(volume=Decimal("-1")),
    "negative line quantity": lambda: f.InvoiceLineFactory(quantity=Decimal("-1")),
    "negative deducted advances": lambda: f.InvoiceFactory(advances_paid=Decimal("-1")),
    "negative rainwater area": lambda: f.RainwaterAssessmentFactory(area_b=Decimal("-5")),
    "zero precipitation normal": lambda: f.RainwaterAssessmentFactory(precipitation_normal=0),
    "negative price": lambda: f.TariffPriceFactory(water_price=Decimal("-1")),
    "meter removed before installed": lambda: f.MeterFactory(
        installed_on=dt.date(2024, 5, 1), removed_on=dt.date(2024, 4, 30)
    ),
    "invoice period ends before it starts": lambda: f.InvoiceFactory(
        period_start=dt.date(2024, 12, 31), period_end=dt.date(2024, 1, 1)
    ),
    "invoice due before issued": lambda: f.InvoiceFactory(due_on=dt.date(2025, 1, 1)),
    "tariff price period reversed": lambda: f.TariffPriceFactory(valid_to=dt.date(2023, 1, 1)),
    "schedule period reversed": lambda: f.AdvanceScheduleFactory(valid_to=dt.date(2024, 1, 1)),
    "unknown VAT rate": lambda: f.InvoiceLineFactory(vat_rate=Decimal("20")),
    "replacement without role": lambda: f.ReadingFactory(kind="replacement", replacement=""),
    "role without replacement": lambda: f.ReadingFactory(kind="regular", replacement="final"),
    "unknown reading kind": lambda: f.ReadingFactory(kind="guess"),
    "SIPO without number": lambda: f.SupplyPointFactory(payment_method="sipo", sipo_number=""),
    "number without SIPO": lambda: f.SupplyPointFactory(sipo_number="1234567890"),
    "payment matched twice": lambda: f.PaymentFactory(
        invoice=f.InvoiceFactory(), advance=f.AdvanceFactory()
    ),
    "unknown payment method": lambda: f.PaymentFactory(method="cheque"),
}


@pytest.mark.parametrize("case", BAD_ROWS.keys())
def test_database_refuses(db, case: str):
    with pytest.raises(IntegrityError), transaction.atomic():
        BAD_ROWS[case]()


def test_zis_id_is_unique(db):
    f.CustomerFactory(zis_id="C-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CustomerFactory(zis_id="C-1")


def test_reading_unique_per_meter_date_and_kind(db):
    reading = f.ReadingFactory()
    f.ReadingFactory(meter=reading.meter, date=reading.date, kind="estimated")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ReadingFactory(meter=reading.meter, date=reading.date, kind=reading.kind)


def test_daily_consumption_unique_per_meter_and_day(db):
    day = f.DailyConsumptionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.DailyConsumptionFactory(meter=day.meter, day=day.day)


def test_customer_link_unique(db):
    link = CustomerLinkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerLinkFactory(user=link.user, customer=link.customer)


def test_good_rows_are_accepted(db):
    f.PaymentFactory(amount=Decimal("-1432.03"), invoice=f.InvoiceFactory())  # a refund
    f.SupplyPointFactory(payment_method="sipo", sipo_number="1234567890")
    f.ReadingFactory(kind="replacement", replacement="initial", value=0)
    f.MeterFactory(installed_on=dt.date(2024, 5, 1), removed_on=dt.date(2024, 5, 1))
