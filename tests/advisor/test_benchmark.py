"""A supply point without history is projected at the legal benchmark for its household: the
figure the comparison and the warnings use, with the number of people the customer gave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.advisor.services import recompute
from portal.insights.rules import benchmark_per_year as insights_benchmark
from portal.models import AdvanceProjection, SupplyPointPreferences
from tests.factories import billing as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def test_no_history_is_projected_at_the_benchmark_for_the_household():
    point = f.SupplyPointFactory(is_household=True)
    f.MeterFactory(supply_point=point)
    recompute([point.pk], today=TODAY)
    projection = AdvanceProjection.objects.get(supply_point=point)
    assert projection.basis == "benchmark"
    assert projection.daily_volume == Decimal("0.197")  # 2 people assumed: 72 m³ / 365
    assert insights_benchmark(None) == Decimal("72")

    SupplyPointPreferences.objects.create(supply_point=point, people=3)
    recompute([point.pk], today=TODAY)
    projection = AdvanceProjection.objects.get(supply_point=point)
    assert projection.daily_volume == Decimal("0.296")  # 108 m³ / 365
    assert insights_benchmark(3) == Decimal("108")
