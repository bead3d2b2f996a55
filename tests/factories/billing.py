"""Factories for the billing data mirrored from ZIS: customers, tariffs, supply points, meters,
readings, invoices, advances, payments, rainwater and activation codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.utils import timezone

from portal import models
from portal.accounts.models import hash_code

UPDATED = dt.datetime(2025, 1, 10, 7, 0, tzinfo=dt.UTC)


class ZisFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    zis_updated_at = UPDATED


class CustomerFactory(ZisFactory):
    class Meta:
        model = models.Customer

    zis_id = factory.Sequence(lambda n: f"C-{n:05d}")
    number = factory.Sequence(lambda n: f"{200000 + n}")
    kind = models.Customer.Kind.HOUSEHOLD
    name = factory.Sequence(lambda n: f"Zákazník {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.cz")
    mailing_street = "Nádražní"
    mailing_house_number = "12"
    mailing_municipality = "Testov"
    mailing_postcode = "53002"


class TariffFactory(ZisFactory):
    class Meta:
        model = models.Tariff

    zis_id = factory.Sequence(lambda n: f"T-{n:03d}")
    code = factory.Sequence(lambda n: f"STD{n}")
    name = "Vodné a stočné"


class TariffPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TariffPrice

    tariff = factory.SubFactory(TariffFactory)
    valid_from = dt.date(2024, 1, 1)
    water_price = Decimal("52.10")
    sewage_price = Decimal("45.30")
    vat_rate = Decimal("12")


class SupplyPointFactory(ZisFactory):
    class Meta:
        model = models.SupplyPoint

    zis_id = factory.Sequence(lambda n: f"SP-{n:05d}")
    number = factory.Sequence(lambda n: f"OM-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    street = "Nádražní"
    house_number = "12"
    municipality = "Testov"
    postcode = "53002"
    advance_amount = Decimal("800.00")
    advance_frequency = models.SupplyPoint.AdvanceFrequency.MONTHLY
    payment_method = models.SupplyPoint.PaymentMethod.TRANSFER


class MeterFactory(ZisFactory):
    class Meta:
        model = models.Meter

    zis_id = factory.Sequence(lambda n: f"M-{n:05d}")
    supply_point = factory.SubFactory(SupplyPointFactory)
    serial_number = factory.Sequence(lambda n: f"SE-{n:08d}")
    installed_on = dt.date(2020, 1, 1)


class ReadingFactory(ZisFactory):
    class Meta:
        model = models.Reading

    zis_id = factory.Sequence(lambda n: f"R-{n:06d}")
    meter = factory.SubFactory(MeterFactory)
    date = dt.date(2024, 12, 31)
    value = Decimal("123.456")
    kind = models.Reading.Kind.REGULAR


class DailyConsumptionFactory(ZisFactory):
    class Meta:
        model = models.DailyConsumption

    zis_id = factory.Sequence(lambda n: f"D-{n:07d}")
    meter = factory.SubFactory(MeterFactory, remote_read=True)
    day = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
    volume = Decimal("0.250")


class InvoiceFactory(ZisFactory):
    class Meta:
        model = models.Invoice

    zis_id = factory.Sequence(lambda n: f"F-{n:06d}")
    number = factory.Sequence(lambda n: f"{2025000000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    supply_point = factory.SubFactory(
        SupplyPointFactory, customer=factory.SelfAttribute("..customer")
    )
    variable_symbol = factory.SelfAttribute("number")
    issued_on = dt.date(2025, 1, 8)
    tax_point_on = dt.date(2024, 12, 31)
    due_on = dt.date(2025, 1, 22)
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 12, 31)
    total_base = Decimal("1000.00")
    total_vat = Decimal("120.00")
    total = Decimal("1120.00")
    advances_paid = Decimal("0.00")
    balance = Decimal("1120.00")


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = models.InvoiceLine.Kind.WATER
    description = "Vodné"
    quantity = Decimal("10.000")
    unit = "m3"
    unit_price = Decimal("100.00")
    base = Decimal("1000.00")
    vat_rate = Decimal("12")
    vat = Decimal("120.00")
    total = Decimal("1120.00")


class AdvanceScheduleFactory(ZisFactory):
    class Meta:
        model = models.AdvanceSchedule

    zis_id = factory.Sequence(lambda n: f"AS-{n:05d}")
    customer = factory.SubFactory(CustomerFactory)
    supply_point = factory.SubFactory(
        SupplyPointFactory, customer=factory.SelfAttribute("..customer")
    )
    valid_from = dt.date(2025, 1, 1)
    frequency = models.SupplyPoint.AdvanceFrequency.MONTHLY
    amount = Decimal("800.00")
    variable_symbol = factory.Sequence(lambda n: f"{1000000000 + n}")


class AdvanceFactory(ZisFactory):
    class Meta:
        model = models.Advance

    zis_id = factory.Sequence(lambda n: f"A-{n:06d}")
    schedule = factory.SubFactory(AdvanceScheduleFactory)
    due_on = dt.date(2025, 1, 15)
    amount = Decimal("800.00")
    vat_rate = Decimal("12")


class PaymentFactory(ZisFactory):
    class Meta:
        model = models.Payment

    zis_id = factory.Sequence(lambda n: f"P-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    received_on = dt.date(2025, 1, 14)
    amount = Decimal("800.00")
    method = models.Payment.Method.TRANSFER


class RainwaterAssessmentFactory(ZisFactory):
    class Meta:
        model = models.RainwaterAssessment

    zis_id = factory.Sequence(lambda n: f"RW-{n:05d}")
    supply_point = factory.SubFactory(SupplyPointFactory, is_household=False)
    year = 2024
    area_a = Decimal("1200.00")
    area_c = Decimal("500.00")
    area_f = Decimal("250.00")
    precipitation_normal = Decimal("0.686")
    volume = Decimal("886.655")
    price = Decimal("45.30")
    amount = Decimal("40165.47")


class ActivationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActivationCode

    class Params:
        code = "ABCD-1234"

    customer = factory.SubFactory(CustomerFactory)
    code_hash = factory.LazyAttribute(lambda o: hash_code(o.code))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


def household_with_history(customer: models.Customer, today: dt.date) -> SimpleNamespace:
    """Supply point OM-300100 of `customer` with meter SV-1001, read by hand: 100.000 m³ 465 days
    before `today` and 136.500 m³ 100 days before (0.1 m³ a day, so today's plausible band for a
    self-reading, factors 0.3–3, is 139.500–166.500 m³)."""
    point = SupplyPointFactory(customer=customer, number="OM-300100")
    meter = MeterFactory(
        supply_point=point, serial_number="SV-1001", installed_on=dt.date(2020, 1, 1)
    )
    ReadingFactory(meter=meter, date=today - dt.timedelta(days=465), value=Decimal("100.000"))
    last = ReadingFactory(
        meter=meter, date=today - dt.timedelta(days=100), value=Decimal("136.500")
    )
    return SimpleNamespace(customer=customer, supply_point=point, meter=meter, last=last)


def paid_calendar_2024(invoice: models.Invoice, supply_point: models.SupplyPoint) -> None:
    """The 2024 payment calendar behind an invoice that deducts 9 600 Kč: twelve advances of
    800 Kč at 12 %, all paid; January's early, on 28. 12. 2023, while water was taxed at 10 %."""
    schedule = models.AdvanceSchedule.objects.create(
        zis_id="AS-2024",
        zis_updated_at=invoice.zis_updated_at,
        customer=invoice.customer,
        supply_point=supply_point,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2024, 12, 31),
        frequency="monthly",
        amount=Decimal(800),
        variable_symbol="1000010001",
    )
    for month in range(1, 13):
        advance = models.Advance.objects.create(
            zis_id=f"A-2024-{month:02d}",
            zis_updated_at=invoice.zis_updated_at,
            schedule=schedule,
            due_on=dt.date(2024, month, 15),
            amount=Decimal(800),
            vat_rate=Decimal(12),
        )
        models.Payment.objects.create(
            zis_id=f"P-2024-{month:02d}",
            zis_updated_at=invoice.zis_updated_at,
            customer=invoice.customer,
            received_on=dt.date(2023, 12, 28) if month == 1 else dt.date(2024, month, 14),
            amount=Decimal(800),
            method="transfer",
            variable_symbol="1000010001",
            advance=advance,
        )
