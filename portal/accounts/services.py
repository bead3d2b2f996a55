"""Accounts services: linking customers with activation codes, unlinking, preferences.

Linking rules (see docs/features.md, Accounts):

- a user links a customer with its customer number and an activation code; the code is checked
  against the stored salted hashes, must not be expired (`valid_until`, or created more than
  PRAMEN_ACTIVATION_CODE_MAX_AGE_DAYS ago when ZIS sent no expiry) and is **single-use**: the
  first successful link marks it used, and a second person of the same customer needs a new code;
- every attempt is logged (`LinkAttempt`: user, customer number tried, hashed IP, outcome, time);
- PRAMEN_LINK_MAX_FAILURES wrong attempts within PRAMEN_LINK_LOCK_MINUTES lock linking for that
  user, and separately for that customer number, until PRAMEN_LINK_LOCK_MINUTES after the last
  wrong attempt; attempts while locked are refused (and logged) without checking the code;
- the limit holds under concurrency: each attempt takes a lock on the user and on the customer
  number (`_lock_attempts`), then records itself (counted as wrong until the code proves
  otherwise) and counts, all before the code is checked. Attempts at the same user or number
  therefore queue, and at most PRAMEN_LINK_MAX_FAILURES codes are ever checked per window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.accounts.models import (
    AccountProfile,
    ActivationCode,
    CustomerLink,
    EInvoiceConsent,
    LinkAttempt,
    code_matches,
    hash_code,
)
from portal.billing.models import Customer

from .export import export_user_data

__all__ = [
    "LinkError",
    "LinkLocked",
    "export_user_data",
    "get_link_for_user",
    "get_profile",
    "issue_activation_code",
    "link_customer",
    "link_locked_until",
    "preferred_language",
    "unlink_customer",
    "update_preferences",
    "wants_decision_emails",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read from a letter
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
Outcome = LinkAttempt.Outcome


class LinkError(Exception):
    """Linking was refused; `message` is meant for the user."""

    def __init__(self, message: str, outcome: str) -> None:
        super().__init__(message)
        self.message = message
        self.outcome = outcome


class LinkLocked(LinkError):
    def __init__(self, message: str, until: dt.datetime) -> None:
        super().__init__(message, Outcome.LOCKED)
        self.until = until


# --- Linking ------------------------------------------------------------------------------------


def normalize_customer_number(value: str) -> str:
    return "".join(value.split())[:64]


def _lock_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.PRAMEN_LINK_LOCK_MINUTES)


def _locked_until(attempts, now: dt.datetime) -> dt.datetime | None:
    limit = settings.PRAMEN_LINK_MAX_FAILURES
    recent = list(
        attempts.failures_since(now - _lock_window())
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    return recent[0] + _lock_window() if len(recent) >= limit else None


def link_locked_until(
    user: Any, customer_number: str, now: dt.datetime | None = None, exclude=None
):
    """(until, scope) when linking is locked for the user ("user") or the number ("number").

    `exclude` is an attempt that is not counted (the one being evaluated)."""
    now = now or timezone.now()
    attempts = LinkAttempt.objects.exclude(pk=exclude.pk) if exclude else LinkAttempt.objects
    by_user = _locked_until(attempts.filter(user=user), now)
    if by_user:
        return by_user, "user"
    number = normalize_customer_number(customer_number)
    by_number = _locked_until(attempts.filter(customer_number=number), now)
    return (by_number, "number") if by_number else (None, None)


def _advisory_key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks."""
    digest = hashlib.sha256(f"pramen.link:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_attempts(user: Any, number: str) -> None:
    """Serialise linking attempts of one user and of one customer number until the transaction
    ends. PostgreSQL: transaction-level advisory locks, always the user's first, so two attempts
    never wait for each other crosswise. SQLite lets one transaction write at a time, and each
    attempt writes first (its own record), so the attempts queue there without a lock of ours."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in (f"user:{user.pk}", f"number:{number}"):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_advisory_key(name)])


def _format_unlock_time(until: dt.datetime) -> str:
    local = timezone.localtime(until)
    # Round up to the next whole minute: "try again at 14:35" must not be too early.
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j. n. Y H:i")


def _locked_message(until: dt.datetime, scope: str) -> str:
    when = _format_unlock_time(until)
    if scope == "number":
        return _(
            "There have been too many wrong attempts to link this customer number. "
            "For your protection, linking it is locked until %(time)s. Please try again then."
        ) % {"time": when}
    return _(
        "You have entered a wrong customer number or activation code too many times. "
        "For your protection, linking is locked until %(time)s. Please try again then."
    ) % {"time": when}


def _matching_code(customer: Customer | None, code: str) -> ActivationCode | None:
    if customer is None:
        code_matches(code, hash_code("-"))  # spend the same time as a real check
        return None
    for candidate in ActivationCode.objects.filter(customer=customer).order_by("-created_at"):
        if candidate.check_code(code):
            return candidate
    return None


def _is_usable(code: ActivationCode, now: dt.datetime) -> bool:
    today = timezone.localdate(now)
    if not code.is_usable(today):
        return False
    if code.valid_until is None:
        max_age = dt.timedelta(days=settings.PRAMEN_ACTIVATION_CODE_MAX_AGE_DAYS)
        return code.created_at is None or now <= code.created_at + max_age
    return True


def _consume_and_link(user: Any, code: ActivationCode, now: dt.datetime) -> CustomerLink | None:
    """Mark the code used and create the link in one transaction; None if someone was faster."""
    try:
        with transaction.atomic():
            used = ActivationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
                used_at=now
            )
            if not used:
                return None
            link = CustomerLink.objects.create(user=user, customer_id=code.customer_id)
            if get_profile(user).einvoice:  # the user's e-invoice choice covers the new customer
                EInvoiceConsent.objects.create(
                    customer_id=code.customer_id, user=user, email=user.email, consented=True
                )
            return link
    except IntegrityError:  # the same user linked the same customer at the same moment
        return None


def link_customer(user: Any, customer_number: str, code: str, ip_hash: str = "") -> CustomerLink:
    """Link `user` to the customer with `customer_number` if `code` is one of its valid codes.

    Raises `LinkLocked` or `LinkError` (with a message for the user); every call is logged.
    """
    number = normalize_customer_number(customer_number)
    with transaction.atomic():
        _lock_attempts(user, number)
        now = timezone.now()
        # Recorded as wrong until the code proves otherwise, so it counts while it is checked.
        attempt = LinkAttempt.objects.create(
            user=user, customer_number=number, ip_hash=ip_hash, outcome=Outcome.WRONG, at=now
        )
        until, scope = link_locked_until(user, number, now, exclude=attempt)
        if until:
            outcome, link, activation_code = Outcome.LOCKED, None, None
        else:
            customer = Customer.objects.filter(number=number).first()
            activation_code = _matching_code(customer, code)
            outcome, link = _try_link(user, activation_code, now)
        attempt.outcome, attempt.success = outcome, outcome == Outcome.LINKED
        attempt.activation_code = activation_code
        attempt.save(update_fields=["outcome", "success", "activation_code"])
    if until:
        raise LinkLocked(_locked_message(until, scope), until)
    if link is None:
        raise LinkError(_refusal_message(outcome), outcome)
    return link


def _try_link(user: Any, code: ActivationCode | None, now: dt.datetime):
    if code is None:
        return Outcome.WRONG, None
    if CustomerLink.objects.filter(user=user, customer_id=code.customer_id).exists():
        return Outcome.ALREADY_LINKED, None
    if not _is_usable(code, now):
        return Outcome.EXPIRED, None
    link = _consume_and_link(user, code, now)
    return (Outcome.LINKED, link) if link else (Outcome.EXPIRED, None)


def _refusal_message(outcome: str) -> str:
    if outcome == Outcome.ALREADY_LINKED:
        return _("This customer is already linked to your account.")
    if outcome == Outcome.EXPIRED:
        return _(
            "This activation code has expired or has already been used. "
            "Please ask us for a new one."
        )
    return _("The customer number or the activation code is not correct. Check both and try again.")


def get_link_for_user(user: Any, pk: int) -> CustomerLink:
    """The user's own link `pk`; anyone else's is a 404."""
    link = CustomerLink.objects.for_user(user).select_related("customer").filter(pk=pk).first()
    if link is None:
        raise Http404("No such customer link.")
    return link


def unlink_customer(link: CustomerLink) -> Customer:
    """Remove the link (the customer's data stays; only this user's access ends)."""
    customer = link.customer
    with transaction.atomic():
        hand_over_einvoices(link)
        link.delete()
    return customer


def hand_over_einvoices(link: CustomerLink) -> EInvoiceConsent | None:
    """Before a link is removed: keep the customer's documents going somewhere.

    ZIS keeps the customer's latest consent record. If it says "e-mail only" and the documents
    went to this user, they would now go nowhere: the consent passes to another linked user whose
    own consent is in force (the latest of them), or, when there is none, it is withdrawn so that
    ZIS posts paper again. Returns the record made, if any."""
    consents = EInvoiceConsent.objects.filter(customer_id=link.customer_id).order_by("-at", "-pk")
    latest = consents.first()
    if latest is None or not latest.consented:
        return None
    others = set(
        CustomerLink.objects.filter(customer_id=link.customer_id, ended_at__isnull=True)
        .exclude(user_id=link.user_id)
        .values_list("user_id", flat=True)
    )
    newest_by_user: dict[int, EInvoiceConsent] = {}
    for consent in consents.filter(user_id__in=others).select_related("user"):
        newest_by_user.setdefault(consent.user_id, consent)
    in_force = [
        consent
        for consent in newest_by_user.values()
        if consent.consented and consent.user.is_active and get_profile(consent.user).einvoice
    ]
    if latest.user_id in {consent.user_id for consent in in_force}:
        return None  # the documents already go to another user
    if in_force:
        heir = max(in_force, key=lambda consent: (consent.at, consent.pk)).user
        return EInvoiceConsent.objects.create(
            customer_id=link.customer_id, user=heir, email=heir.email, consented=True
        )
    return EInvoiceConsent.objects.create(
        customer_id=link.customer_id, user=link.user, email=link.user.email, consented=False
    )


# --- Activation codes issued by operators -------------------------------------------------------


def generate_activation_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def issue_activation_code(
    customer: Customer, valid_days: int | None = None
) -> tuple[ActivationCode, str]:
    """A new code for `customer`; returns the row and the plain code (shown once, never stored)."""
    plain = generate_activation_code()
    days = valid_days or settings.PRAMEN_ACTIVATION_CODE_VALID_DAYS
    code = ActivationCode(customer=customer, valid_until=timezone.localdate() + dt.timedelta(days))
    code.set_code(plain)
    code.save()
    return code, plain


# --- Preferences --------------------------------------------------------------------------------


def get_profile(user: Any) -> AccountProfile:
    """The user's preferences (an unsaved default when they never set any)."""
    return AccountProfile.objects.for_user(user).first() or AccountProfile(user=user)


def update_preferences(user: Any, **values: Any) -> AccountProfile:
    """Save the user's preferences; switching e-invoices on or off records the consent (or its
    withdrawal) for each customer the user acts for, for ZIS (`EInvoiceConsent`)."""
    with transaction.atomic():
        before = get_profile(user).einvoice
        profile, _created = AccountProfile.objects.update_or_create(user=user, defaults=values)
        if profile.einvoice != before:
            record_einvoice_consent(user, profile.einvoice)
    return profile


def record_einvoice_consent(user: Any, consented: bool) -> list[EInvoiceConsent]:
    """One consent row per customer the user is linked to, all with the same time."""
    now = timezone.now()
    customer_ids = CustomerLink.objects.for_user(user).values_list("customer_id", flat=True)
    return EInvoiceConsent.objects.bulk_create(
        EInvoiceConsent(
            customer_id=customer_id, user=user, email=user.email, consented=consented, at=now
        )
        for customer_id in customer_ids
    )


def preferred_language(user: Any) -> str:
    """The language the user chose ("" when they never chose: keep the current one)."""
    profile = AccountProfile.objects.for_user(user).first()
    return profile.language if profile else ""


def wants_decision_emails(user: Any) -> bool:
    """Whether to e-mail `user` when an operator decides one of their requests."""
    return wants_email(user, EmailKind.DECISIONS)


class EmailKind:
    """The kinds of e-mail a user can switch off (or, for reminders, on) in My account."""

    DECISIONS = "notify_request_decisions"
    NOTICES = "notify_notices"
    WARNINGS = "notify_warnings"
    REMINDERS = "notify_reminders"
    INVITATIONS = "notify_invitations"


def wants_email(user: Any, kind: str) -> bool:
    """Whether `user` wants the e-mails of `kind` (one of `EmailKind`)."""
    return bool(getattr(get_profile(user), kind))
