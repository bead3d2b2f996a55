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
    return list(Notification.objects.filter(template="warning").order_by("pk"))


def test_normal_use_warns_of_nothing():
    # A household of two: 0.1–0.3 m³ a day, some days nothing.
    normal = ["0.2", "0.3", "0.1", "0", "0.25", "0.2", "0.15"] * 5
    point = remote_point(normal)
    with_user(point)
    compute_warnings(TODAY)
    assert rules_of(point) == set()
    assert warning_emails() == []


def add_days(point, start: dt.date, volumes: list[str]) -> None:
    """Daily volumes of `point`'s remote-read meter from `start` on."""
    meter = point.meters.get(remote_read=True)
    for index, volume in enumerate(volumes):
        DailyConsumptionFactory(
            meter=meter, day=start + dt.timedelta(days=index), volume=Decimal(volume)
        )


def emails_of(point, user) -> list[Notification]:
    return [
        e
        for e in warning_emails()
        if e.recipient == user.email and e.context["supply_point_number"] == point.number
    ]


def assert_once_per_episode(point, user, rule, *, rerun, repair, again) -> None:
    """`rule` is open at `point` with one e-mail; computing again on the same data sends
    nothing; after `repair` (which returns the day to compute on) it closes; after `again`
    (the same) a new episode opens with one more e-mail."""
    assert rule in rules_of(point)
    (first,) = [e for e in emails_of(point, user) if e.context["kind"] == rule]

    compute_warnings(rerun)
    compute_warnings(rerun)
    assert [e.pk for e in emails_of(point, user) if e.context["kind"] == rule] == [first.pk]
    assert ConsumptionWarning.objects.filter(supply_point=point, rule=rule).count() == 1

    compute_warnings(repair())
    assert rule not in rules_of(point)
    compute_warnings(again())
    assert rule in rules_of(point)
    assert ConsumptionWarning.objects.filter(supply_point=point, rule=rule).count() == 2
    second = [e for e in emails_of(point, user) if e.context["kind"] == rule]
    assert len(second) == 2
    latest = ConsumptionWarning.objects.filter(supply_point=point, rule=rule).latest("pk")
    assert second[-1].context["reading_date"] == latest.last_day.isoformat()


def test_continuous_flow_warns_once_per_episode():
    history = ["0.2", "0", "0.3", "0.1"] * 7
    point = remote_point(history + ["0.6"] * 7)
    user = with_user(point)
    compute_warnings(TODAY)
    day = TODAY + dt.timedelta(days=1)

    def repair() -> dt.date:
        add_days(point, day, ["0.7", "0"])  # still running, then repaired: a day with no flow
        return day + dt.timedelta(days=1)

    def again() -> dt.date:
        add_days(point, day + dt.timedelta(days=2), ["0.8"] * 7)
        return day + dt.timedelta(days=8)

    assert_once_per_episode(
        point, user, Rule.CONTINUOUS_FLOW, rerun=TODAY, repair=repair, again=again
    )


def test_a_day_above_the_customers_limit_warns_once_per_episode():
    point = remote_point(["0.2", "0.1", "0.3", "0.2"] * 7 + ["0.2"] * 6 + ["0.9"])
    SupplyPointPreferences.objects.create(supply_point=point, daily_limit=Decimal("0.5"))
    user = with_user(point)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.OVER_LIMIT}

    def repair() -> dt.date:
        add_days(point, TODAY + dt.timedelta(days=1), ["0.2"] * 7)  # a week within the limit
        return TODAY + dt.timedelta(days=7)

    def again() -> dt.date:
        add_days(point, TODAY + dt.timedelta(days=8), ["0.6"])
        return TODAY + dt.timedelta(days=8)

    assert_once_per_episode(point, user, Rule.OVER_LIMIT, rerun=TODAY, repair=repair, again=again)


def test_normal_use_stays_within_the_limit():
    below = remote_point(["0.2", "0.1", "0.3", "0.2"] * 9)
    SupplyPointPreferences.objects.create(supply_point=below, daily_limit=Decimal("0.5"))
    with_user(below)
    compute_warnings(TODAY)
    assert rules_of(below) == set()
    assert warning_emails() == []


def test_a_day_above_the_limit_early_in_an_import_of_several_days():
    # The import brings four days; the one above the limit is not the newest.
    point = remote_point(["0.2"] * 32 + ["0.9", "0.2", "0.2"])
    SupplyPointPreferences.objects.create(supply_point=point, daily_limit=Decimal("0.5"))
    compute_warnings(TODAY)
    (warning,) = ConsumptionWarning.objects.filter(supply_point=point)
    assert (warning.rule, warning.last_day) == (Rule.OVER_LIMIT, TODAY - dt.timedelta(days=2))
    assert warning.volume == Decimal("0.9")


