"""Operators' decisions on customer requests, the customer's e-mail about them, and the steps
towards ZIS (`mark_sent`, `mark_confirmed`).

A decision locks the row (`select_for_update`); only a pending request can be decided, else
`RequestAlreadyDecided` names who decided it and when. The decision is logged to the object's
Wagtail history and the e-mail is stored in the same transaction, so neither is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.accounts.services import preferred_language, wants_decision_emails
from portal.lib.formatting import format_money
from portal.notifications.services import queue_notification
from portal.requests.hosts import tracker_page, tracker_url
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)

from .errors import RequestAlreadyDecided, RequestRefused

ACTION_APPROVE = "pramen.request.approve"
ACTION_REJECT = "pramen.request.reject"


def _resolve(obj_or_pk: Any, model: type[CustomerRequest] | None) -> tuple[type, int]:
    if isinstance(obj_or_pk, CustomerRequest):
        return type(obj_or_pk), obj_or_pk.pk
    if model is None:
        raise TypeError("pass the request itself, or its pk with model=")
    return model, int(obj_or_pk)


def _decide(
    obj_or_pk: Any,
    operator: Any,
    status: str,
    reason: str = "",
    model: type[CustomerRequest] | None = None,
) -> CustomerRequest:
    model, pk = _resolve(obj_or_pk, model)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=pk)
        if obj.status != RequestStatus.PENDING:
            raise RequestAlreadyDecided(obj)
        obj.status = status
        obj.decided_at = timezone.now()
        obj.decided_by = operator
        obj.rejection_reason = reason
        obj.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
        approved = status == RequestStatus.APPROVED
        log(
            obj,
            ACTION_APPROVE if approved else ACTION_REJECT,
            user=operator,
            data={"kind": obj.kind, "status": status, "reason": reason},
        )
        queue_decision_email(obj, "request_approved" if approved else "request_rejected")
        if approved and isinstance(obj, SelfReadingRequest) and obj.meter_id is not None:
            supply_point = obj.meter.supply_point_id
            transaction.on_commit(lambda: _recompute_projection(supply_point))
    return obj


def _recompute_projection(supply_point: int) -> None:
    """An approved self-reading moves the advisor's projection of its supply point."""
    from .advance_change import recompute_projections  # it imports this module

    recompute_projections([supply_point])


def approve_request(
    obj_or_pk: Any, operator: Any, *, model: type[CustomerRequest] | None = None
) -> CustomerRequest:
    """Approve a pending request (`RequestAlreadyDecided` if someone was faster)."""
    return _decide(obj_or_pk, operator, RequestStatus.APPROVED, model=model)


def reject_request(
    obj_or_pk: Any, operator: Any, reason: str, *, model: type[CustomerRequest] | None = None
) -> CustomerRequest:
    """Reject a pending request; the reason is shown to the customer and must not be empty."""
    reason = (reason or "").strip()
    if not reason:
        raise RequestRefused(_("Give the customer a reason for the rejection."), "reason")
    return _decide(obj_or_pk, operator, RequestStatus.REJECTED, reason, model=model)


def bulk_approve(queryset: QuerySet, operator: Any) -> int:
    """Approve the unflagged pending requests of `queryset`, each in its own transaction;
    ones decided meanwhile by someone else are skipped. Returns how many were approved."""
    model = queryset.model
    pks = list(
        queryset.filter(status=RequestStatus.PENDING, flagged=False).values_list("pk", flat=True)
    )
    approved = 0
    for pk in pks:
        try:
            _decide(pk, operator, RequestStatus.APPROVED, model=model)
        except RequestAlreadyDecided:
            continue
        approved += 1
    return approved


# --- The customer's e-mail ---------------------------------------------------------------------


def tracker_path(language: str) -> str:
    """The path of the customer's request tracker, in `language`."""
    page = tracker_page()
    if page is None:
        return ""
    with translation.override(language):
        return tracker_url(page)


def decision_context(obj: CustomerRequest, language: str = "") -> dict[str, Any]:
    """What the e-mail templates show, JSON-serialisable (the tracker link in `language`,
    default the request's)."""
    customer = obj.customer
    context: dict[str, Any] = {
        "kind": obj.kind,
        "customer_number": customer.number if customer else obj.customer_number,
        "customer_name": customer.name if customer else obj.customer_name,
        "meter_serial": "",
        "reading_date": "",
        "reading_value": "",
        "address": "",
        "effective_date": "",
        "supply_point_number": "",
        "advance_amount": "",
        "reason": obj.rejection_reason,
        "tracker_path": tracker_path(language or obj.language),
    }
    if isinstance(obj, SelfReadingRequest):
        context.update(
            meter_serial=obj.meter.serial_number if obj.meter else obj.meter_serial,
            reading_date=obj.date.isoformat(),
            reading_value=str(obj.value),
        )
    elif isinstance(obj, AddressChangeRequest):
        context.update(address=str(obj.address), effective_date=obj.effective_date.isoformat())
    elif isinstance(obj, AdvanceChangeRequest):
        context.update(
            supply_point_number=obj.supply_point_number,
            advance_amount=format_money(obj.requested_amount),
        )
    return context


def decision_email_language(obj: CustomerRequest) -> str:
    """The submitter's chosen interface language (My account), else the request's language."""
    user = obj.submitted_by
    return (preferred_language(user) if user is not None else "") or obj.language or "cs"


def queue_decision_email(obj: CustomerRequest, template: str) -> None:
    """Store the customer's e-mail about the decision (sent later by the notifications task).

    Nothing is queued when the submitter turned decision e-mails off on My account
    (`notify_request_decisions`); the tracker still shows every step."""
    user = obj.submitted_by
    if user is not None and not wants_decision_emails(user):
        return
    recipient = (user.email if user is not None else "") or (
        obj.customer.email if obj.customer is not None else ""
    )
    if not recipient:
        return
    language = decision_email_language(obj)
    queue_notification(
        to=recipient,
        template=template,
        context=decision_context(obj, language),
        language=language,
        user=user,
        related=obj,
    )


# --- Towards ZIS -------------------------------------------------------------------------------


def mark_sent(requests: Iterable[CustomerRequest], batch_id: str) -> int:
    """Record that approved requests were written to the outbound batch `batch_id`."""
    now, count = timezone.now(), 0
    for model, pks in _by_model(requests).items():
        count += model.objects.filter(pk__in=pks, status=RequestStatus.APPROVED).update(
            status=RequestStatus.SENT, outbound_batch_id=batch_id, sent_at=now
        )
    return count


def mark_confirmed(batch_or_requests: str | Iterable[CustomerRequest]) -> int:
    """Record ZIS's acknowledgement: the sent requests of a batch (or the given ones) confirmed."""
    now, count = timezone.now(), 0
    if isinstance(batch_or_requests, str):
        for model in (SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest):
            count += model.objects.filter(
                outbound_batch_id=batch_or_requests, status=RequestStatus.SENT
            ).update(status=RequestStatus.CONFIRMED, confirmed_at=now)
        return count
    for model, pks in _by_model(batch_or_requests).items():
        count += model.objects.filter(pk__in=pks, status=RequestStatus.SENT).update(
            status=RequestStatus.CONFIRMED, confirmed_at=now
        )
    return count


def _by_model(requests: Iterable[Model]) -> dict[type, list[int]]:
    grouped: dict[type, list[int]] = {}
    for obj in requests:
        grouped.setdefault(type(obj), []).append(obj.pk)
    return grouped
