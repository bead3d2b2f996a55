"""The customer's own settings of a supply point (daily limit, people, away periods) and what its
consumption page shows; callers pass a supply point already scoped to the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F

from portal.billing.models import SupplyPoint
from portal.insights.models import AwayPeriod, ConsumptionWarning, SupplyPointPreferences

RECENT_WARNINGS = 10


def preferences(point: SupplyPoint) -> SupplyPointPreferences | None:
    return SupplyPointPreferences.objects.filter(supply_point=point).first()


def save_preferences(point: SupplyPoint, daily_limit: Decimal | None, people: int | None) -> None:
    SupplyPointPreferences.objects.update_or_create(
        supply_point=point, defaults={"daily_limit": daily_limit, "people": people}
    )


def add_away_period(point: SupplyPoint, start: dt.date, end: dt.date) -> None:
    AwayPeriod.objects.get_or_create(supply_point=point, start=start, end=end)


def remove_away_period(point: SupplyPoint, period_pk: int | None) -> None:
    AwayPeriod.objects.filter(supply_point=point, pk=period_pk).delete()


def away_periods(point: SupplyPoint) -> list[AwayPeriod]:
    return list(AwayPeriod.objects.filter(supply_point=point))


def recent_warnings(point: SupplyPoint) -> list[ConsumptionWarning]:
    """Open warnings first, then the newest closed ones. The open ones (no `closed_on`) are put
    first explicitly: PostgreSQL sorts NULLs after every date, SQLite before."""
    rows = ConsumptionWarning.objects.filter(supply_point=point).order_by(
        F("closed_on").desc(nulls_first=True), "-opened_on"
    )
    return list(rows[:RECENT_WARNINGS])
