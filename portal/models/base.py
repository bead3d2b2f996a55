"""What every model mirrored from ZIS shares: its ZIS key, and a queryset scoped to a user."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}
VOLUME = {"max_digits": 14, "decimal_places": 3}
VAT_RATES = ("0", "10", "12", "15", "21")  # percent; stored on every line, never assumed


def vat_rate_field(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2, **kwargs)


def vat_rate_check(name: str, field: str = "vat_rate") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": [int(rate) for rate in VAT_RATES]}), name=name
    )


class CustomerScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to `Customer` (`customer_path`).

    `for_user(user)` keeps the rows of the customers linked to `user` (see `CustomerLink`);
    anyone else — including anonymous users — gets nothing.
    """

    customer_path = "customer"
    distinct_for_user = False

    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        prefix = f"{self.customer_path}__" if self.customer_path else ""
        scoped = self.filter(**{f"{prefix}links__user": user})
        return scoped.distinct() if self.distinct_for_user else scoped


def scoped_queryset(path: str, *, distinct: bool = False) -> type[CustomerScopedQuerySet]:
    """A `CustomerScopedQuerySet` subclass whose rows reach the customer through `path`."""
    return type(
        "ScopedQuerySet",
        (CustomerScopedQuerySet,),
        {"customer_path": path, "distinct_for_user": distinct, "__module__": __name__},
    )


class ZisMirrored(models.Model):
    """A row owned by ZIS: keyed by its stable ZIS id, with ZIS's last change time."""

    zis_id = models.CharField(_("ZIS id"), max_length=64, unique=True)
    zis_updated_at = models.DateTimeField(_("changed in ZIS"))

    class Meta:
        abstract = True
