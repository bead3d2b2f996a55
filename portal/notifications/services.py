"""E-mail notifications: queue a row in the caller's transaction, send it from a task, retry.

- `queue_notification(...)` stores a `Notification` and, once the caller's transaction commits,
  enqueues `portal.notifications.tasks.send_notification_task`. A rolled-back transaction leaves no row and
  sends nothing; a broken task queue loses nothing (the periodic sweep finds the row).
- `send_notification(id)` (the task) and `send_due_notifications()` (the periodic sweep) claim a
  due row with `select_for_update(skip_locked=True)` plus a conditional update, so two workers
  never send the same e-mail; the claim marks it "sending" for `SENDING_LEASE` (a worker that dies
  mid-send leaves it to the sweep after that).
- A failed attempt (SMTP server unreachable, refused, …) records `attempts` and `last_error` and
  puts the row back in the queue after `BACKOFF_MINUTES`; after `MAX_ATTEMPTS` it is "failed" and
  operators resend it from the admin (`resend_notification`).
- Rendering happens at send time, in the notification's language, from the templates
  `templates/emails/<template>/{subject.txt,body.txt,body.html}` and the utility's settings.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import socket
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from portal.billing.models import Customer
from portal.lib.formatting import NBSP, format_date, format_decimal, format_money
from portal.lib.languages import Language
from portal.lib.mail_identity import sender_address, subject_with_name, utility_settings
from portal.notifications.models import Notification, NotificationAttachment

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … failed attempt; the last value repeats.
BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 60, 180, 360, 720)
# After this many failed attempts (about 22 hours with the back-off above) a row is "failed".
MAX_ATTEMPTS = 8
# How long a claimed row stays "sending" before the sweep may take it again (a dead worker).
SENDING_LEASE = dt.timedelta(minutes=15)
SWEEP_LIMIT = 200
ERROR_MAX_LENGTH = 2000

Status = Notification.Status


class NotificationError(Exception):
    """An operator's action on a notification that cannot be done; the message says why."""


# --- Queueing -----------------------------------------------------------------------------------


