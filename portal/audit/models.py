"""The operators' access log: which staff member opened which customer's data in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OperatorAccessLog(models.Model):
    """A staff member opened a customer's data in the admin: one customer's detail (with the
    customer) or a list or search of customers' data (without one, with the query). Survives the
    user and the customer."""

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
    customer_number = models.CharField(_("customer number"), max_length=32, blank=True)
    what = models.CharField(_("what was opened"), max_length=255)
    query = models.CharField(_("search and filters"), max_length=500, blank=True)
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
        return f"{self.user_display} → {self.customer_number or self.query}: {self.what}"
