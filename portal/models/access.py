"""Which portal users may see which customers. The accounts issue builds linking on top of it."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerLinkQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class CustomerLink(models.Model):
    """A portal user may act for a customer; a user may hold several, a customer several users."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="customer_links",
    )
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    objects = CustomerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")
        constraints = [
            models.UniqueConstraint(fields=["user", "customer"], name="customer_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.customer}"
