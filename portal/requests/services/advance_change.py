"""Advance changes: the customer asks for a new advance amount next to the advisor's suggestion.

Inside the utility's bounds (Settings → Portal settings: at most `advance_change_below_percent`
below the suggestion, at least `advance_change_min_amount`, at most
`advance_changes_per_period` changes per supply point and billing period) the request is
approved at once, without an operator; outside them it waits in the operators' queue like any
other request. Either way an approved change travels to ZIS in the next outbound batch, and the
customer sees "waiting for the new payment calendar" until ZIS sends a calendar with the amount.

Also here, because the advisor (a lower layer) cannot read requests: `recompute_projections`,
which hands the advisor the portal's settings and the approved self-readings ZIS has not sent
back yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.advisor import services as advisor
from portal.advisor.models import AdvanceProjection
from portal.billing.models.invoices import AdvanceSchedule
from portal.billing.models.supply_points import SupplyPoint
from portal.lib.formatting import format_money
from portal.lib.money import round_money
from portal.requests.models import AdvanceChangeRequest, RequestStatus, SelfReadingRequest
from portal.requests.rules import PortalSettings

from .decisions import ACTION_APPROVE, queue_decision_email
from .errors import RequestRefused
from .plausibility import APPROVED_STATUSES
from .submission import _existing, _token, get_portal_settings

MAX_ADVANCE = Decimal("999999.99")
DONE_STATUSES = (RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.CONFIRMED)


# --- The advisor's inputs from this layer -----------------------------------------------------


def approved_self_readings(meter_ids: list[int]) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Self-readings approved in the portal, meter → [(date, value)]; once ZIS sends one back
    as a reading the two agree, and the advisor keeps one value per day."""
    found: dict[int, list[tuple[dt.date, Decimal]]] = {}
    rows = SelfReadingRequest.objects.filter(
        meter_id__in=meter_ids, status__in=APPROVED_STATUSES
    ).values_list("meter_id", "date", "value")
    for meter, date, value in rows:
        found.setdefault(meter, []).append((date, value))
    return found


def recompute_projections(
    supply_point_ids: Any = None, today: dt.date | None = None, part: tuple[int, int] = (0, 1)
) -> int:
    """Recompute the advisor's projections (all supply points when None; of those, the k-th of
    n shares when `part` is (k, n))."""
    return advisor.recompute(
        supply_point_ids,
        extra_readings=approved_self_readings,
        today=today,
        part=part,
    )


def projection_of(supply_point: SupplyPoint) -> AdvanceProjection:
    """The stored projection of the supply point, computed now if there is none yet."""
    found = AdvanceProjection.objects.filter(supply_point=supply_point).first()
    if found is None:
        recompute_projections([supply_point.pk])
        found = AdvanceProjection.objects.get(supply_point=supply_point)
    return found


# --- Bounds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """What is approved at once: from `lowest` upwards, within `per_period` changes."""

    lowest: Decimal
    per_period: int
    used: int

    @property
    def limit_reached(self) -> bool:
        return bool(self.per_period) and self.used >= self.per_period

    def allows(self, amount: Decimal) -> bool:
        return amount >= self.lowest and not self.limit_reached


def bounds_for(
    settings: PortalSettings, projection: AdvanceProjection, supply_point: SupplyPoint
) -> Bounds:
    below = Decimal(settings.advance_change_below_percent or 0)
    lowest = round_money(projection.suggested_advance * (100 - below) / 100)
    lowest = max(lowest, Decimal(settings.advance_change_min_amount or 0))
    used = AdvanceChangeRequest.objects.filter(
        supply_point=supply_point,
        period_start=projection.period_start,
        status__in=DONE_STATUSES,
    ).count()
    return Bounds(lowest, settings.advance_changes_per_period, used)


