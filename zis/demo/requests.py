"""Requests waiting in the demo's operator queues, so `make run` shows the approval work at once.

Made once through the same services a customer's forms use (plausibility, flags, tokens): a
plausible self-reading, an unusual one the customer confirmed (flagged for the operator) and a
mailing-address change. A second run finds the demo customers' requests and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal.models import AddressChangeRequest, CustomerLink, Meter, SelfReadingRequest
from portal.requests.services.errors import RequestRefused
from portal.requests.services.plausibility import assess
from portal.requests.services.submission import (
    get_portal_settings,
    submit_address_change,
    submit_self_reading,
)

from .load import DEMO_EMAILS


def ensure_demo_requests() -> int:
    """Submit the demo customers' requests unless they have any; return how many were made."""
    users = list(get_user_model().objects.filter(email__in=DEMO_EMAILS).order_by("email"))
    customers = [link.customer for link in CustomerLink.objects.filter(user__in=users)]
    if not customers:
        return 0
    if (
        SelfReadingRequest.objects.filter(customer__in=customers).exists()
        or AddressChangeRequest.objects.filter(customer__in=customers).exists()
    ):
        return 0
    made = 0
    today = timezone.localdate()
    with transaction.atomic():
        meters = [(user, meter) for user in users for meter in _readable_meters(user)]
        for (user, meter), unusual in zip(meters, (False, True), strict=False):
            made += _self_reading(user, meter, today, unusual=unusual)
        household = users[-1]  # odberatel@ sorts after firma@
        customer = CustomerLink.objects.filter(user=household).first()
        if customer is not None:
            submit_address_change(
                household,
                customer.customer,
                street="Lipová",
                house_number="1024",
                orientation_number="7",
                municipality="Pramenov",
                part_of_municipality="Horní Pramenov",
                postcode="28401",
                effective_date=today + dt.timedelta(days=14),
                note="Od příštího měsíce bydlíme u dcery.",
                token=uuid.uuid4(),
            )
            made += 1
    return made


def _readable_meters(user) -> list[Meter]:
    """The user's meters a customer reads themselves (installed, not remote-read)."""
    return list(
        Meter.objects.for_user(user)
        .filter(removed_on__isnull=True, remote_read=False)
        .order_by("supply_point__number", "installed_on")[:2]
    )


def _self_reading(user, meter: Meter, today: dt.date, *, unusual: bool) -> bool:
    expected = assess(meter, today, get_portal_settings())
    if expected.expected_min is None or expected.expected_max is None:
        return False
    if unusual:  # three times the upper end of the expected consumption: flagged
        value = expected.expected_max + 3 * (expected.expected_max - expected.previous.value)
    else:
        value = (expected.expected_min + expected.expected_max) / 2
    try:
        submit_self_reading(
            user,
            meter,
            date=today,
            value=value.quantize(Decimal("0.001")),
            confirm_unusual=unusual,
            token=uuid.uuid4(),
        )
    except RequestRefused:
        return False
    return True
