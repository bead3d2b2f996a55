"""Customers' requests as the portal stores them, and the photos customers send.

The requests of the operators' queues (`self_reading`, `flagged_reading`, `address_change`) are
pending unless given a `status`: a reading of 1 March 2026 sent on 2 March 2026 at 10:30 Prague
time, against a previous reading of 136.500 m³ on 31 December 2025. Approved requests (`approved_self_reading`,
`approved_address_change`) are what the exporter sends to ZIS: submitted on 28 February 2025,
approved on 1 March 2025.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portal.models import AddressChangeRequest, RequestStatus, SelfReadingRequest

SUBMITTED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
APPROVED_SUBMITTED = dt.datetime(2025, 2, 28, 9, 15, 42, 123456, tzinfo=dt.UTC)
APPROVED_DECIDED = dt.datetime(2025, 3, 1, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


# --- photos ---------------------------------------------------------------------------------------


def jpeg_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    """A plain JPEG photo without metadata."""
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying EXIF with a camera make and GPS coordinates, as phones take them."""
    image = Image.new("RGB", size, (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 5.0, 0.0)
    gps[3] = "E"
    gps[4] = (14.0, 25.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (20, 20), transparent: bool = False) -> bytes:
    """A PNG image (fully transparent when asked: a screenshot rather than a photo)."""
    out = io.BytesIO()
    if transparent:
        Image.new("RGBA", size, (0, 0, 0, 0)).save(out, format="PNG")
    else:
        Image.new("RGB", size, (0, 200, 0)).save(out, format="PNG")
    return out.getvalue()


def photo_upload(
    data: bytes | None = None, name: str = "vodomer.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    """The photo field of the self-reading form (a phone's JPEG with EXIF unless `data`)."""
    return SimpleUploadedFile(name, data if data is not None else jpeg_with_exif(), content_type)


# --- requests in the operators' queues -----------------------------------------------------------


def _lifecycle(values: dict[str, Any]) -> dict[str, Any]:
    """A request that is no longer pending was decided an hour after it was sent (and, when it
    went to ZIS, sent and confirmed at that moment too), as the database requires."""
    status = values.get("status", RequestStatus.PENDING)
    if status != RequestStatus.PENDING:
        decided = values.setdefault("decided_at", values["submitted_at"] + dt.timedelta(hours=1))
        if status in (RequestStatus.SENT, RequestStatus.CONFIRMED):
            values.setdefault("sent_at", decided)
        if status == RequestStatus.CONFIRMED:
            values.setdefault("confirmed_at", decided)
    return values


def self_reading(
    meter: Any,
    value: str = "150.000",
    *,
    days_ago: int = 0,
    photo: bool = False,
    **fields: Any,
) -> SelfReadingRequest:
    """A self-reading as `submit_self_reading` stores it (expected range 139.200–163.800 m³);
    pending unless `status` says otherwise."""
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
    obj = SelfReadingRequest(**_lifecycle(values))
    if photo:
        obj.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg_bytes()), save=False)
    obj.save()
    return obj


def flagged_reading(meter: Any, value: str = "412.000", **fields: Any) -> SelfReadingRequest:
    """A self-reading far above the expected range that the customer confirmed."""
    return self_reading(
        meter,
        value,
        flagged=True,
        customer_confirmed_unusual=True,
        flag_reason="Spotřeba je mnohem vyšší, než je u odběrného místa obvyklé.",
        **fields,
    )


def address_change(customer: Any, **fields: Any) -> AddressChangeRequest:
    """A new mailing address (Zelinářská 515/2, Praha-Dejvice) from next week."""
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
    return AddressChangeRequest.objects.create(**_lifecycle(values))


# --- approved requests, waiting for the exporter --------------------------------------------------


def _approved(fields: dict[str, Any], operator: Any) -> dict[str, Any]:
    values = {
        "status": RequestStatus.APPROVED,
        "submitted_at": APPROVED_SUBMITTED,
        "decided_at": APPROVED_DECIDED,
        "decided_by": operator,
        "submission_token": uuid.uuid4(),
        **fields,
    }
    if values["status"] == RequestStatus.PENDING:
        values.update(decided_at=None, decided_by=None)
    return values


def approved_self_reading(meter: Any, operator: Any = None, **fields: Any) -> SelfReadingRequest:
    """124.5 m³ read on 28 February 2025, approved by `operator` (pass `status` to change it)."""
    values = {
        "customer": meter.supply_point.customer,
        "meter": meter,
        "date": dt.date(2025, 2, 28),
        "value": Decimal("124.5"),
        **fields,
    }
    return SelfReadingRequest.objects.create(**_approved(values, operator))


def approved_address_change(
    customer: Any, operator: Any = None, **fields: Any
) -> AddressChangeRequest:
    """A move to Zelinářská 515/2a, Praha-Dejvice (RÚIAN 21727861) from 1 April 2025, approved."""
    values = {
        "customer": customer,
        "street": "Zelinářská",
        "house_number": "515",
        "orientation_number": "2a",
        "part_of_municipality": "Dejvice",
        "municipality": "Praha",
        "postcode": "16000",
        "ruian_code": 21727861,
        "effective_date": dt.date(2025, 4, 1),
        "note": "Stěhujeme se.",
        **fields,
    }
    return AddressChangeRequest.objects.create(**_approved(values, operator))
