"""What the accounts feature keeps: a user's preferences, linking attempts, operators' access log.

The customer link itself (`CustomerLink`) and the activation codes live beside the billing data;
`portal.accounts.services` builds linking on top of them.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountProfileQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class AccountProfile(models.Model):
    """A portal user's preferences; a user without a row has the defaults."""

    class Language(models.TextChoices):
        CZECH = "cs", _("Czech")
        ENGLISH = "en", _("English")

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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccountProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["cs", "en"]), name="account_profile_language_valid"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class LinkAttemptQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

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


class OperatorAccessLog(models.Model):
    """A staff member opened a customer's data in the admin. Survives the user and the customer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user_display = models.CharField(_("operator (as logged)"), max_length=255)
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    customer_number = models.CharField(_("customer number"), max_length=32)
    what = models.CharField(_("what was opened"), max_length=255)
    view_name = models.CharField(_("admin view"), max_length=200, blank=True)
    path = models.CharField(_("web address"), max_length=500, blank=True)
    ip_hash = models.CharField(_("IP address (hashed)"), max_length=64, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("operator access")
        verbose_name_plural = _("operator access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["customer", "at"], name="operator_access_customer_idx"),
            models.Index(fields=["user", "at"], name="operator_access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_display} → {self.customer_number}: {self.what}"
