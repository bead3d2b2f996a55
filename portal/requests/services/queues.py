"""What the operators' queues show besides the request itself.

The inspect view of a self-reading shows the meter's recent readings, the implied daily
consumption next to the supply point's usual one; the admin home shows the pending counts.
Deciding is `portal.requests.services.submission` (approve, reject, bulk approve).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from portal.billing.models import Meter, Reading
from portal.billing.services.supply_points import reading_kind_label
from portal.lib.formatting import format_date, format_money, format_volume
from portal.lib.money import round_volume
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.services.plausibility import APPROVED_STATUSES, average_daily_consumption

RECENT_READINGS = 10


def describe_request(obj: SelfReadingRequest | AddressChangeRequest | AdvanceChangeRequest) -> str:
    """What was asked, for operators: "meter SV-1001, 1. 3. 2026: 150,000 m³", the address or
    "supply point OM-300100: new advance 350,00 Kč"."""
    if isinstance(obj, SelfReadingRequest):
        return _("meter %(serial)s, %(date)s: %(value)s") % {
            "serial": obj.meter_serial or obj.meter,
            "date": format_date(obj.date),
            "value": format_volume(obj.value),
        }
    if isinstance(obj, AdvanceChangeRequest):
        return _("supply point %(number)s: new advance %(amount)s") % {
            "number": obj.supply_point_number,
            "amount": format_money(obj.requested_amount),
        }
    return _("mailing address %(address)s from %(date)s") % {
        "address": obj.address,
        "date": format_date(obj.effective_date),
    }


@dataclass(frozen=True)
class ReadingLine:
    """One approved reading of a meter: from ZIS, or a self-reading approved in the portal."""

    date: dt.date
    value: Decimal
    kind_label: str


def recent_meter_readings(meter: Meter, limit: int = RECENT_READINGS) -> list[ReadingLine]:
    """The newest `limit` approved readings of `meter`, newest first (two queries).

    Self-readings approved in the portal count until ZIS sends them back as readings (then the
    ZIS row, on the same date, stands for both)."""
    lines = [
        ReadingLine(
            reading.date, reading.value, reading_kind_label(reading.kind, reading.replacement)
        )
        for reading in Reading.objects.filter(meter=meter).order_by("-date", "-value")[:limit]
    ]
    known = {(line.date, line.value) for line in lines}
    approved = SelfReadingRequest.objects.filter(meter=meter, status__in=APPROVED_STATUSES)
    label = _("self-reading approved in the portal")
    for request in approved.order_by("-date", "-value")[:limit]:
        if (request.date, request.value) not in known:
            lines.append(ReadingLine(request.date, request.value, label))
    lines.sort(key=lambda line: (line.date, line.value), reverse=True)
    return lines[:limit]


def implied_daily_consumption(request: SelfReadingRequest) -> Decimal | None:
    """m³ per day since the previous reading the customer's value implies (None without one)."""
    if request.previous_value is None or request.previous_date is None:
        return None
    days = (request.date - request.previous_date).days
    if days <= 0:
        return None
    return round_volume((request.value - request.previous_value) / days)


def usual_daily_consumption(meter: Meter) -> Decimal | None:
    """The supply point's average m³ per day from its reading history (None if too short)."""
    daily = average_daily_consumption(meter)
    return None if daily is None else round_volume(daily)


@dataclass(frozen=True)
class PendingCount:
    pending: int
    flagged: int


def pending_count(model: type[SelfReadingRequest | AddressChangeRequest]) -> PendingCount:
    """How many requests of `model` wait for an operator, and how many are flagged (one query)."""
    row = model.objects.filter(status=RequestStatus.PENDING).aggregate(
        pending=Count("pk"), flagged=Count("pk", filter=Q(flagged=True))
    )
    return PendingCount(row["pending"], row["flagged"])
