"""Requests as the portal stores them, for the queue tests (and the browser test of the queue)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from portal.requests.models import AddressChangeRequest, SelfReadingRequest
from tests.factories.accounts import login_with_mfa

SUBMITTED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def self_reading(meter, value: str, *, days_ago: int = 0, photo: bool = False, **fields):
    """A self-reading as `submit_self_reading` stores it (previous reading 136.500 m³)."""
    submitted = fields.pop("submitted_at", SUBMITTED - dt.timedelta(days=days_ago))
    values = {
        "customer": meter.supply_point.customer,
        "submission_token": uuid.uuid4(),
        "meter": meter,
        "date": dt.date(2026, 3, 1),
        "value": Decimal(value),
        "submitted_at": submitted,
        "previous_value": Decimal("136.500"),
        "previous_date": dt.date(2025, 12, 31),
        "expected_min": Decimal("139.200"),
        "expected_max": Decimal("163.800"),
        **fields,
    }
    obj = SelfReadingRequest(**values)
    if photo:
        obj.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg_bytes()), save=False)
    obj.save()
    return obj


def flagged_reading(meter, value: str = "412.000", **fields):
    return self_reading(
        meter,
        value,
        flagged=True,
        customer_confirmed_unusual=True,
        flag_reason="Spotřeba je mnohem vyšší, než je u odběrného místa obvyklé.",
        **fields,
    )


def address_change(customer, **fields):
    values = {
        "customer": customer,
        "submission_token": uuid.uuid4(),
        "street": "Zelinářská",
        "house_number": "515",
        "orientation_number": "2",
        "municipality": "Praha",
        "part_of_municipality": "Dejvice",
        "postcode": "16000",
        "effective_date": timezone.localdate() + dt.timedelta(days=7),
        "submitted_at": SUBMITTED,
        **fields,
    }
    return AddressChangeRequest.objects.create(**values)


def mfa_client(user) -> Client:
    client = Client()
    login_with_mfa(client, user)
    return client
