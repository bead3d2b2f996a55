"""What the accounts feature keeps: who may act for which customer (`CustomerLink`), the
activation codes that make such links, linking attempts and a user's preferences.

Only a salted SHA-256 of an activation code is stored. Codes are random and short-lived, and every
attempt is rate-limited by the linking flow; a slow password hash would make importing thousands of
codes from ZIS take minutes without adding real protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib import generations
from portal.lib.languages import Language, language_check
from portal.lib.querysets import UserOwnedQuerySet, customer_scoped


class CustomerLinkQuerySet(UserOwnedQuerySet):
    def for_user(self, user: Any) -> Self:
        """The user's links in force (an ended link gives no access and is not listed)."""
        return super().for_user(user).filter(ended_at__isnull=True)

    def end(self, reason: str, now: dt.datetime | None = None) -> list[CustomerLink]:
        """End the links in force of this queryset (ZIS removed their customer, say): the link
        keeps who it linked to (`customer_number`, `customer_name`) and why it ended, and stops
        giving access. Returns the links ended."""
        now = now or timezone.now()
        ended = list(self.filter(ended_at__isnull=True).select_related("customer", "user"))
        for link in ended:
            if link.customer_id is not None:
                link.customer_number = link.customer.number
                link.customer_name = link.customer.name
            link.customer = None
            link.ended_at = now
            link.end_reason = reason
        type(self)(self.model, using=self.db).bulk_update(
            ended, ["customer_number", "customer_name", "customer", "ended_at", "end_reason"]
        )
        if ended:
            generations.bump_on_commit()  # pages look for ended links again (accounts.notices)
        return ended

    def ended_unannounced(self, user: Any) -> Self:
        """The user's links that ended and of which the user has not been told yet."""
        return super().for_user(user).filter(ended_at__isnull=False, announced_at__isnull=True)


