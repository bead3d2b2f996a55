"""for_user() keeps a user to the customers linked to them; everyone else sees nothing."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from portal import models
from tests.factories import billing as f
from tests.factories.accounts import CustomerLinkFactory


def _world(customer_record, other_customer_record):
    tariff = f.TariffFactory()
    f.TariffPriceFactory(tariff=tariff)
    mine = f.SupplyPointFactory(customer=customer_record, tariff=tariff)
    theirs = f.SupplyPointFactory(customer=other_customer_record, tariff=tariff)
    for point in (mine, theirs):
        meter = f.MeterFactory(supply_point=point, remote_read=True)
        f.ReadingFactory(meter=meter)
        f.DailyConsumptionFactory(meter=meter)
        invoice = f.InvoiceFactory(customer=point.customer, supply_point=point)
        f.InvoiceLineFactory(invoice=invoice)
        models.VatSummaryLine.objects.create(
            invoice=invoice, vat_rate=12, base=1000, vat=120, total=1120
        )
        f.AdvanceFactory(
            schedule=f.AdvanceScheduleFactory(customer=point.customer, supply_point=point)
        )
        f.PaymentFactory(customer=point.customer)
        f.RainwaterAssessmentFactory(supply_point=point)
        f.ActivationCodeFactory(customer=point.customer)
    return mine


SCOPED = [
    models.Customer,
    models.SupplyPoint,
    models.Meter,
    models.Reading,
    models.DailyConsumption,
    models.Tariff,
    models.TariffPrice,
    models.Invoice,
    models.InvoiceLine,
    models.VatSummaryLine,
    models.AdvanceSchedule,
    models.Advance,
    models.Payment,
    models.RainwaterAssessment,
    models.ActivationCode,
]


def test_user_sees_only_their_customers_rows(customer_record, other_customer_record, customer):
    mine = _world(customer_record, other_customer_record)
    for model in SCOPED:
        visible = model.objects.for_user(customer)
        assert visible.count() == 1, model.__name__
    assert models.SupplyPoint.objects.for_user(customer).get() == mine
    assert models.Invoice.objects.for_user(customer).get().customer == customer_record


def test_outsider_and_anonymous_see_nothing(customer_record, other_customer_record, outsider):
    _world(customer_record, other_customer_record)
    for model in SCOPED:
        assert not model.objects.for_user(outsider).exists(), model.__name__
        assert not model.objects.for_user(AnonymousUser()).exists(), model.__name__
        assert not model.objects.for_user(None).exists(), model.__name__


def test_user_with_two_customers_sees_both(customer_record, other_customer_record, customer):
    _world(customer_record, other_customer_record)
    CustomerLinkFactory(user=customer, customer=other_customer_record)
    assert models.Invoice.objects.for_user(customer).count() == 2
    assert models.Tariff.objects.for_user(customer).count() == 1  # shared, listed once
    assert models.CustomerLink.objects.for_user(customer).count() == 2


def test_customer_with_two_users(customer_record, customer):
    second = CustomerLinkFactory(customer=customer_record).user
    assert models.Customer.objects.for_user(second).get() == customer_record
    assert models.Customer.objects.for_user(customer).get() == customer_record
