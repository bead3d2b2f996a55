"""for_user() keeps a user to the customers linked to them; everyone else sees nothing."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from portal import models
from tests.factories import billing as f


def _world(customer, other_customer):
    tariff = f.TariffFactory()
    f.TariffPriceFactory(tariff=tariff)
    mine = f.SupplyPointFactory(customer=customer, tariff=tariff)
    theirs = f.SupplyPointFactory(customer=other_customer, tariff=tariff)
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


def test_user_sees_only_their_customers_rows(customer, other_customer, customer_user):
    mine = _world(customer, other_customer)
    for model in SCOPED:
        visible = model.objects.for_user(customer_user)
        assert visible.count() == 1, model.__name__
    assert models.SupplyPoint.objects.for_user(customer_user).get() == mine
    assert models.Invoice.objects.for_user(customer_user).get().customer == customer


def test_outsider_and_anonymous_see_nothing(customer, other_customer, outsider):
    _world(customer, other_customer)
    for model in SCOPED:
        assert not model.objects.for_user(outsider).exists(), model.__name__
        assert not model.objects.for_user(AnonymousUser()).exists(), model.__name__
        assert not model.objects.for_user(None).exists(), model.__name__


def test_user_with_two_customers_sees_both(customer, other_customer, customer_user):
    _world(customer, other_customer)
    f.CustomerLinkFactory(user=customer_user, customer=other_customer)
    assert models.Invoice.objects.for_user(customer_user).count() == 2
    assert models.Tariff.objects.for_user(customer_user).count() == 1  # shared, listed once
    assert models.CustomerLink.objects.for_user(customer_user).count() == 2


def test_customer_with_two_users(customer, customer_user):
    second = f.CustomerLinkFactory(customer=customer).user
    assert models.Customer.objects.for_user(second).get() == customer
    assert models.Customer.objects.for_user(customer_user).get() == customer