def test_a_step_up_warns_once_per_episode():
    usual = ["0.2", "0.1", "0.2", "0"] * 7
    point = remote_point(usual + ["0.5", "0.6", "0", "0.4"] + ["0.5"] * 3)
    user = with_user(point)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.STEP_UP}

    def repair() -> dt.date:
        add_days(point, TODAY + dt.timedelta(days=1), ["0.1"] * 7)
        return TODAY + dt.timedelta(days=7)

    def again() -> dt.date:
        add_days(point, TODAY + dt.timedelta(days=8), ["0.1"] * 28 + ["0.5"] * 7)
        return TODAY + dt.timedelta(days=42)

    assert_once_per_episode(point, user, Rule.STEP_UP, rerun=TODAY, repair=repair, again=again)


def test_consumption_while_away_warns_once_per_episode():
    point = remote_point(["0.2"] * 28 + ["0"] * 6 + ["0.01"])
    AwayPeriod.objects.create(supply_point=point, start=TODAY - dt.timedelta(days=6), end=TODAY)
    user = with_user(point)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.AWAY}

    def repair() -> dt.date:  # back home: the away days leave the last week
        add_days(point, TODAY + dt.timedelta(days=1), ["0.2"] * 7)
        return TODAY + dt.timedelta(days=7)

    def again() -> dt.date:
        start = TODAY + dt.timedelta(days=8)
        AwayPeriod.objects.create(supply_point=point, start=start, end=start)
        add_days(point, start, ["0.05"])
        return start

    assert_once_per_episode(point, user, Rule.AWAY, rerun=TODAY, repair=repair, again=again)


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


def test_a_high_manual_reading_warns_once_per_episode():
    year = dt.timedelta(days=365)
    base = TODAY - 2 * year
    point = manual_point([(base, "100"), (base + year, "170"), (TODAY, "400")])
    user = with_user(point)
    meter = point.meters.get()
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.HIGH_READING}
    month = dt.timedelta(days=30)

    def repair() -> dt.date:  # the next reading is back to the usual 0.2 m³ a day
        ReadingFactory(meter=meter, date=TODAY + month, value=Decimal("406"))
        return TODAY + month

    def again() -> dt.date:  # then 1 m³ a day
        ReadingFactory(meter=meter, date=TODAY + 2 * month, value=Decimal("436"))
        return TODAY + 2 * month

    assert_once_per_episode(point, user, Rule.HIGH_READING, rerun=TODAY, repair=repair, again=again)


def test_a_reading_at_exactly_the_factor_warns():
    # History 0.2 m³ a day; the new reading means exactly 2 × that, or just below it.
    year = dt.timedelta(days=365)
    base = TODAY - 2 * year
    at = manual_point([(base, "100"), (base + year, "173"), (TODAY, "319")])
    below = manual_point([(base, "100"), (base + year, "173"), (TODAY, "318.9")])
    compute_warnings(TODAY)
    assert rules_of(at) == {Rule.HIGH_READING}
    assert rules_of(below) == set()


def test_an_old_reading_warns_of_nothing():
    # The newest reading is far above the history but 61 days old: old news.
    year = dt.timedelta(days=365)
    newest = TODAY - dt.timedelta(days=61)
    base = newest - 2 * year
    old = manual_point([(base, "100"), (base + year, "170"), (newest, "400")])
    recent = manual_point([(base, "100"), (base + year, "170"), (newest, "400")])
    compute_warnings(TODAY)
    assert rules_of(old) == set()
    compute_warnings(newest + dt.timedelta(days=60))
    assert rules_of(recent) == {Rule.HIGH_READING}


def test_a_manual_meter_read_twice_while_away():
    point = manual_point(
        [(TODAY - dt.timedelta(days=400), "10"), (TODAY - dt.timedelta(days=20), "80")]
    )
    meter = point.meters.get()
    ReadingFactory(meter=meter, date=TODAY, value=Decimal("81"))
    AwayPeriod.objects.create(supply_point=point, start=TODAY - dt.timedelta(days=25), end=TODAY)
    quiet = manual_point([(TODAY - dt.timedelta(days=400), "10"), (TODAY, "80")])
    AwayPeriod.objects.create(supply_point=quiet, start=TODAY - dt.timedelta(days=25), end=TODAY)
    compute_warnings(TODAY)
    assert rules_of(point) == {Rule.AWAY}
    assert rules_of(quiet) == set()


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
