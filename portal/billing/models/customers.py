"""Customers (odběratelé) as ZIS knows them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib.addresses import MailingAddressFields, SeatAddressFields
from portal.lib.languages import Language, language_check
from portal.lib.querysets import customer_scoped

from .mirror import ZisMirrored


class Customer(ZisMirrored, MailingAddressFields, SeatAddressFields):
    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        BUSINESS = "business", _("business")

    number = models.CharField(_("customer number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    ico = models.CharField(_("company ID (IČO)"), max_length=8, blank=True)
    dic = models.CharField(_("VAT ID (DIČ)"), max_length=14, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.CZECH
    )

    objects = customer_scoped("").as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["household", "business"]), name="customer_kind_valid"
            ),
            language_check("customer_language_valid"),
        ]
        indexes = [models.Index(fields=["name"], name="customer_name_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_business(self) -> bool:
        return self.kind == self.Kind.BUSINESS
