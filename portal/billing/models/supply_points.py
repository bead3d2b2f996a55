"""Supply points (odběrná místa), their meters and the tariffs that price them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.lib.addresses import AddressFields
from portal.lib.fields import MONEY, vat_rate_check, vat_rate_field
from portal.lib.querysets import customer_scoped

from .mirror import ZisMirrored


class Tariff(ZisMirrored):
    """A price list (e.g. "household water and sewage"); its prices change by period."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)

    objects = customer_scoped("supply_points__customer", distinct=True).as_manager()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    def price_on(self, day: dt.date) -> TariffPrice | None:
        return (
            self.prices.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )


class TariffPrice(models.Model):
    """Prices per m³ without VAT valid in one period; part of its tariff, replaced with it."""

    tariff = models.ForeignKey(
        Tariff,
        verbose_name=_("tariff"),
        on_delete=models.CASCADE,
        related_name="prices",
        db_index=False,
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    water_price = models.DecimalField(_("water charge per m³"), **MONEY)
    sewage_price = models.DecimalField(_("sewage charge per m³"), **MONEY)
    vat_rate = vat_rate_field()

    objects = customer_scoped("tariff__supply_points__customer", distinct=True).as_manager()

    class Meta:
        verbose_name = _("tariff price")
        verbose_name_plural = _("tariff prices")
        ordering = ["tariff", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "valid_from"], name="tariff_price_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="tariff_price_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(water_price__gte=0, sewage_price__gte=0),
                name="tariff_price_non_negative",
            ),
            vat_rate_check("tariff_price_vat_rate_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.tariff} {self.valid_from}"


class SupplyPoint(ZisMirrored, AddressFields):
    class AdvanceFrequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        SEMIANNUAL = "semiannual", _("every six months")
        ANNUAL = "annual", _("annually")

    class PaymentMethod(models.TextChoices):
        TRANSFER = "transfer", _("bank transfer")
        SIPO = "sipo", _("SIPO")

    number = models.CharField(_("supply point number"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="supply_points",
        db_index=False,  # an index below starts with this column
    )
    tariff = models.ForeignKey(
        Tariff,
        verbose_name=_("tariff"),
        on_delete=models.PROTECT,
        related_name="supply_points",
        null=True,
        blank=True,
    )
    is_household = models.BooleanField(_("household"), default=True)
    rainwater_charged = models.BooleanField(_("rainwater charged"), default=False)
    advance_amount = models.DecimalField(_("advance amount"), **MONEY)
    advance_frequency = models.CharField(
        _("advance frequency"), max_length=16, choices=AdvanceFrequency.choices
    )
    payment_method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices
    )
    sipo_number = models.CharField(_("SIPO connection number"), max_length=10, blank=True)

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("supply point")
        verbose_name_plural = _("supply points")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(advance_amount__gte=0), name="supply_point_advance_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(advance_frequency__in=["monthly", "quarterly", "semiannual", "annual"]),
                name="supply_point_advance_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(payment_method="transfer", sipo_number="")
                | (Q(payment_method="sipo") & ~Q(sipo_number="")),
                name="supply_point_sipo_number_iff_sipo",
            ),
        ]
        indexes = [models.Index(fields=["customer", "number"], name="supply_point_customer_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"


class Meter(ZisMirrored):
    supply_point = models.ForeignKey(
        SupplyPoint,
        verbose_name=_("supply point"),
        on_delete=models.PROTECT,
        related_name="meters",
        db_index=False,  # an index below starts with this column
    )
    serial_number = models.CharField(_("serial number"), max_length=64)
    installed_on = models.DateField(_("installed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    remote_read = models.BooleanField(_("remote-read"), default=False)

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["supply_point", "installed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("installed_on")),
                name="meter_removed_after_installed",
            ),
        ]
        indexes = [
            models.Index(fields=["supply_point", "installed_on"], name="meter_supply_point_idx"),
            models.Index(fields=["serial_number"], name="meter_serial_idx"),
        ]

    def __str__(self) -> str:
        return self.serial_number

    def is_active_on(self, day: dt.date) -> bool:
        return self.installed_on <= day and (self.removed_on is None or day <= self.removed_on)
