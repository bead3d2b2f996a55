"""Reading invitations: an e-mail before a supply point's reading date with a signed link that
opens the self-reading form without signing in.

The link carries the invitation's id together with the supply point, meter and reading date it is
bound to, signed with the site's secret key (`django.core.signing`, its own salt). It is refused
when the signature does not match (tampered), when the invitation's `expires_on` has passed
(expired), or once a reading was accepted through it (used). The reading goes through the normal
self-reading rules (`portal.requests.services.submission`, `invited=True`).

The reading date of a supply point is one year after the end of its last invoiced billing period
(annual billing); a supply point with no invoice yet is read at the end of the calendar year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import AccountProfile, CustomerLink
from portal.billing.models import Invoice, Meter, Reading
from portal.mailings.models import ReadingInvitation
from portal.notifications.models import Notification
from portal.notifications.services import public_url, queue_notification
from portal.requests.models import SelfReadingRequest
from portal.requests.services.submission import get_portal_settings, submit_self_reading

SALT = "pramen.mailings.reading-invitation"


class LinkRefused(Exception):
    """The link cannot be used; `message` is the plain sentence shown to the visitor."""

    def __init__(self, message: str, status: int = 410) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # 400 for a link that is not valid, 410 for one spent or expired


# --- Signed links -------------------------------------------------------------------------------


def make_token(invitation: ReadingInvitation) -> str:
    """The same token for the same invitation (no timestamp: the e-mail and the payment
    calendar's QR code carry one link, and the calendar's PDF stays cacheable); the invitation's
    `expires_on` and `used_at` decide whether it still works."""
    return signing.Signer(salt=SALT).sign_object(
        {
            "i": invitation.pk,
            "s": invitation.supply_point_id,
            "m": invitation.meter_id,
            "p": invitation.period.isoformat(),
        },
        compress=True,
    )


def link_path(invitation: ReadingInvitation) -> str:
    """The site-relative address of the no-login form (Czech; e-mails localise it)."""
    with translation.override("cs"):
        return reverse("mailings-reading", kwargs={"token": make_token(invitation)})


def check_token(token: str, today: dt.date | None = None) -> ReadingInvitation:
    """The invitation the link stands for, or `LinkRefused` (tampered, expired or used)."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        invitation = (
            ReadingInvitation.objects.select_related("meter", "supply_point")
            .filter(
                pk=data["i"],
                supply_point_id=data["s"],
                meter_id=data["m"],
                period=dt.date.fromisoformat(data["p"]),
            )
            .first()
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        invitation = None
    if invitation is None:
        raise LinkRefused(
            _("This link is not valid. Please check that you copied all of it."), status=400
        )
    today = today or timezone.localdate()
    if invitation.used_at is not None:
        raise LinkRefused(
            _("A reading has already been sent with this link. Thank you; nothing more is needed.")
        )
    if today > invitation.expires_on or invitation.meter.removed_on is not None:
        raise LinkRefused(
            _(
                "This link has expired. You can report the reading in the customer portal "
                "after signing in."
            )
        )
    return invitation


@dataclass(frozen=True)
class FormFacts:
    """All the no-login form shows: the meter number and the date of its last reading."""

    meter_serial: str
    last_reading_date: dt.date | None


