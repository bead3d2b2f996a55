"""E-invoices (paperless) and due-date reminders: who gets which e-mail, once per document.

- `send_einvoices()` runs after each ZIS import (zis.followups) and e-mails every user who chose
  e-invoices the PDF of each invoice and payment calendar (and the ISDOC of a business's invoice)
  that ZIS sent after the user's consent.
- `send_due_reminders()` runs daily and reminds users who opted in, `reminder_days` ahead, of an
  advance or an invoice that falls due, unless it is paid or the supply point pays by SIPO.

Each e-mail is recorded in `MailingSent` in the same transaction as its notification, so a run
that is repeated (or two at once) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.accounts.models import AccountProfile, CustomerLink, EInvoiceConsent
from portal.billing.models import Advance, AdvanceSchedule, Invoice, Payment, SupplyPoint
from portal.billing.services.settlement import default_utility
from portal.documents import services as documents
from portal.mailings.models import MailingSent
from portal.notifications.models import Notification
from portal.notifications.services import queue_notification

logger = logging.getLogger(__name__)

# An invoice older than this is never e-mailed as new (a consent given today does not send the
# archive; ZIS re-sending an old invoice does not either).
EINVOICE_MAX_AGE = dt.timedelta(days=60)
INVOICE_LABEL = gettext_noop("invoice")
SCHEDULE_LABEL = gettext_noop("payment calendar")
ADVANCE_LABEL = gettext_noop("advance")


def _claim(kind: str, document: str, user: Any) -> bool:
    """Record that `user` gets the e-mail about `document`; False when they already did."""
    try:
        with transaction.atomic():
            MailingSent.objects.create(kind=kind, document=document, user=user)
    except IntegrityError:
        return False
    return True


def _already_sent(kind: str, documents_: Iterable[str], user: Any) -> set[str]:
    return set(
        MailingSent.objects.filter(kind=kind, user=user, document__in=list(documents_)).values_list(
            "document", flat=True
        )
    )


# --- E-invoices ---------------------------------------------------------------------------------


def consent_since(user: Any, customer_id: int) -> dt.datetime | None:
    """When the user's e-invoice consent for the customer was last given (None: not in force)."""
    last = (
        EInvoiceConsent.objects.filter(user=user, customer_id=customer_id)
        .order_by("-at", "-pk")
        .first()
    )
    return last.at if last is not None and last.consented else None


def send_einvoices(now: dt.datetime | None = None) -> int:
    """E-mail the new invoices and payment calendars to the users who chose e-invoices; returns
    how many e-mails were queued."""
    now = now or timezone.now()
    queued = 0
    profiles = AccountProfile.objects.filter(einvoice=True).select_related("user")
    for profile in profiles:
        user = profile.user
        if not user.is_active or not user.email:
            continue
        for link in CustomerLink.objects.for_user(user).select_related("customer"):
            since = consent_since(user, link.customer_id)
            if since is None:
                continue
            queued += _send_customer_einvoices(profile, link.customer, since, now)
    return queued


def _send_customer_einvoices(profile: AccountProfile, customer: Any, since, now) -> int:
    user = profile.user
    invoices = Invoice.objects.filter(
        customer=customer,
        zis_updated_at__gte=since,
        issued_on__gte=timezone.localdate(now) - EINVOICE_MAX_AGE,
    ).order_by("issued_on", "pk")
    schedules = AdvanceSchedule.objects.filter(
        customer=customer, zis_updated_at__gte=since
    ).order_by("valid_from", "pk")
    items = [(f"invoice:{i.pk}", i) for i in invoices] + [
        (f"schedule:{s.pk}", s) for s in schedules
    ]
    done = _already_sent(MailingSent.Kind.EINVOICE, (key for key, _obj in items), user)
    queued = 0
    for key, document in items:
        if key in done:
            continue
        try:
            attachments, context = _einvoice_content(user, customer, document)
        except Exception:  # one broken document must not stop the others; retried next import
            logger.exception("E-invoice %s for user %s could not be built", key, user.pk)
            continue
        with transaction.atomic():
            if not _claim(MailingSent.Kind.EINVOICE, key, user):
                continue
            queue_notification(
                to=user.email,
                template=Notification.Template.EINVOICE,
                context=context,
                language=profile.language,
                user=user,
                related=document,
                attachments=attachments,
            )
        queued += 1
    return queued