def parse_amount(raw: Any) -> Decimal:
    try:
        text = "".join(str(raw).split()).replace("\u202f", "").replace(",", ".")
        text = text.removesuffix("Kč").removesuffix("CZK")
        amount = raw if isinstance(raw, Decimal) else Decimal(text)
    except (InvalidOperation, ValueError):
        raise RequestRefused(_("Enter the advance as an amount in CZK."), "amount") from None
    if not amount.is_finite() or amount <= 0:
        raise RequestRefused(_("The advance must be greater than zero."), "amount")
    if amount > MAX_ADVANCE:
        raise RequestRefused(_("The advance is too large."), "amount")
    if -amount.as_tuple().exponent > 2:  # type: ignore[operator]
        raise RequestRefused(_("Enter the advance with at most two decimal places."), "amount")
    return round_money(amount)


# --- Submitting ---------------------------------------------------------------------------------


def submit_advance_change(
    user: Any,
    supply_point: SupplyPoint,
    *,
    amount: Any,
    token: Any,
    language: str = "cs",
) -> AdvanceChangeRequest:
    """A new advance for one of `user`'s supply points: approved at once inside the bounds,
    pending for an operator outside them; `RequestRefused` (nothing saved) when it cannot be."""
    token = _token(token)
    supply_point = (
        SupplyPoint.objects.for_user(user).select_related("customer").get(pk=supply_point.pk)
    )
    existing = _existing(AdvanceChangeRequest, token, supply_point.customer)
    if existing is not None:
        return existing
    amount = parse_amount(amount)
    if amount == supply_point.advance_amount:
        raise RequestRefused(_("This is the advance you already pay."), "amount")
    if AdvanceChangeRequest.objects.filter(
        supply_point=supply_point, status=RequestStatus.PENDING
    ).exists():
        raise RequestRefused(
            _("A change of the advance of this supply point is already waiting for a decision.")
        )
    settings = get_portal_settings()
    projection = projection_of(supply_point)
    bounds = bounds_for(settings, projection, supply_point)
    automatic = bounds.allows(amount)
    now = timezone.now()
    fields: dict[str, Any] = {}
    if automatic:
        fields = {"status": RequestStatus.APPROVED, "decided_at": now, "auto_approved": True}
    try:
        with transaction.atomic():
            request = AdvanceChangeRequest.objects.create(
                customer=supply_point.customer,
                supply_point=supply_point,
                submitted_by=user,
                submitted_at=now,
                submission_token=token,
                language=language,
                current_amount=supply_point.advance_amount,
                suggested_amount=projection.suggested_advance,
                requested_amount=amount,
                period_start=projection.period_start,
                flagged=not automatic,
                flag_reason="" if automatic else outside_reason(bounds, amount),
                **fields,
            )
            if automatic:
                data = {"kind": request.kind, "status": request.status, "automatic": True}
                log(request, ACTION_APPROVE, data=data)
                queue_decision_email(request, "request_approved")
    except IntegrityError:
        found = AdvanceChangeRequest.objects.filter(submission_token=token).first()
        if found is not None:
            return found
        raise RequestRefused(
            _("A change of the advance of this supply point is already waiting for a decision.")
        ) from None
    return request


def outside_reason(bounds: Bounds, amount: Decimal) -> str:
    """Why an operator must decide it (shown in the operators' queue)."""
    reasons = []
    if amount < bounds.lowest:
        reasons.append(
            _("below %(amount)s, the lowest advance approved at once")
            % {"amount": format_money(bounds.lowest)}
        )
    if bounds.limit_reached:
        reasons.append(
            _("%(count)d change(s) of the advance approved in this billing period already")
            % {"count": bounds.used}
        )
    return "; ".join(reasons)


# --- After approval -----------------------------------------------------------------------------