def form_facts(invitation: ReadingInvitation) -> FormFacts:
    last = (
        Reading.objects.filter(meter=invitation.meter)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return FormFacts(meter_serial=invitation.meter.serial_number, last_reading_date=last)


def submit_invited_reading(link: str, **values: Any) -> SelfReadingRequest:
    """Submit a self-reading through the link (its signed token `link`; `values` as for
    `submit_self_reading`, `token` being the form's); the link is spent in the same transaction.

    Raises `LinkRefused` or the self-reading's own refusals (`RequestRefused`, `UnusualValue`),
    which leave the link usable.
    """
    with transaction.atomic():
        invitation = check_token(link)
        locked = ReadingInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:
            raise LinkRefused(
                _(
                    "A reading has already been sent with this link. Thank you; nothing more "
                    "is needed."
                )
            )
        reading = submit_self_reading(None, invitation.meter, invited=True, **values)
        locked.used_at = timezone.now()
        locked.self_reading = reading
        locked.save(update_fields=["used_at", "self_reading"])
    return reading


def _today() -> dt.date:
    return timezone.localdate()


def schedule_link(schedule: Any) -> str:
    """The absolute link of the current reading invitation of the payment calendar's supply
    point, for the calendar's QR code; made now when the daily task has not made it yet. "" when
    the supply point has no manually read meter, invitations are off, or the link has expired."""
    settings = get_portal_settings()
    if not settings.invitation_days_before or schedule.supply_point_id is None:
        return ""
    meter = (
        Meter.objects.filter(
            supply_point_id=schedule.supply_point_id, remote_read=False, removed_on__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if meter is None:
        return ""
    today = _today()
    last_end = Invoice.objects.filter(supply_point_id=meter.supply_point_id).aggregate(
        end=Max("period_end")
    )["end"]
    invitation = _invitation(meter, reading_date(last_end, today), settings.invitation_valid_days)
    if invitation is None or today > invitation.expires_on or invitation.used_at is not None:
        return ""
    return public_url(link_path(invitation), "cs")


# --- The daily invitations ----------------------------------------------------------------------


def reading_date(last_invoiced_end: dt.date | None, today: dt.date) -> dt.date:
    """The next reading date of a supply point: see the module."""
    if last_invoiced_end is None:
        return dt.date(today.year, 12, 31)
    try:
        return last_invoiced_end.replace(year=last_invoiced_end.year + 1)
    except ValueError:  # 29 February
        return last_invoiced_end + dt.timedelta(days=365)


def send_invitations(today: dt.date | None = None) -> int:
    """Create the invitations whose window opened and e-mail them; returns how many e-mails
    were queued. Idempotent: one invitation per meter and reading date, e-mailed once."""
    today = today or timezone.localdate()
    settings = get_portal_settings()
    if not settings.invitation_days_before:
        return 0
    last_end = (
        Invoice.objects.filter(supply_point_id=OuterRef("supply_point_id"))
        .order_by()
        .values("supply_point_id")
        .annotate(end=Max("period_end"))
        .values("end")
    )
    meters = (
        Meter.objects.filter(
            remote_read=False,
            removed_on__isnull=True,
            supply_point__customer__links__ended_at__isnull=True,
            supply_point__customer__links__isnull=False,
        )
        .distinct()
        .annotate(last_end=Subquery(last_end))
        .select_related("supply_point__customer")
    )
    window = dt.timedelta(days=settings.invitation_days_before)
    queued = 0
    for meter in meters.iterator(chunk_size=500):
        period = reading_date(meter.last_end, today)
        if not (period - window <= today <= period):
            continue
        invitation = _invitation(meter, period, settings.invitation_valid_days)
        if invitation is not None and invitation.emailed_at is None:
            queued += _email_invitation(invitation, meter)
    return queued


def _invitation(meter: Meter, period: dt.date, valid_days: int) -> ReadingInvitation | None:
    try:
        invitation, _created = ReadingInvitation.objects.get_or_create(
            meter=meter,
            period=period,
            defaults={
                "supply_point_id": meter.supply_point_id,
                "expires_on": period + dt.timedelta(days=valid_days),
            },
        )
    except IntegrityError:  # another run created it at the same moment; it e-mails it
        return None
    return invitation


def _email_invitation(invitation: ReadingInvitation, meter: Meter) -> int:
    customer = meter.supply_point.customer
    with transaction.atomic():
        claimed = ReadingInvitation.objects.filter(
            pk=invitation.pk, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed:
            return 0
        links = CustomerLink.objects.filter(customer=customer, ended_at__isnull=True)
        users = [link.user for link in links.select_related("user").order_by("pk")]
        profiles = {
            p.user_id: p for p in AccountProfile.objects.filter(user__in=[u.pk for u in users])
        }
        queued = 0
        for user in users:
            profile = profiles.get(user.pk) or AccountProfile(user=user)
            if not profile.notify_invitations or not user.is_active or not user.email:
                continue
            queue_notification(
                to=user.email,
                template=Notification.Template.READING_INVITATION,
                context={
                    "customer_number": customer.number,
                    "customer_name": customer.name,
                    "meter_serial": meter.serial_number,
                    "reading_date": invitation.period.isoformat(),
                    "expires_date": invitation.expires_on.isoformat(),
                    "action_url": link_path(invitation),
                },
                language=profile.language,
                user=user,
                related=invitation,
            )
            queued += 1
    return queued
