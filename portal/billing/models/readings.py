"""Meter readings (odečty) and the daily volumes of remote-read meters."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import VOLUME
from portal.lib.querysets import customer_scoped

from .mirror import ZisMirrored


class Reading(ZisMirrored):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular reading")
        SELF = "self", _("self-reading")
        ESTIMATED = "estimated", _("estimate")
        REMOTE = "remote", _("remote reading")
        REPLACEMENT = "replacement", _("meter replacement")

    class Replacement(models.TextChoices):
        INITIAL = "initial", _("initial reading of the new meter")
        FINAL = "final", _("final reading of the old meter")

    meter = models.ForeignKey(
        "portal.Meter",
        verbose_name=_("meter"),
        on_delete=models.PROTECT,
        related_name="readings",
        db_index=False,
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("meter reading (m³)"), **VOLUME)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    replacement = models.CharField(
        _("replacement role"), max_length=8, choices=Replacement.choices, blank=True
    )

    objects = customer_scoped("meter__supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["meter", "date"]
        constraints = [
            # Its index (meter, date, kind) also serves "readings of a meter by date".
            models.UniqueConstraint(fields=["meter", "date", "kind"], name="reading_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="reading_value_non_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=["regular", "self", "estimated", "remote", "replacement"]),
                name="reading_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="replacement", replacement__in=["initial", "final"])
                | (~Q(kind="replacement") & Q(replacement="")),
                name="reading_replacement_role_iff_replacement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.date}: {self.value} m³"


class DailyConsumption(ZisMirrored):
    """The volume a remote-read meter measured on one day."""

    meter = models.ForeignKey(
        "portal.Meter",
        verbose_name=_("meter"),
        on_delete=models.PROTECT,
        related_name="daily_consumption",
        db_index=False,  # an index below starts with this column
    )
    day = models.DateField(_("day"))
    volume = models.DecimalField(_("volume (m³)"), **VOLUME)

    objects = customer_scoped("meter__supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("daily consumption")
        verbose_name_plural = _("daily consumption")
        ordering = ["meter", "day"]
        constraints = [
            # Its index (meter, day) serves the consumption chart.
            models.UniqueConstraint(fields=["meter", "day"], name="daily_consumption_unique"),
            models.CheckConstraint(
                condition=Q(volume__gte=0), name="daily_consumption_volume_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.day}: {self.volume} m³"
