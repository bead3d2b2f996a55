"""A small demo utility whose household's remote-read meter has run for a week: the setting of
the browser tests that need a leak warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Max

from portal.insights.warnings import compute_warnings
from portal.models import CustomerLink, DailyConsumption, Meter
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import UserFactory
from zis.demo import generate_batch
from zis.importer import import_batch


def leaking_demo_customer(folder: Path, email: str) -> tuple[Any, Any]:
    """Import a 6-point demo utility, link a new user (`email`) to the customer of a household
    with a remote-read meter, add 7 days of 0.9 m³ after its newest value and compute the
    warnings; returns the user and the supply point."""
    run = import_batch(generate_batch(folder, supply_points=6, years=2, seed=7), move=False)
    assert run.status == "succeeded", run.report
    ensure_portal_pages()
    meter = Meter.objects.filter(remote_read=True, supply_point__is_household=True).first()
    user = UserFactory(email=email)
    CustomerLink.objects.create(user=user, customer=meter.supply_point.customer)
    newest = DailyConsumption.objects.filter(meter=meter).aggregate(day=Max("day"))["day"]
    for offset in range(1, 8):
        DailyConsumption.objects.create(
            zis_id=f"LEAK-{offset}",
            zis_updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            meter=meter,
            day=newest + dt.timedelta(days=offset),
            volume=Decimal("0.9"),
        )
    compute_warnings(newest + dt.timedelta(days=7))
    return user, meter.supply_point
