"""Operators see how many customers have an open warning, and nothing about them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.insights.models import ConsumptionWarning
from tests.factories.billing import SupplyPointFactory

pytestmark = pytest.mark.django_db


def test_the_admin_dashboard_counts_customers_with_an_open_warning(operator_client):
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Žádný odběratel nemá otevřené upozornění na spotřebu." in home
    for rule in (ConsumptionWarning.Rule.CONTINUOUS_FLOW, ConsumptionWarning.Rule.STEP_UP):
        point = SupplyPointFactory()
        ConsumptionWarning.objects.create(
            supply_point=point,
            rule=rule,
            opened_on=dt.date(2026, 11, 30),
            last_day=dt.date(2026, 11, 30),
            volume=Decimal("0.6"),
        )
    closed = SupplyPointFactory()
    ConsumptionWarning.objects.create(
        supply_point=closed,
        rule=ConsumptionWarning.Rule.AWAY,
        opened_on=dt.date(2026, 11, 1),
        last_day=dt.date(2026, 11, 2),
        closed_on=dt.date(2026, 11, 3),
        volume=Decimal("0.1"),
    )
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 odběratelé mají otevřené upozornění na spotřebu" in home
