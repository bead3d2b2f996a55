"""The warning rules: each fires once per episode, and not for normal use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.insights.models import (
    AnnualConsumption,
    AwayPeriod,
    ConsumptionWarning,
    SupplyPointPreferences,
)
from portal.insights.warnings import compute_warnings, customers_with_open_warnings
from portal.models import Notification
from tests.factories.accounts import CustomerLinkFactory, UserFactory
from tests.factories.billing import (
    DailyConsumptionFactory,
    MeterFactory,
    ReadingFactory,
    SupplyPointFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
Rule = ConsumptionWarning.Rule


def remote_point(volumes: list[str], *, point=None):
    """A remote-read supply point whose last days (the newest is TODAY) had `volumes`."""
    point = point or SupplyPointFactory()
    meter = MeterFactory(supply_point=point, remote_read=True)
    first = TODAY - dt.timedelta(days=len(volumes) - 1)
    for index, volume in enumerate(volumes):
        DailyConsumptionFactory(
            meter=meter, day=first + dt.timedelta(days=index), volume=Decimal(volume)
        )
    return point


def with_user(point):
    user = UserFactory()
    CustomerLinkFactory(user=user, customer=point.customer)
    return user


def rules_of(point) -> set[str]:
    return set(
        ConsumptionWarning.objects.filter(supply_point=point, closed_on__isnull=True).values_list(
            "rule", flat=True
        )
    )


def warning_emails() -> list[Notification]:
    return list(Notification.objects.filter(template="warning"))


def test_normal_use_warns_of_nothing():
    # A household of two: 0.1–0.3 m³ a day, some days nothing.
    normal = ["0.2", "0.3", "0.1", "0", "0.25", "0.2", "0.15"] * 5
    point = remote_point(normal)
    with_user(point)
    compute_warnings(TODAY)
    assert rules_of(point) == set()
    assert warning_emails() == []


def test_continuous_flow_warns_once_per_episode():
    history = ["0.2", "0", "0.3", "0.1"] * 7
    point = remote_point(history + ["0.6"] * 7)
    user = with_user(point)
    compute_warnings(TODAY)
    assert Rule.CONTINUOUS_FLOW in rules_of(point)
    emails = warning_emails()
    assert [e.recipient for e in emails] == [user.email] * len(emails)
    sent_first = len(emails)

    # The next import with the leak still on: the same episode, no new e-mail.
    meter = point.meters.get()
    DailyConsumptionFactory(meter=meter, day=TODAY + dt.timedelta(days=1), volume=Decimal("0.7"))
    compute_warnings(TODAY + dt.timedelta(days=1))
    assert ConsumptionWarning.objects.filter(rule=Rule.CONTINUOUS_FLOW).count() == 1
    assert len(warning_emails()) == sent_first

    # Repaired: a day with no flow closes the episode; a new leak later is a new one.
    DailyConsumptionFactory(meter=meter, day=TODAY + dt.timedelta(days=2), volume=Decimal("0"))
    compute_warnings(TODAY + dt.timedelta(days=2))
    assert Rule.CONTINUOUS_FLOW not in rules_of(point)
    for offset in range(3, 10):
        DailyConsumptionFactory(
            meter=meter, day=TODAY + dt.timedelta(days=offset), volume=Decimal("0.8")
        )
    compute_warnings(TODAY + dt.timedelta(days=9))
    assert ConsumptionWarning.objects.filter(rule=Rule.CONTINUOUS_FLOW).count() == 2
    assert Rule.CONTINUOUS_FLOW in rules_of(point)


def test_a_day_above_the_customers_limit():
    point = remote_point(["0.2", "0.1", "0.3", "0.2"] * 7 + ["0.2"] * 6 + ["0.9"])
    SupplyPointPreferences.objects.create(supply_point=point, daily_limit=Decimal("0.5"))
    compute_warnings(TODAY)
    assert Rule.OVER_LIMIT in rules_of(point)
    below = remote_point(["0.2"] * 35)
    SupplyPointPreferences.objects.create(supply_point=below, daily_limit=Decimal("0.5"))
    compute_warnings(TODAY)
    assert Rule.OVER_LIMIT not in rules_of(below)


def test_a_step_up_against_the_recent_median():
    point = remote_point(["0.2", "0.1", "0.2", "0"] * 7 + ["0.5", "0.6", "0", "0.4"] + ["0.5"] * 3)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.STEP_UP}


def test_any_consumption_while_away():
    point = remote_point(["0.2"] * 28 + ["0"] * 6 + ["0.01"])
    AwayPeriod.objects.create(supply_point=point, start=TODAY - dt.timedelta(days=6), end=TODAY)
    quiet = remote_point(["0.2"] * 28 + ["0"] * 7)
    AwayPeriod.objects.create(supply_point=quiet, start=TODAY - dt.timedelta(days=6), end=TODAY)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.AWAY}
    assert rules_of(quiet) == set()


def manual_point(readings: list[tuple[dt.date, str]], *, household: bool = True):
    point = SupplyPointFactory(is_household=household)
    meter = MeterFactory(supply_point=point)
    for day, value in readings:
        ReadingFactory(meter=meter, date=day, value=Decimal(value))
    return point


def test_a_manual_reading_far_above_the_history():
    year = dt.timedelta(days=365)
    base = TODAY - 2 * year
    usual = manual_point([(base, "100"), (base + year, "170"), (TODAY, "240")])
    high = manual_point([(base, "100"), (base + year, "170"), (TODAY, "400")])
    compute_warnings(TODAY)
    assert rules_of(usual) == set()
    assert rules_of(high) == {Rule.HIGH_READING}


def test_a_first_reading_against_the_legal_benchmark():
    # No history: a household of two is expected to use about 72 m³ a year.
    start = TODAY - dt.timedelta(days=182)
    within = manual_point([(start, "0"), (TODAY, "40")])
    above = manual_point([(start, "0"), (TODAY, "100")])
    compute_warnings(TODAY)
    assert rules_of(within) == set()
    assert rules_of(above) == {Rule.HIGH_READING}


def test_no_email_for_users_who_switched_warnings_off():
    from portal.accounts.services import get_profile

    point = remote_point(["0.8"] * 35)
    user = with_user(point)
    profile = get_profile(user)
    profile.notify_warnings = False
    profile.save()
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.CONTINUOUS_FLOW}
    assert warning_emails() == []


def test_operators_count_customers_with_an_open_warning():
    remote_point(["0.8"] * 35)
    remote_point(["0.8"] * 35)
    remote_point(["0.2"] * 35)
    compute_warnings(TODAY)
    assert customers_with_open_warnings() == 2


def test_the_leak_email_says_what_happened_in_czech():
    from portal.notifications.services import render_notification

    point = remote_point(["0.8"] * 35)
    with_user(point)
    compute_warnings(TODAY)
    (email,) = warning_emails()
    rendered = render_notification(email)
    assert "Možný únik vody" in rendered.subject
    assert point.number in rendered.text
    assert "7 dní" in rendered.text


def test_each_point_is_judged_on_all_its_meters_whatever_order_they_came_in():
    # The computation reads the whole utility at once, by supply point: meters created out of
    # order, two meters at one point and both kinds of meter at one point must come together.
    year = dt.timedelta(days=365)
    base = TODAY - 2 * year
    first, second = SupplyPointFactory(is_household=True), SupplyPointFactory(is_household=True)
    # Two remote meters at `first` (created around `second`'s): their days add up to a leak.
    leak_a = MeterFactory(supply_point=first, remote_read=True)
    usual = MeterFactory(supply_point=second)
    leak_b = MeterFactory(supply_point=first, remote_read=True)
    high = MeterFactory(supply_point=second)
    for offset in range(35):
        day = TODAY - dt.timedelta(days=offset)
        for meter in (leak_a, leak_b):
            DailyConsumptionFactory(meter=meter, day=day, volume=Decimal("0.3"))
    # At `second`, one manual meter as usual and one far above its history.
    for meter, last in ((usual, "240"), (high, "400")):
        for day, value in ((base, "100"), (base + year, "170"), (TODAY, last)):
            ReadingFactory(meter=meter, date=day, value=Decimal(value))
    # A manual meter at `first` too: its history makes the reading rule quiet there.
    manual = MeterFactory(supply_point=first)
    for day, value in ((base, "0"), (base + year, "70"), (TODAY, "140")):
        ReadingFactory(meter=manual, date=day, value=Decimal(value))

    compute_warnings(TODAY)

    assert rules_of(first) == {Rule.CONTINUOUS_FLOW}  # 0.6 m³ a day, only with both meters
    assert rules_of(second) == {Rule.HIGH_READING}
    warning = ConsumptionWarning.objects.get(supply_point=second)
    assert warning.volume == Decimal("0.630")  # (400 - 170) / 365, the meter that fired
    # `first`'s year: its manual meter's 70 m³ plus the remote meters' 35 days × 0.6 m³.
    assert AnnualConsumption.objects.get(supply_point=first).volume == Decimal("91")
