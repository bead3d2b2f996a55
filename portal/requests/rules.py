"""The rules of customer requests that the utility sets itself (Settings → Portal settings)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="form")
class PortalSettings(BaseSiteSetting):
    """Rules of the customer portal the utility sets itself (Settings → Portal)."""

    self_readings_per_period = models.PositiveSmallIntegerField(
        _("self-readings per meter and billing period"),
        default=1,
        help_text=_("How many self-readings a customer may submit per meter; 0 means no limit."),
    )
    plausibility_low_factor = models.DecimalField(
        _("plausible consumption, lower bound"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.30"),
        help_text=_("Times the expected daily consumption; below it the customer must confirm."),
    )
    plausibility_high_factor = models.DecimalField(
        _("plausible consumption, upper bound"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        help_text=_("Times the expected daily consumption; above it the customer must confirm."),
    )
    benchmark_m3_per_year = models.DecimalField(
        _("benchmark consumption without history (m³ per year)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("35.00"),
        help_text=_(
            "Used when a supply point has no reading history: the legal benchmark "
            "(směrná čísla, decree 428/2001, annex 12) for one person in a household."
        ),
    )
    invitation_days_before = models.PositiveSmallIntegerField(
        _("reading invitations: days before the reading date"),
        default=14,
        help_text=_(
            "Customers with a manually read meter get an e-mail with a link to report the "
            "reading this many days before the supply point's reading date; 0 sends none."
        ),
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("reading invitations: days the link stays valid after the reading date"),
        default=14,
    )
    advance_change_below_percent = models.DecimalField(
        _("advance change approved at once: at most this many % below the suggestion"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text=_(
            "A new advance from this many percent below the advisor's suggestion upwards is "
            "approved at once; a lower one goes to the operators."
        ),
    )
    advance_change_min_amount = models.DecimalField(
        _("advance change approved at once: minimum advance (CZK)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("100.00"),
        help_text=_("A new advance below this amount goes to the operators."),
    )
    advance_changes_per_period = models.PositiveSmallIntegerField(
        _("advance changes approved at once per supply point and billing period"),
        default=1,
        help_text=_(
            "Further changes in the same billing period go to the operators; 0 means no limit."
        ),
    )

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def clean(self) -> None:
        super().clean()
        low, high = self.plausibility_low_factor, self.plausibility_high_factor
        if low is not None and high is not None and not (0 <= low < high):
            raise ValidationError(
                {
                    "plausibility_high_factor": _(
                        "The upper bound must be greater than the lower bound, and the lower "
                        "bound at least 0."
                    )
                }
            )
        below = self.advance_change_below_percent
        if below is not None and not (0 <= below <= 100):
            raise ValidationError(
                {"advance_change_below_percent": _("Enter a percentage from 0 to 100.")}
            )
        if self.advance_change_min_amount is not None and self.advance_change_min_amount < 0:
            raise ValidationError(
                {"advance_change_min_amount": _("The minimum advance cannot be negative.")}
            )
        if self.benchmark_m3_per_year is not None and self.benchmark_m3_per_year <= 0:
            raise ValidationError(
                {"benchmark_m3_per_year": _("The benchmark consumption must be greater than 0.")}
            )
