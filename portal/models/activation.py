"""Activation codes: a customer number plus one of these links a portal account to a customer.

Only a salted SHA-256 of the code is stored. Codes are random and short-lived, and every attempt is
rate-limited by the accounts flow; a slow password hash would make importing thousands of codes
from ZIS take minutes without adding real protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from .base import scoped_queryset

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

    objects = scoped_queryset("customer").as_manager()

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
