"""What the insights feature keeps: the customer's own settings per supply point (daily limit,
number of people, "I am away" periods) and the warnings (one row per episode of a rule).

These live in the portal only; ZIS never sees them.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import VOLUME
from portal.lib.querysets import customer_scoped


class SupplyPointPreferences(models.Model):
    """The customer's settings for one supply point."""

    supply_point = models.OneToOneField(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="insight_preferences",
    )
    daily_limit = models.DecimalField(
        _("daily limit (m³)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("We warn you when a day's consumption is higher (remote-read meters)."),
        **VOLUME,
    )
    people = models.PositiveSmallIntegerField(
        _("number of people in the household"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("consumption settings")
        verbose_name_plural = _("consumption settings")

    def __str__(self) -> str:
        return str(self.supply_point)


class AwayPeriod(models.Model):
    """Days nobody is at the supply point: any consumption then is a warning."""

    supply_point = models.ForeignKey(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="away_periods",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("away period")
        verbose_name_plural = _("away periods")
        ordering = ["supply_point", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="away_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_point}: {self.start}–{self.end}"


class ConsumptionWarning(models.Model):
    """One episode of a warning rule at a supply point: open while the rule keeps firing, closed
    (`closed_on`) by the first computation in which it no longer does. A rule that fires again
    later opens a new episode (and a new e-mail)."""

    class Rule(models.TextChoices):
        CONTINUOUS_FLOW = "continuous_flow", _("water flowing every day (possible leak)")
        OVER_LIMIT = "over_limit", _("a day above your daily limit")
        STEP_UP = "step_up", _("consumption suddenly higher than usual")
        HIGH_READING = "high_reading", _("a reading far above the usual consumption")
        AWAY = "away", _("consumption while you are away")

    supply_point = models.ForeignKey(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="consumption_warnings",
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    opened_on = models.DateField(_("first seen on"))
    last_day = models.DateField(_("last day concerned"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    volume = models.DecimalField(_("volume (m³)"), **VOLUME)
    reference = models.DecimalField(
        _("usual or allowed volume (m³)"), null=True, blank=True, **VOLUME
    )
    days = models.PositiveIntegerField(_("days"), default=1)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("consumption warning")
        verbose_name_plural = _("consumption warnings")
        ordering = ["supply_point", "-opened_on"]
        constraints = [
            # At most one open episode of a rule per supply point.
            models.UniqueConstraint(
                fields=["supply_point", "rule"],
                condition=Q(closed_on__isnull=True),
                name="consumption_warning_one_open",
            )
        ]
        indexes = [
            models.Index(
                fields=["supply_point"], condition=Q(closed_on__isnull=True), name="warning_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_point}: {self.rule} {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class AnnualConsumption(models.Model):
    """A supply point's consumption over the last 365 days, as of the last computation, and its
    most specific comparison group ("household:<tariff>:<size class>" or "other:<tariff>"; see
    `portal.insights.comparison`)."""

    supply_point = models.OneToOneField(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="annual_consumption",
    )
    volume = models.DecimalField(_("volume (m³/year)"), **VOLUME)
    group = models.CharField(_("comparison group"), max_length=80, db_index=True)
    computed_on = models.DateField(_("computed on"))

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("annual consumption")
        verbose_name_plural = _("annual consumption")

    def __str__(self) -> str:
        return f"{self.supply_point}: {self.volume} m³"


class ComparisonGroup(models.Model):
    """The figures of a group of similar supply points: only aggregates, never a member."""

    key = models.CharField(_("comparison group"), max_length=80, unique=True)
    members = models.PositiveIntegerField(_("members"))
    lower_quartile = models.DecimalField(_("lower quartile (m³/year)"), **VOLUME)
    median = models.DecimalField(_("median (m³/year)"), **VOLUME)
    upper_quartile = models.DecimalField(_("upper quartile (m³/year)"), **VOLUME)
    computed_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")

    def __str__(self) -> str:
        return self.key
