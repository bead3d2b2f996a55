"""The database refuses a request whose status and times disagree, whoever writes the row."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import AddressChangeRequest, RequestStatus, SelfReadingRequest
from tests.factories import billing as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def reading(**fields) -> SelfReadingRequest:
    meter = f.MeterFactory()
    values = {
        "customer": meter.supply_point.customer,
        "meter": meter,
        "submission_token": uuid.uuid4(),
        "date": dt.date(2026, 3, 1),
        "value": Decimal("150.000"),
        "submitted_at": NOW,
    }
    return SelfReadingRequest.objects.create(**(values | fields))


def address_change(**fields) -> AddressChangeRequest:
    values = {
        "customer": f.CustomerFactory(),
        "submission_token": uuid.uuid4(),
        "street": "Zelinářská",
        "house_number": "515",
        "municipality": "Praha",
        "postcode": "16000",
        "effective_date": dt.date(2026, 4, 1),
    }
    return AddressChangeRequest.objects.create(**(values | fields))


DECIDED = {"decided_at": NOW}
BAD = {
    "unknown status": {"status": "lost"},
    "unknown language": {"language": "de"},
    "pending with a decision time": {"status": RequestStatus.PENDING, **DECIDED},
    "approved without a decision time": {"status": RequestStatus.APPROVED},
    "rejected without a decision time": {"status": RequestStatus.REJECTED},
    "sent without a sending time": {"status": RequestStatus.SENT, **DECIDED},
    "confirmed without a confirmation time": {
        "status": RequestStatus.CONFIRMED,
        "sent_at": NOW,
        **DECIDED,
    },
    "refused by ZIS but not rejected": {
        "status": RequestStatus.APPROVED,
        "zis_rejected_at": NOW,
        **DECIDED,
    },
}


@pytest.mark.parametrize("build", [reading, address_change], ids=["self-reading", "address"])
@pytest.mark.parametrize("fields", BAD.values(), ids=BAD.keys())
def test_a_request_whose_status_and_times_disagree_is_refused(build, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        build(**fields)


@pytest.mark.parametrize("build", [reading, address_change], ids=["self-reading", "address"])
def test_every_step_of_a_request_life_is_accepted(build):
    later = timezone.now()
    steps = [
        {"status": RequestStatus.PENDING},
        {"status": RequestStatus.APPROVED, **DECIDED},
        {"status": RequestStatus.REJECTED, "rejection_reason": "Nečitelné.", **DECIDED},
        {"status": RequestStatus.SENT, "sent_at": later, **DECIDED},
        {"status": RequestStatus.CONFIRMED, "sent_at": later, "confirmed_at": later, **DECIDED},
        {"status": RequestStatus.REJECTED, "sent_at": later, "zis_rejected_at": later, **DECIDED},
    ]
    for fields in steps:
        assert build(**fields).pk
