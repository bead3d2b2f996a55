"""A customer's self-reading, its rules and its bad inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.models import PortalSettings, RequestStatus, SelfReadingRequest
from portal.requests.services.decisions import reject_request
from portal.requests.services.errors import RequestRefused, UnusualValue
from portal.requests.services.submission import submit_self_reading
from tests.factories import billing as f

from .conftest import PLAUSIBLE, token

pytestmark = pytest.mark.django_db


def submit(user, meter, **kwargs):
    kwargs.setdefault("date", None)
    kwargs.setdefault("token", token())
    return submit_self_reading(user, meter, **kwargs)


def refused(user, meter, **kwargs) -> RequestRefused:
    with pytest.raises(RequestRefused) as caught:
        submit(user, meter, **kwargs)
    assert SelfReadingRequest.objects.count() == 0  # nothing saved
    return caught.value


def test_a_plausible_reading_waits_for_an_operator(customer, household, today):
    obj = submit(customer, household.meter, value=PLAUSIBLE, language="cs")
    assert obj.status == RequestStatus.PENDING
    assert (obj.date, obj.value, obj.customer, obj.submitted_by) == (
        today,
        PLAUSIBLE,
        household.customer,
        customer,
    )
    assert (obj.previous_value, obj.previous_date) == (Decimal("136.500"), household.last.date)
    assert (obj.expected_min, obj.expected_max) == (Decimal("139.500"), Decimal("166.500"))
    assert not obj.flagged
    assert obj.flag_reason == ""


def test_a_future_date_is_refused(customer, household, today):
    error = refused(customer, household.meter, value=PLAUSIBLE, date=today + dt.timedelta(days=1))
    assert (error.field, error.message) == ("date", "Datum odečtu nemůže být v budoucnosti.")


def test_a_date_before_the_last_approved_reading_is_refused(customer, household):
    day = household.last.date - dt.timedelta(days=1)
    error = refused(customer, household.meter, value=PLAUSIBLE, date=day)
    assert error.field == "date"
    assert "před posledním schváleným odečtem" in error.message


def test_a_value_lower_than_the_last_approved_reading_is_refused(customer, household):
    error = refused(customer, household.meter, value=Decimal("136.499"))
    assert error.field == "value"
    assert "nižší než poslední schválený odečet" in error.message
    assert "136,500" in error.message


def test_a_lower_value_on_a_new_meter_after_a_replacement_is_fine(customer, household, today):
    old = household.meter
    old.removed_on = today - dt.timedelta(days=50)
    old.save()
    new = f.MeterFactory(
        supply_point=household.supply_point, serial_number="SV-NEW", installed_on=old.removed_on
    )
    f.ReadingFactory(
        meter=new,
        date=old.removed_on,
        value=Decimal("0.000"),
        kind="replacement",
        replacement="initial",
    )
    obj = submit(customer, new, value=Decimal("5.000"))
    assert obj.previous_value == Decimal("0.000")
    assert not obj.flagged


def test_an_unusual_value_needs_confirmation_and_is_flagged(customer, household):
    with pytest.raises(UnusualValue) as caught:
        submit(customer, household.meter, value=Decimal("300.000"))
    assert SelfReadingRequest.objects.count() == 0
    assert "mnohem vyšší" in caught.value.message
    obj = submit(customer, household.meter, value=Decimal("300.000"), confirm_unusual=True)
    assert obj.flagged and obj.customer_confirmed_unusual
    assert "mnohem vyšší" in obj.flag_reason
    assert "139,500" in obj.flag_reason and "166,500" in obj.flag_reason


def test_a_too_low_consumption_is_unusual_too(customer, household):
    with pytest.raises(UnusualValue) as caught:
        submit(customer, household.meter, value=Decimal("137.000"))
    assert "mnohem nižší" in caught.value.message


def test_without_history_the_legal_benchmark_is_used(customer, household, today):
    point = f.SupplyPointFactory(customer=household.customer)
    meter = f.MeterFactory(supply_point=point, installed_on=today - dt.timedelta(days=400))
    f.ReadingFactory(meter=meter, date=today - dt.timedelta(days=365), value=Decimal("10.000"))
    # 35 m³ a year for a household: 10 + 35 is right in the band, 10 + 200 is not
    with pytest.raises(UnusualValue) as caught:
        submit(customer, meter, value=Decimal("210.000"))
    assert "směrná spotřeba domácnosti" in caught.value.message
    assert not submit(customer, meter, value=Decimal("45.000")).flagged


def test_the_limit_per_billing_period(customer, household, operator):
    first = submit(customer, household.meter, value=PLAUSIBLE)
    error = refused_after(customer, household.meter, value=PLAUSIBLE + 1)
    assert "už poslali 1 samoodečet, víc jich nelze" in error.message
    reject_request(first, operator, "Špatně opsaná hodnota.")  # a rejected one does not count
    second = submit(customer, household.meter, value=PLAUSIBLE + 1)
    assert second.status == RequestStatus.PENDING


def test_the_limit_is_a_setting_and_zero_means_none(customer, household, home):
    from wagtail.models import Site

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.self_readings_per_period = 0
    settings.save()
    for extra in range(3):
        submit(customer, household.meter, value=PLAUSIBLE + extra)
    assert SelfReadingRequest.objects.count() == 3


def refused_after(user, meter, **kwargs) -> RequestRefused:
    before = SelfReadingRequest.objects.count()
    with pytest.raises(RequestRefused) as caught:
        submit(user, meter, **kwargs)
    assert SelfReadingRequest.objects.count() == before
    return caught.value


def test_the_same_token_twice_makes_one_request(customer, household):
    key = token()
    first = submit(customer, household.meter, value=PLAUSIBLE, token=key)
    again = submit(customer, household.meter, value=PLAUSIBLE, token=key)
    assert again.pk == first.pk
    assert SelfReadingRequest.objects.count() == 1


def test_another_customers_meter_is_not_found(other_customer, household):
    with pytest.raises(SelfReadingRequest.meter.field.related_model.DoesNotExist):
        submit(other_customer, household.meter, value=PLAUSIBLE)
    assert SelfReadingRequest.objects.count() == 0


def test_a_remote_read_meter_takes_no_self_readings(customer, household):
    household.meter.remote_read = True
    household.meter.save()
    error = refused(customer, household.meter, value=PLAUSIBLE)
    assert "odečítán dálkově" in error.message


def test_more_than_three_decimals_are_refused(customer, household):
    error = refused(customer, household.meter, value=Decimal("146.5001"))
    assert error.field == "value"
