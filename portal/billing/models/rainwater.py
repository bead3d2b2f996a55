"""Rainwater charges (srážkové vody).

§ 20 odst. 6 of act 274/2001 Sb.; categories and coefficients from vyhl. 428/2001 příloha 16.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import MONEY, VOLUME
from portal.lib.querysets import customer_scoped

from .mirror import ZisMirrored

AREA = {"max_digits": 12, "decimal_places": 2}

# Runoff coefficients of the surface categories valid since 1 July 2022.
RUNOFF_COEFFICIENTS: dict[str, Decimal] = {
    "A": Decimal("0.9"),
    "B": Decimal("0.6"),
    "C": Decimal("0.4"),
    "D": Decimal("0.3"),
    "E": Decimal("0.1"),
    "F": Decimal("0.05"),
}
CATEGORY_NAMES = {
    "A": _("built-up and hard surfaces"),
    "B": _("green roof, 5 to 10 cm of soil"),
    "C": _("permeable paved surfaces"),
    "D": _("green roof, 11 to 30 cm of soil"),
    "E": _("green roof, 31 cm of soil or more"),
    "F": _("vegetation"),
}
CUBIC_METRE = Decimal("0.001")
CROWN = Decimal("0.01")


@dataclass(frozen=True)
class RainwaterArea:
    category: str
    name: str
    area: Decimal
    coefficient: Decimal

    @property
    def reduced_area(self) -> Decimal:
        return self.area * self.coefficient


class RainwaterAssessment(ZisMirrored):
    """The rainwater charge of one supply point for one year, as ZIS computed it."""

    supply_point = models.ForeignKey(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.PROTECT,
        related_name="rainwater_assessments",
        db_index=False,  # an index below starts with this column
    )
    year = models.PositiveSmallIntegerField(_("year"))
    area_a = models.DecimalField(_("area A (m²)"), default=0, **AREA)
    area_b = models.DecimalField(_("area B (m²)"), default=0, **AREA)
    area_c = models.DecimalField(_("area C (m²)"), default=0, **AREA)
    area_d = models.DecimalField(_("area D (m²)"), default=0, **AREA)
    area_e = models.DecimalField(_("area E (m²)"), default=0, **AREA)
    area_f = models.DecimalField(_("area F (m²)"), default=0, **AREA)
    precipitation_normal = models.DecimalField(
        _("long-term precipitation normal (m/year)"), max_digits=6, decimal_places=3
    )
    volume = models.DecimalField(_("volume (m³/year)"), **VOLUME)
    price = models.DecimalField(_("price per m³"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("rainwater assessment")
        verbose_name_plural = _("rainwater assessments")
        ordering = ["supply_point", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["supply_point", "year"], name="rainwater_unique"),
            models.CheckConstraint(
                condition=Q(
                    area_a__gte=0, area_b__gte=0, area_c__gte=0, area_d__gte=0, area_e__gte=0
                )
                & Q(area_f__gte=0),
                name="rainwater_areas_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(precipitation_normal__gt=0), name="rainwater_normal_positive"
            ),
            models.CheckConstraint(
                condition=Q(volume__gte=0, price__gte=0, amount__gte=0),
                name="rainwater_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply_point_id} {self.year}"

    def areas(self) -> list[RainwaterArea]:
        return [
            RainwaterArea(
                category=category,
                name=str(CATEGORY_NAMES[category]),
                area=Decimal(getattr(self, f"area_{category.lower()}")),
                coefficient=coefficient,
            )
            for category, coefficient in RUNOFF_COEFFICIENTS.items()
        ]

    def compute_volume(self) -> Decimal:
        """Q = Σ (area * runoff coefficient) * precipitation normal, in m³ to three places."""
        reduced = sum((area.reduced_area for area in self.areas()), Decimal(0))
        volume = reduced * Decimal(self.precipitation_normal)
        return volume.quantize(CUBIC_METRE, rounding=ROUND_HALF_UP)

    def compute_amount(self) -> Decimal:
        amount = Decimal(self.volume) * Decimal(self.price)
        return amount.quantize(CROWN, rounding=ROUND_HALF_UP)

    def recompute(self) -> None:
        """Set `volume` and `amount` from the areas, the normal and the price."""
        self.volume = self.compute_volume()
        self.amount = self.compute_amount()