def queue_notification(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    user: Any = None,
    related: Any = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> Notification:
    """Store an e-mail to `to` in the current transaction; it is sent after the commit.

    `template` is one of `Notification.Template`; `context` is JSON-serialisable (dates as ISO
    strings, decimals as strings); `attachments` are (file name, bytes, content type). A recipient without a valid address gives a row that is
    "failed" at once (visible to operators) instead of an error in the caller's decision.
    """
    if template not in Notification.Template.values:
        raise ValueError(f"Unknown notification template: {template!r}")
    notification = Notification(
        recipient=(to or "").strip(),
        template=template,
        context=context,
        language=normalise_language(language),
        user=user,
        customer=_customer_of(related, context),
    )
    if related is not None:
        notification.related = related
    problem = _recipient_problem(notification.recipient)
    if problem:
        notification.status = Status.FAILED
        notification.last_error = problem
    notification.save()
    NotificationAttachment.objects.bulk_create(
        NotificationAttachment(
            notification=notification, filename=name, content=data, content_type=content_type
        )
        for name, data, content_type in attachments or ()
    )
    if not problem:
        enqueue_on_commit(notification.pk)
    return notification


def enqueue_on_commit(notification_id: int) -> None:
    """Enqueue the send task once the current transaction commits; a failure to enqueue is
    logged and leaves the row to the periodic sweep."""

    def enqueue() -> None:
        enqueue_notification(notification_id)

    transaction.on_commit(enqueue, robust=True)


def enqueue_notification(notification_id: int) -> None:
    """Hand the row to the task queue (called after the commit; the sweep is the safety net)."""
    from portal.notifications.tasks import send_notification_task

    send_notification_task(notification_id)


def normalise_language(language: str | None) -> str:
    code = (language or "").lower()[:2]
    return code if code in Language.values else Language.CZECH


def _customer_of(related: Any, context: dict[str, Any]) -> Customer | None:
    if isinstance(related, Customer):
        return related
    customer = getattr(related, "customer", None)
    if isinstance(customer, Customer):
        return customer
    number = (context or {}).get("customer_number")
    return Customer.objects.filter(number=number).first() if number else None


def _recipient_problem(recipient: str) -> str:
    if not recipient:
        return _("The recipient has no e-mail address.")
    try:
        validate_email(recipient)
    except ValidationError:
        return _("The recipient's e-mail address is not valid.")
    return ""


# --- Claiming and sending -----------------------------------------------------------------------


def claim_notification(
    notification_id: int | None = None, *, now: dt.datetime | None = None
) -> Notification | None:
    """Take one due row (the given one, or the oldest due) for sending, or None.

    The row is locked while it is marked "sending" (PostgreSQL skips rows another worker holds)
    and the update only succeeds if nobody changed the row in between (SQLite has no row locks),
    so one worker wins and the other gets None.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = Notification.objects.due(now).select_for_update(skip_locked=True)
        if notification_id is not None:
            due = due.filter(pk=notification_id)
        row = due.order_by("next_attempt_at", "pk").only("pk", "status", "attempts").first()
        if row is None:
            return None
        claimed = Notification.objects.filter(
            pk=row.pk, status=row.status, attempts=row.attempts
        ).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE
        )
    if not claimed:
        return None
    return Notification.objects.get(pk=row.pk)


def send_notification(notification_id: int) -> Notification | None:
    """Send one notification if it is due and nobody else is sending it; returns the row after
    the attempt (sent, queued again for later, or failed), or None when there was nothing to do."""
    notification = claim_notification(notification_id)
    if notification is None:
        return None
    notification, _error = _deliver(notification)
    return notification


def send_due_notifications(*, limit: int = SWEEP_LIMIT, now: dt.datetime | None = None) -> int:
    """The periodic sweep: send every due row (lost tasks, retries after back-off, rows of a
    worker that died); returns how many went out. Stops early when the server is unreachable."""
    sent = 0
    for _index in range(limit):
        notification = claim_notification(now=now)
        if notification is None:
            break
        notification, error = _deliver(notification, now=now)
        if notification.status == Status.SENT:
            sent += 1
        elif error is not None and _server_unreachable(error):
            break
    return sent


def _deliver(
    notification: Notification, *, now: dt.datetime | None = None
) -> tuple[Notification, Exception | None]:
    """Render and send a claimed row and record the outcome on it (`now`: the clock of the
    back-off, for the sweep's tests; the current time by default)."""
    try:
        message = build_email(notification)
        notification.subject = message.subject
        notification.body_text = message.body
        message.send(fail_silently=False)
    except Exception as error:  # any failure is recorded and retried, never lost
        logger.warning("Notification %s not sent: %r", notification.pk, error)
        return _record_failure(notification, error, now or timezone.now()), error
    _record_outcome(notification, status=Status.SENT, sent_at=timezone.now())
    return notification, None


def _record_failure(notification: Notification, error: Exception, now: dt.datetime) -> Notification:
    final = notification.attempts >= MAX_ATTEMPTS or _is_permanent(error)
    _record_outcome(
        notification,
        status=Status.FAILED if final else Status.QUEUED,
        last_error=describe_error(error),
        next_attempt_at=now if final else now + backoff_delay(notification.attempts),
    )
    return notification


def _record_outcome(notification: Notification, **changes: Any) -> None:
    """Save what the attempt found, unless the row changed hands meanwhile (claim expired)."""
    changes |= {"subject": notification.subject[:255], "body_text": notification.body_text}
    Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, attempts=notification.attempts
    ).update(**changes)
    for name, value in changes.items():
        setattr(notification, name, value)


def backoff_delay(attempts: int) -> dt.timedelta:
    """How long to wait after `attempts` failed attempts: 1, 5, 15, 60, 180, 360, 720 minutes."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return dt.timedelta(minutes=BACKOFF_MINUTES[index])


def describe_error(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text[:ERROR_MAX_LENGTH]


def _is_permanent(error: Exception) -> bool:
    """The server refused every recipient for good (5xx): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return all(code >= 500 for code, _message in error.recipients.values())
    return False


def _server_unreachable(error: Exception) -> bool:
    return isinstance(
        error,
        ConnectionError
        | TimeoutError
        | socket.gaierror
        | smtplib.SMTPConnectError
        | smtplib.SMTPServerDisconnected,
    )


# --- Operators ----------------------------------------------------------------------------------


def resend_notification(notification_id: int) -> Notification:
    """Send a notification again (an operator's action); returns the row that will be sent.

    A failed or still queued row goes back to the queue with a fresh set of attempts (its last
    error stays until it is sent). A sent e-mail is never rewritten: resending it creates a new
    row (`resent_from` points to the original), so the history shows both.
    """
    with transaction.atomic():
        original = Notification.objects.select_for_update().get(pk=notification_id)
        if original.status == Status.SENDING:
            raise NotificationError(
                _("This e-mail is being sent right now. Try again in a few minutes.")
            )
        if original.status == Status.SENT:
            target = Notification.objects.create(
                recipient=original.recipient,
                user=original.user,
                customer=original.customer,
                template=original.template,
                language=original.language,
                context=original.context,
                content_type=original.content_type,
                object_id=original.object_id,
                resent_from=original,
            )
            NotificationAttachment.objects.bulk_create(
                NotificationAttachment(
                    notification=target,
                    filename=a.filename,
                    content=a.content,
                    content_type=a.content_type,
                )
                for a in original.attachments.all()
            )
        else:
            problem = _recipient_problem(original.recipient)
            if problem:
                raise NotificationError(problem)
            original.status = Status.QUEUED
            original.attempts = 0
            original.next_attempt_at = timezone.now()
            original.save(update_fields=["status", "attempts", "next_attempt_at"])
            target = original
        enqueue_on_commit(target.pk)
    return target


# --- Rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_notification(notification: Notification) -> RenderedEmail:
    """Subject, text and HTML of a notification in its language, with today's utility settings."""
    with translation.override(notification.language):
        context = email_context(notification)
        folder = f"emails/{notification.template}"
        subject = subject_with_name(
            render_to_string(f"{folder}/subject.txt", context), context["utility"].name
        )
        return RenderedEmail(
            subject=subject[:255],
            text=tidy_text(render_to_string(f"{folder}/body.txt", context)),
            html=render_to_string(f"{folder}/body.html", context),
        )


def tidy_text(text: str) -> str:
    """Template output as a plain-text e-mail: no trailing spaces, at most one blank line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def build_email(notification: Notification) -> EmailMultiAlternatives:
    rendered = render_notification(notification)
    utility = utility_settings()
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=sender_address(utility.name, utility.email),
        to=[notification.recipient],
        reply_to=[utility.email] if utility.email else None,
        # RFC 3834: no auto-replies to a machine; the id lets operators match a bounce to its row
        headers={"Auto-Submitted": "auto-generated", "X-Pramen-Notification": str(notification.pk)},
    )
    message.attach_alternative(rendered.html, "text/html")
    for attachment in notification.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return message


def email_context(notification: Notification) -> dict[str, Any]:
    """What the e-mail templates get: the caller's values formatted for the language."""
    data = notification.context or {}
    language = notification.language
    return {
        "kind": data.get("kind", ""),
        "customer_number": data.get("customer_number", ""),
        "customer_name": data.get("customer_name", ""),
        "meter_serial": data.get("meter_serial", ""),
        "reading_date": format_day(data.get("reading_date"), language),
        "reading_value": format_cubic_metres(data.get("reading_value"), language),
        "address": data.get("address", ""),
        "effective_date": format_day(data.get("effective_date"), language),
        "reason": data.get("reason", ""),
        "tracker_url": public_url(data.get("tracker_path", ""), language),
        # E-mails the portal sends on its own initiative (e-invoices, reminders, invitations)
        "document_label": data.get("document_label", ""),
        "document_number": data.get("document_number", ""),
        "due_date": format_day(data.get("due_date"), language),
        "amount": format_money(data["amount"]) if data.get("amount") else "",
        "action_url": public_url(data.get("action_url", ""), language),
        "expires_date": format_day(data.get("expires_date"), language),
        "preferences_url": public_url(reverse("portal-account:preferences"), language),
        # outage notices (portal.notices): their texts are formatted when queued
        "notice": data.get("notice") or {},
        "supply_point_number": data.get("supply_point_number", ""),
        "reference": format_cubic_metres(data.get("reference"), language),
        "days": data.get("days", ""),
        "portal_url": public_url(data.get("portal_path", ""), language),
        "utility": utility_settings(),
        "language": language,
    }


def format_day(value: Any, language: str) -> str:
    """ "2026-11-15" → "15. 11. 2026" (Czech) or "15 November 2026" (English)."""
    day = _as_date(value)
    if day is None:
        return str(value or "")
    if language == Language.CZECH:
        return format_date(day)
    with translation.override("en"):
        return f"{day.day}{NBSP}{dateformat.format(day, 'F')} {day.year}"


def format_cubic_metres(value: Any, language: str) -> str:
    """ "123.456" → "123,456 m³" (Czech) or "123.456 m³" (English), as many places as given."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = max(0, -number.as_tuple().exponent)
    if language == Language.CZECH:
        text = format_decimal(number, places)
    else:
        text = format(number, f",.{places}f")
    return f"{text}{NBSP}m³"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        day = parse_date(str(value))
        if day is None and (moment := parse_datetime(str(value))) is not None:
            return _as_date(moment)
    except ValueError:
        return None
    return day


def public_url(path: str, language: str) -> str:
    """The absolute address of a site-relative `path` in `language`'s version of the site."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    base = (settings.PRAMEN_PUBLIC_BASE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + localise_path(path, language)


def localise_path(path: str, language: str) -> str:
    """ "/portal/pozadavky/" → "/en/portal/pozadavky/" for English and back (the default
    language has no prefix)."""
    path = "/" + path.lstrip("/")
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            path = path[len(code) + 1 :] or "/"
            break
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"
