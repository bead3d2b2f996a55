"""Rainwater charges (srážkové vody) of a customer's supply points, year by year.

Q [m³/year] = Σ (area × runoff coefficient) × long-term precipitation normal [m/year], charged at
the sewage price (§ 20 odst. 6 of act 274/2001 Sb., vyhl. 428/2001 příloha 16). The portal shows
ZIS's figures and recomputes the volume from the areas to show how it was reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from portal.billing.models.customers import Customer
from portal.billing.models.rainwater import RainwaterArea, RainwaterAssessment
from portal.billing.models.supply_points import SupplyPoint
from portal.lib.money import total

from .supply_points import SUPPLY_POINTS_PER_PAGE


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


@dataclass
class AssessmentList:
    """One page of the supply points with rainwater assessments (by number), each with its years."""

    page: Page
    groups: list[SupplyPointAssessments]

    @classmethod
    def of(cls, groups: list[SupplyPointAssessments]) -> AssessmentList:
        """A one-page list of given groups (the admin preview's sample data)."""
        page = Paginator(groups, SUPPLY_POINTS_PER_PAGE).get_page(1)
        return cls(page, list(page.object_list))


def list_assessments(user: Any, customer: Customer, page_number: Any = 1) -> AssessmentList:
    """One page of the customer's supply points that have assessments, by number, each with its
    assessments newest year first (three queries whatever the number of points). A page number
    out of range shows the last page, as the invoices list does."""
    assessed = RainwaterAssessment.objects.filter(supply_point=OuterRef("pk"))
    points = (
        SupplyPoint.objects.for_user(user)
        .filter(customer=customer)
        .filter(Exists(assessed))
        .order_by("number")
    )
    page = Paginator(points, SUPPLY_POINTS_PER_PAGE).get_page(page_number)
    groups = {point.pk: SupplyPointAssessments(point, []) for point in page.object_list}
    assessments = (
        RainwaterAssessment.objects.for_user(user)
        .filter(supply_point__in=list(groups))
        .order_by("supply_point", "-year")
    )
    for assessment in assessments:
        group = groups[assessment.supply_point_id]
        assessment.supply_point = group.supply_point  # no query per row
        group.assessments.append(AssessmentView(assessment))
    return AssessmentList(page, list(groups.values()))


def get_assessment(user: Any, assessment_pk: int) -> AssessmentView:
    """One assessment of `user`'s supply points; 404 for anyone else's (one query)."""
    assessments = RainwaterAssessment.objects.for_user(user).select_related("supply_point")
    return AssessmentView(get_object_or_404(assessments, pk=assessment_pk))
