"""Field shapes shared by every model that stores money, volumes or VAT rates."""

from __future__ import annotations

from typing import Any

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