def _einvoice_content(user: Any, customer: Any, document: Any):
    utility = default_utility()
    base = {"customer_number": customer.number, "customer_name": customer.name}
    if isinstance(document, Invoice):
        files = [documents.render_invoice_pdf(user, document.pk, utility)]
        if customer.is_business:
            files.append(documents.export_invoice_isdoc(user, document.pk, utility))
        context = base | {
            "kind": "invoice",
            "document_label": INVOICE_LABEL,
            "document_number": document.number,
            "due_date": document.due_on.isoformat(),
            "amount": f"{document.balance:.2f}",
        }
    else:
        files = [documents.render_schedule_pdf(user, document.pk, utility)]
        context = base | {
            "kind": "schedule",
            "document_label": SCHEDULE_LABEL,
            "document_number": document.variable_symbol,
            "amount": f"{document.amount:.2f}",
        }
    return [(f.filename, f.content, f.content_type) for f in files], context


# --- Due-date reminders -------------------------------------------------------------------------

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _paid(field: str) -> Coalesce:
    payments = (
        Payment.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(payments, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


NOT_SIPO = ~Q(supply_point__payment_method=SupplyPoint.PaymentMethod.SIPO)


def due_advances(customer_ids: list[int], today: dt.date, until: dt.date):
    """Unpaid advances falling due between today and `until`, of supply points not on SIPO."""
    return (
        Advance.objects.filter(
            schedule__customer_id__in=customer_ids, due_on__gte=today, due_on__lte=until
        )
        .exclude(schedule__supply_point__payment_method=SupplyPoint.PaymentMethod.SIPO)
        .annotate(paid=_paid("advance"))
        .filter(paid__lt=F("amount"))
        .select_related("schedule__customer")
        .order_by("due_on", "pk")
    )


def due_invoices(customer_ids: list[int], today: dt.date, until: dt.date):
    """Invoices with something to pay falling due between today and `until`, not on SIPO."""
    return (
        Invoice.objects.filter(
            NOT_SIPO, customer_id__in=customer_ids, due_on__gte=today, due_on__lte=until
        )
        .annotate(paid=_paid("invoice"))
        .filter(balance__gt=F("paid"))
        .select_related("customer")
        .order_by("due_on", "pk")
    )


def send_due_reminders(today: dt.date | None = None) -> int:
    """Remind every user who opted in of what falls due within their `reminder_days`; each
    advance and invoice once per user. Returns how many e-mails were queued."""
    today = today or timezone.localdate()
    queued = 0
    profiles = AccountProfile.objects.filter(notify_reminders=True).select_related("user")
    for profile in profiles:
        user = profile.user
        if not user.is_active or not user.email:
            continue
        customer_ids = list(
            CustomerLink.objects.for_user(user).values_list("customer_id", flat=True)
        )
        if not customer_ids:
            continue
        until = today + dt.timedelta(days=profile.reminder_days)
        items = [
            (f"advance:{a.pk}", a, a.schedule.customer, _advance_context(a))
            for a in due_advances(customer_ids, today, until)
        ] + [
            (f"invoice:{i.pk}", i, i.customer, _invoice_context(i))
            for i in due_invoices(customer_ids, today, until)
        ]
        done = _already_sent(MailingSent.Kind.DUE_REMINDER, (item[0] for item in items), user)
        for key, document, customer, context in items:
            if key in done:
                continue
            with transaction.atomic():
                if not _claim(MailingSent.Kind.DUE_REMINDER, key, user):
                    continue
                queue_notification(
                    to=user.email,
                    template=Notification.Template.DUE_REMINDER,
                    context=context
                    | {"customer_number": customer.number, "customer_name": customer.name},
                    language=profile.language,
                    user=user,
                    related=document,
                )
            queued += 1
    return queued


def _advance_context(advance: Advance) -> dict[str, str]:
    return {
        "kind": "advance",
        "document_label": ADVANCE_LABEL,
        "document_number": advance.schedule.variable_symbol,
        "due_date": advance.due_on.isoformat(),
        "amount": f"{advance.amount - advance.paid:.2f}",
    }


def _invoice_context(invoice: Invoice) -> dict[str, str]:
    return {
        "kind": "invoice",
        "document_label": INVOICE_LABEL,
        "document_number": invoice.number,
        "due_date": invoice.due_on.isoformat(),
        "amount": f"{invoice.balance - invoice.paid:.2f}",
    }
