"""What the personal API and the calendar feed keep: a user's API tokens and calendar feed.

A token or feed address is shown once, when it is made; only its SHA-256 is stored. Both are 32
random bytes, so a fast hash is enough (nobody can guess them from the hash), and looking a token
up by its hash is one indexed query per API call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.querysets import UserOwnedQuerySet

TOKEN_PREFIX = "pramen_"  # noqa: S105 - a visible marker, not a secret


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(UserOwnedQuerySet):
    def usable(self, now: dt.datetime | None = None) -> Self:
        """Tokens not revoked, not expired, of an active user."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token: read-only access to the user's customers (all, or one of them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="personal_api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # Empty: every customer the user is linked to. Deleting the customer deletes the token, so
    # a token never widens to all customers.
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    hint = models.CharField(_("beginning of the token"), max_length=16)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # Columns the "Download my data" export leaves out (see portal/accounts/export.py).
    export_exclude = ("token_hash", "hint")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(
        cls, user: Any, name: str, customer: Any = None, expires_at: dt.datetime | None = None
    ) -> tuple[ApiToken, str]:
        """A new token and its secret (the only time the secret exists in clear)."""
        secret = TOKEN_PREFIX + new_secret()
        token = cls.objects.create(
            user=user,
            name=name,
            customer=customer,
            expires_at=expires_at,
            token_hash=hash_secret(secret),
            hint=secret[: len(TOKEN_PREFIX) + 4],
        )
        return token, secret

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def revoke(self) -> bool:
        """Stop the token now; False when it was already revoked."""
        now = timezone.now()
        revoked = ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if revoked:
            self.revoked_at = now
        return bool(revoked)


class CalendarFeed(models.Model):
    """A user's secret calendar (iCalendar) address; replacing it makes the old one stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("address hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = UserOwnedQuerySet.as_manager()

    export_exclude = ("token_hash",)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def issue(cls, user: Any) -> tuple[CalendarFeed, str]:
        """A new secret address for `user`, replacing any earlier one."""
        secret = new_secret()
        feed, _created = cls.objects.update_or_create(
            user=user, defaults={"token_hash": hash_secret(secret), "last_used_at": None}
        )
        return feed, secret
