"""Requests sent to ZIS keep going after ZIS removed their customer: the acknowledgement still
confirms or rejects them and the customer's e-mail names what the request was about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal.models import Customer, Meter, Notification, RequestStatus, SupplyPoint
from portal.requests.services.withdrawal import close_for_removed
from tests.factories.accounts import UserFactory
from tests.factories.requests import approved_address_change, approved_self_reading
from tests.factories.zis import ack_document, drop_ack
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved

pytestmark = pytest.mark.django_db


def test_an_acknowledgement_after_the_customer_was_removed(
    settings: Any, outbox: Path, meter: Any, operator: Any
):
    customer = meter.supply_point.customer
    jana = UserFactory(email="jana.portal@example.cz")
    reading = approved_self_reading(meter, operator, submitted_by=jana)
    change = approved_address_change(customer, operator, submitted_by=jana)
    [batch] = export_approved()
    waiting = approved_self_reading(meter, operator)  # approved after the batch: not sent yet

    closed = close_for_removed(customer_pks=[customer.pk], meter_pks=[meter.pk], batch_id="b-9")
    Meter.objects.filter(pk=meter.pk).delete()
    SupplyPoint.objects.filter(customer=customer).delete()
    Customer.objects.filter(pk=customer.pk).delete()
    drop_ack(
        Path(settings.ZIS_ACKS),
        ack_document(batch.batch_id, [f"sr-{reading.pk}"], [(f"ac-{change.pk}", "Neznámý.")]),
    )

    [result] = pickup_acks()

    assert result.error == ""
    for obj in (reading, change, waiting):
        obj.refresh_from_db()
    assert (reading.status, change.status) == (RequestStatus.CONFIRMED, RequestStatus.REJECTED)
    assert waiting.status == RequestStatus.WITHDRAWN and waiting.withdrawn_by_batch == "b-9"
    assert {item["outcome"] for item in closed} == {"kept (sent)", "withdrawn"}
    confirmed = Notification.objects.get(template="request_confirmed")
    assert confirmed.recipient == "jana.portal@example.cz"
    assert confirmed.context["customer_number"] == "100001"
    assert confirmed.context["meter_serial"] == "SE-12345678"
    rejected = Notification.objects.get(template="request_rejected")
    assert rejected.context["reason"] == "Neznámý."
