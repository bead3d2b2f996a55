"""Rainwater charges (srážkové vody) of a customer's supply points, year by year.

Q [m³/year] = Σ (area × runoff coefficient) × long-term precipitation normal [m/year], charged at
the sewage price (§ 20 odst. 6 of act 274/2001 Sb., vyhl. 428/2001 příloha 16). The portal shows
ZIS's figures and recomputes the volume from the areas to show how it was reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404

from portal.lib.money import total
from portal.models.customers import Customer
from portal.models.rainwater import RainwaterArea, RainwaterAssessment
from portal.models.supply_points import SupplyPoint


@dataclass
class AssessmentView:
    assessment: RainwaterAssessment

    @property
    def areas(self) -> list[RainwaterArea]:
        return self.assessment.areas()

    @property
    def charged_areas(self) -> list[RainwaterArea]:
        return [area for area in self.areas if area.area]

    @property
    def total_area(self) -> Decimal:
        return total(area.area for area in self.areas)

    @property
    def reduced_area(self) -> Decimal:
        """Σ area × coefficient, in m²."""
        return total(area.reduced_area for area in self.areas)

    @property
    def computed_volume(self) -> Decimal:
        return self.assessment.compute_volume()

    @property
    def volume_matches(self) -> bool:
        """Whether ZIS's volume is what the formula gives from the areas (to the litre)."""
        return self.computed_volume == Decimal(self.assessment.volume)


@dataclass
class SupplyPointAssessments:
    supply_point: SupplyPoint
    assessments: list[AssessmentView]  # newest year first


def list_assessments(user: Any, customer: Customer) -> list[SupplyPointAssessments]:
    """The customer's assessments grouped by supply point, newest year first (one query)."""
    assessments = (
        RainwaterAssessment.objects.for_user(user)
        .filter(supply_point__customer=customer)
        .select_related("supply_point")
        .order_by("supply_point__number", "-year")
    )
    groups: dict[int, SupplyPointAssessments] = {}
    for assessment in assessments:
        point = assessment.supply_point
        group = groups.setdefault(point.pk, SupplyPointAssessments(point, []))
        group.assessments.append(AssessmentView(assessment))
    return list(groups.values())


def get_assessment(user: Any, assessment_pk: int) -> AssessmentView:
    """One assessment of `user`'s supply points; 404 for anyone else's (one query)."""
    assessments = RainwaterAssessment.objects.for_user(user).select_related("supply_point")
    return AssessmentView(get_object_or_404(assessments, pk=assessment_pk))
