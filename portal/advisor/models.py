"""AdvanceProjection: the projected settlement of a supply point's billing period, one row per
supply point, recomputed after each ZIS import and each approved self-reading (so that pages
read it in one query instead of computing it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import MONEY, VOLUME
from portal.lib.querysets import customer_scoped


class AdvanceProjection(models.Model):
    class Basis(models.TextChoices):
        HISTORY = "history", _("the supply point's own consumption over the last year")
        SEASONAL = "seasonal", _("the supply point's own daily values, month by month")
        BENCHMARK = "benchmark", _("the legal benchmark consumption (no history yet)")

    supply_point = models.OneToOneField(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="advance_projection",
    )
    computed_at = models.DateTimeField(_("computed at"))
    computed_for = models.DateField(_("as of"))
    period_start = models.DateField(_("billing period start"))
    period_end = models.DateField(_("billing period end"))
    measured_until = models.DateField(_("measured until"), null=True, blank=True)
    measured_volume = models.DecimalField(_("measured consumption (m³)"), **VOLUME)
    daily_volume = models.DecimalField(_("daily consumption (m³)"), **VOLUME)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    projected_volume = models.DecimalField(_("projected rest (m³)"), **VOLUME)
    total_volume = models.DecimalField(_("consumption of the period (m³)"), **VOLUME)
    amount_base = models.DecimalField(_("tax base"), **MONEY)
    amount_vat = models.DecimalField(_("VAT"), **MONEY)
    amount_total = models.DecimalField(_("total"), **MONEY)
    advances_paid = models.DecimalField(_("advances paid"), **MONEY)
    advances_due = models.DecimalField(_("advances still due"), **MONEY)
    settlement = models.DecimalField(_("projected settlement"), **MONEY)
    advance_amount = models.DecimalField(_("current advance"), **MONEY)
    advances_per_period = models.PositiveSmallIntegerField(_("advances per period"))
    suggested_advance = models.DecimalField(_("suggested advance"), **MONEY)
    # [{"first", "last", "volume", "per_m3", "vat_rate", "base"}] and [{"rate", "base", "vat"}],
    # decimals and dates as strings: the priced steps shown to the customer.
    lines = models.JSONField(_("priced consumption"), default=list)
    vat = models.JSONField(_("VAT by rate"), default=list)

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("advance projection")
        verbose_name_plural = _("advance projections")

    def __str__(self) -> str:
        return f"{self.supply_point_id} {self.period_start}–{self.period_end}: {self.settlement}"

    @property
    def is_underpayment(self) -> bool:
        return self.settlement > 0

    @property
    def is_overpayment(self) -> bool:
        return self.settlement < 0

    @property
    def advances_total(self) -> Decimal:
        return self.advances_paid + self.advances_due

    @property
    def settlement_abs(self) -> Decimal:
        return abs(self.settlement)

    @property
    def priced_lines(self) -> list[dict[str, Any]]:
        """`lines` with dates and decimals again, for the templates."""
        return [
            {
                "first": dt.date.fromisoformat(line["first"]),
                "last": dt.date.fromisoformat(line["last"]),
                "volume": Decimal(line["volume"]),
                "per_m3": Decimal(line["per_m3"]),
                "vat_rate": Decimal(line["vat_rate"]),
                "base": Decimal(line["base"]),
            }
            for line in self.lines
        ]

    @property
    def vat_lines(self) -> list[dict[str, Decimal]]:
        return [{key: Decimal(value) for key, value in row.items()} for row in self.vat]
