"""Requests made directly, for tests elsewhere (e.g. the route scoping test)."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from portal.models import SelfReadingRequest


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def self_reading_with_photo(meter: Any, value: Decimal = Decimal("200.000")) -> SelfReadingRequest:
    """A pending self-reading of `meter` with a photo on the private storage."""
    obj = SelfReadingRequest(
        customer=meter.supply_point.customer,
        submission_token=uuid.uuid4(),
        meter=meter,
        date=timezone.localdate(),
        value=value,
    )
    obj.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(small_jpeg()), save=False)
    obj.save()
    return obj