class CustomerLink(models.Model):
    """A portal user may act for a customer; a user may hold several, a customer several users.

    A link ends (it is not deleted) when ZIS removes its customer: `customer` becomes empty,
    `customer_number`/`customer_name` say whom it linked and `end_reason` why; the user is told
    once, on the next visit (`announced_at`).
    """

    class EndReason(models.TextChoices):
        REMOVED_IN_ZIS = "removed_in_zis", _("the customer is no longer in the billing system")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="customer_links",
    )
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=32, choices=EndReason.choices, blank=True
    )
    announced_at = models.DateTimeField(_("user told of the end at"), null=True, blank=True)
    customer_number = models.CharField(_("customer number"), max_length=32, blank=True)
    customer_name = models.CharField(_("customer name"), max_length=255, blank=True)

    objects = CustomerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")
        constraints = [
            models.UniqueConstraint(fields=["user", "customer"], name="customer_link_unique"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, customer__isnull=False)
                | models.Q(ended_at__isnull=False, customer__isnull=True),
                name="customer_link_customer_unless_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.customer_label}"

    @property
    def customer_label(self) -> str:
        """The customer, also after the link ended (from what the link kept)."""
        if self.customer is not None:
            return str(self.customer)
        return f"{self.customer_number} {self.customer_name}".strip()

    customer_label.fget.short_description = _("customer")


HASH_ALGORITHM = "sha256"


def normalize_code(code: str) -> str:
    """Codes are compared without spaces and dashes, case-insensitively."""
    return "".join(ch for ch in code.upper() if ch not in " -")


def hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${normalize_code(code)}".encode()).hexdigest()
    return f"{HASH_ALGORITHM}${salt}${digest}"


def code_matches(code: str, encoded: str) -> bool:
    algorithm, _sep, rest = encoded.partition("$")
    salt, _sep, _digest = rest.partition("$")
    if algorithm != HASH_ALGORITHM or not salt:
        return False
    return hmac.compare_digest(hash_code(code, salt), encoded)


class ActivationCode(models.Model):
    """A code from ZIS (with its ZIS id) or issued by an operator (without)."""

    zis_id = models.CharField(_("ZIS id"), max_length=64, unique=True, null=True, blank=True)
    zis_updated_at = models.DateTimeField(_("changed in ZIS"), null=True, blank=True)
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["customer", "-created_at"]

    def __str__(self) -> str:
        return f"{self.customer_id} ({self.valid_until or '—'})"

    def set_code(self, code: str) -> None:
        self.code_hash = hash_code(code)

    def check_code(self, code: str) -> bool:
        return code_matches(code, self.code_hash)

    def is_usable(self, today: dt.date) -> bool:
        return self.used_at is None and (self.valid_until is None or today <= self.valid_until)


class AccountProfile(models.Model):
    """A portal user's preferences; a user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="account_profile",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.CZECH
    )
    notify_request_decisions = models.BooleanField(
        _("e-mail me when a request is decided"), default=True
    )
    # One switch per kind of e-mail the portal sends on its own initiative; the defaults are what
    # a customer expects without asking (reminders are opt-in, everything else opt-out).
    notify_notices = models.BooleanField(
        _("e-mail me about outages and works affecting my supply points"), default=True
    )
    notify_warnings = models.BooleanField(
        _("e-mail me about leak and high-usage warnings"), default=True
    )
    notify_reminders = models.BooleanField(
        _("e-mail me before an advance or an invoice falls due"), default=False
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days before the due date"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    notify_invitations = models.BooleanField(
        _("e-mail me an invitation to report a meter reading"), default=True
    )
    # Paperless: the customer's consent goes to ZIS (EInvoiceConsent), which stops the paper post.
    einvoice = models.BooleanField(
        _("send me invoices and payment calendars by e-mail instead of paper"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        constraints = [language_check("account_profile_language_valid")]

    def __str__(self) -> str:
        return str(self.user)


class LinkAttemptQuerySet(UserOwnedQuerySet):
    def failures_since(self, since) -> Self:
        return self.filter(outcome=LinkAttempt.Outcome.WRONG, at__gt=since)


class LinkAttempt(models.Model):
    """One try to link a customer with a customer number and an activation code."""

    class Outcome(models.TextChoices):
        LINKED = "linked", _("linked")
        WRONG = "wrong", _("wrong customer number or code")
        EXPIRED = "expired", _("code expired or already used")
        ALREADY_LINKED = "already_linked", _("already linked")
        LOCKED = "locked", _("refused: too many wrong attempts")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="link_attempts",
    )
    customer_number = models.CharField(_("customer number tried"), max_length=64)
    ip_hash = models.CharField(_("IP address (hashed)"), max_length=64, blank=True)
    success = models.BooleanField(_("success"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    activation_code = models.ForeignKey(
        "portal.ActivationCode",
        verbose_name=_("activation code"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    objects = LinkAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("linking attempt")
        verbose_name_plural = _("linking attempts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["user", "at"], name="link_attempt_user_idx"),
            models.Index(fields=["customer_number", "at"], name="link_attempt_number_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(success=False) | models.Q(outcome="linked"),
                name="link_attempt_success_means_linked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_number} {self.get_outcome_display()} {self.at:%Y-%m-%d %H:%M}"


class EInvoiceConsent(models.Model):
    """A customer's consent to e-invoices (paperless) given or withdrawn by one of its users.

    One row per change and customer, never edited: ZIS learns each one from the next outbound
    batch (`einvoice_consents.jsonl`, zis/EXCHANGE.md) and stops or resumes the paper post.
    """

    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="einvoice_consents",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    consented = models.BooleanField(_("consent given"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    outbound_batch_id = models.CharField(
        _("outbound batch"), max_length=64, blank=True, db_index=True
    )

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("e-invoice consent")
        verbose_name_plural = _("e-invoice consents")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.customer_id} {'+' if self.consented else '-'} {self.at:%Y-%m-%d %H:%M}"