def waiting_for_calendar(request: AdvanceChangeRequest) -> bool:
    """Approved (or sent, or confirmed by ZIS) and ZIS has not sent a payment calendar with the
    new amount, changed in ZIS at or after the approval, since."""
    if request.status not in DONE_STATUSES or request.supply_point_id is None:
        return False
    return not AdvanceSchedule.objects.filter(
        supply_point_id=request.supply_point_id,
        amount=request.requested_amount,
        zis_updated_at__gte=approved_at(request),
    ).exists()


@dataclass(frozen=True)
class ChangeState:
    """What a supply point's advance changes mean to its customer now: the approved change
    whose payment calendar ZIS has not sent yet, and the change an operator has not decided.
    Both may be there at once: a change approved at once still waits for its calendar while
    the next one, outside the bounds, waits for an operator."""

    waiting: AdvanceChangeRequest | None = None
    pending: AdvanceChangeRequest | None = None


def change_states(user: Any, supply_points: list[SupplyPoint]) -> dict[int, ChangeState]:
    """Supply point → its `ChangeState`, for those with a pending change or one still waiting
    for its calendar (at most two queries whatever the number of points and changes).

    Only the newest approved change of a point can wait: ZIS carries out the approved changes
    in order, so a newer one replaces an older one whose calendar never came. Rejected and
    withdrawn changes do not count, so rejecting a later change leaves the earlier one
    waiting."""
    rows = (
        AdvanceChangeRequest.objects.for_user(user)
        .filter(
            supply_point__in=supply_points,
            status__in=(RequestStatus.PENDING, *DONE_STATUSES),
        )
        .order_by("supply_point_id", "-submitted_at", "-pk")
    )
    pending: dict[int, AdvanceChangeRequest] = {}
    approved: dict[int, AdvanceChangeRequest] = {}
    for row in rows:
        found = pending if row.status == RequestStatus.PENDING else approved
        found.setdefault(row.supply_point_id, row)
    waiting = dict(approved)
    if waiting:
        since = min(approved_at(change) for change in waiting.values())
        calendars = AdvanceSchedule.objects.filter(
            supply_point_id__in=list(waiting), zis_updated_at__gte=since
        ).values_list("supply_point_id", "amount", "zis_updated_at")
        for point, amount, updated_at in calendars:
            change = waiting.get(point)
            if change and amount == change.requested_amount and updated_at >= approved_at(change):
                del waiting[point]
    return {
        point: ChangeState(waiting=waiting.get(point), pending=pending.get(point))
        for point in {*waiting, *pending}
    }


def approved_at(change: AdvanceChangeRequest) -> dt.datetime:
    """From when a calendar of ZIS can carry out the approved `change`."""
    return change.decided_at or change.submitted_at


@dataclass
class AdvanceFacts:
    """What the advance-change page shows: the projection step by step, the bounds, the change
    that waits for ZIS's new payment calendar and the one that waits for an operator."""

    supply_point: SupplyPoint
    projection: AdvanceProjection | None
    bounds: Bounds | None
    state: ChangeState

    @property
    def waiting(self) -> AdvanceChangeRequest | None:
        return self.state.waiting

    @property
    def pending(self) -> AdvanceChangeRequest | None:
        return self.state.pending


def get_advance_change_facts(user: Any, supply_point_pk: int) -> AdvanceFacts:
    """For one of `user`'s supply points (404 for anyone else's)."""
    supply_point = get_object_or_404(
        SupplyPoint.objects.for_user(user).select_related("customer"), pk=supply_point_pk
    )
    projection = AdvanceProjection.objects.filter(supply_point=supply_point).first()
    bounds = None
    if projection is not None:
        bounds = bounds_for(get_portal_settings(), projection, supply_point)
    state = change_states(user, [supply_point]).get(supply_point.pk, ChangeState())
    return AdvanceFacts(
        supply_point=supply_point, projection=projection, bounds=bounds, state=state
    )


__all__ = [
    "ACTION_APPROVE",
    "Bounds",
    "bounds_for",
    "change_states",
    "recompute_projections",
    "submit_advance_change",
    "waiting_for_calendar",
]
