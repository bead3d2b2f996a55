"""Leak and high-usage warnings, computed for every supply point after each ZIS import.

Remote-read meters (daily volumes, summed per supply point and day; data whose newest day is more
than `RECENT_DAYS` old warns of nothing):
- continuous flow: each of the last `flow_days` days at or above `flow_min` m³;
- over the limit: a day above the customer's own daily limit among the last `RECENT_DAYS` days
  up to the newest (so every day of an import that brings several days is judged);
- step up: the mean of the last `step_days` days at least `step_factor` × the median of the
  `history_days` before them, and higher by at least `step_min` m³ a day;
- away: any consumption on a day of an "I am away" period within the last `step_days` days.

Manual meters (readings; a newest reading more than `READING_MAX_AGE_DAYS` old warns of
nothing): the newest reading's daily average since the previous reading of the same meter at
least `reading_factor` × the meter's history (or, with no history, × the legal benchmark for the
household's size); and any consumption between two readings that both fall in one "I am away"
period.

A rule that fires opens an episode (`ConsumptionWarning`); it stays open (without new e-mails)
while the rule keeps firing and is closed by the first computation in which it does not. Each new
episode is e-mailed once to the customer's users who want warnings. Running the computation
twice on the same data changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.billing.models import DailyConsumption, Reading, SupplyPoint
from portal.insights import comparison
from portal.insights.models import AwayPeriod, ConsumptionWarning, SupplyPointPreferences
from portal.insights.rules import Thresholds, benchmark_per_day
from portal.lib import generations

Rule = ConsumptionWarning.Rule
READING_HISTORY_DAYS = 3 * 365
# Remote-read data whose newest day is older warns of nothing; the over-limit rule judges each
# day this far back from the newest, so that every day of an import of several days is judged.
RECENT_DAYS = 7
# A manual reading older than this is old news: its consumption no longer warns.
READING_MAX_AGE_DAYS = 60


@dataclass(frozen=True)
class Finding:
    supply_point_id: int
    rule: str
    last_day: dt.date
    volume: Decimal  # the volume that fired (a day's, a mean, a reading's daily average)
    reference: Decimal | None = None  # what it was compared with
    days: int = 1


@dataclass(frozen=True)
class Outcome:
    opened: int
    closed: int
    still_open: int
    emails: int


# --- Rules ------------------------------------------------------------------------------------


def remote_findings(
    point_id: int,
    days: dict[dt.date, Decimal],
    limit: Decimal | None,
    away: list[tuple[dt.date, dt.date]],
    t: Thresholds,
) -> list[Finding]:
    """The rules of remote-read meters on one supply point's daily volumes."""
    if not days:
        return []
    newest = max(days)
    found: list[Finding] = []
    flow = [newest - dt.timedelta(days=offset) for offset in range(t.flow_days)]
    if all(days.get(day, Decimal(0)) >= t.flow_min for day in flow):
        least = min(days[day] for day in flow)
        found.append(
            Finding(point_id, Rule.CONTINUOUS_FLOW, newest, least, t.flow_min, t.flow_days)
        )
    if limit is not None:
        over = [
            day
            for o in range(RECENT_DAYS)
            if (day := newest - dt.timedelta(days=o)) in days and days[day] > limit
        ]
        if over:
            last = max(over)
            found.append(Finding(point_id, Rule.OVER_LIMIT, last, days[last], limit, len(over)))
    recent = [days.get(newest - dt.timedelta(days=o), Decimal(0)) for o in range(t.step_days)]
    before = [
        days[day]
        for o in range(t.step_days, t.step_days + t.history_days)
        if (day := newest - dt.timedelta(days=o)) in days
    ]
    if len(before) >= t.history_days // 2:
        mean = sum(recent, Decimal(0)) / len(recent)
        median = Decimal(statistics.median(before))
        if mean >= median * t.step_factor and mean - median >= t.step_min:
            found.append(
                Finding(point_id, Rule.STEP_UP, newest, mean.quantize(Decimal("0.001")), median)
            )
    away_days = [
        day
        for o in range(t.step_days)
        if (day := newest - dt.timedelta(days=o)) in days
        and days[day] > 0
        and any(start <= day <= end for start, end in away)
    ]
    if away_days:
        volume = sum((days[day] for day in away_days), Decimal(0))
        found.append(
            Finding(point_id, Rule.AWAY, max(away_days), volume, Decimal(0), len(away_days))
        )
    return found


def reading_findings(
    point_id: int,
    meters: Iterable[list[tuple[dt.date, dt.date, Decimal]]],
    people: int | None,
    is_household: bool,
    away: list[tuple[dt.date, dt.date]],
    t: Thresholds,
    today: dt.date,
) -> list[Finding]:
    """The rules of manual meters on one supply point's consumption pairs (per meter, by date;
    see `_consumption_pairs`)."""
    found: list[Finding] = []
    for pairs in meters:
        if not pairs:
            continue
        start, end, volume = pairs[-1]
        if (today - end).days > READING_MAX_AGE_DAYS:
            continue
        days = (end - start).days
        daily = volume / days
        history = pairs[:-1]
        history_days = sum((e - s).days for s, e, _v in history)
        if history_days >= 60:
            usual = sum((v for _s, _e, v in history), Decimal(0)) / history_days
        elif is_household:
            usual = benchmark_per_day(people)
        else:
            usual = None
        if usual is not None and daily >= usual * t.reading_factor and daily - usual >= t.step_min:
            found.append(
                Finding(
                    point_id,
                    Rule.HIGH_READING,
                    end,
                    daily.quantize(Decimal("0.001")),
                    usual.quantize(Decimal("0.001")),
                    days,
                )
            )
        if volume > 0 and any(s <= start and end <= e for s, e in away):
            found.append(Finding(point_id, Rule.AWAY, end, volume, Decimal(0), days))
    return _one_per_rule(found)


def _consumption_pairs(
    readings: list[tuple[dt.date, Decimal, str]],
) -> list[tuple[dt.date, Decimal, Decimal]]:
    """(start, end, m³) between consecutive readings of one meter, by date; a pair is skipped
    when its end is the initial reading of a new meter (nothing was consumed through it)."""
    pairs = []
    for (day0, value0, _role0), (day1, value1, role1) in itertools.pairwise(readings):
        if role1 == Reading.Replacement.INITIAL or day1 <= day0 or value1 < value0:
            continue
        pairs.append((day0, day1, value1 - value0))
    return pairs


def _one_per_rule(found: list[Finding]) -> list[Finding]:
    """A supply point with two meters firing the same rule has one episode (the larger one)."""
    best: dict[str, Finding] = {}
    for finding in found:
        if finding.rule not in best or finding.volume > best[finding.rule].volume:
            best[finding.rule] = finding
    return list(best.values())


# --- The computation --------------------------------------------------------------------------


def compute_warnings(today: dt.date | None = None, *, send_emails: bool = True) -> Outcome:
    """Evaluate every rule for every supply point, open and close episodes, queue the e-mails;
    on the way, store each point's annual consumption and the comparison groups."""
    today = today or timezone.localdate()
    t = Thresholds.current()
    settings = _Settings.load(today)
    remote = comparison.remote_annual(today)
    found = _remote_findings(today, t, settings)
    annual: dict[int, Decimal] = {}
    found += _manual_findings(today, t, settings, remote, annual)
    for pk, volume in remote.items():
        annual[pk] = annual.get(pk, Decimal(0)) + volume
    comparison.store_annual(annual, today)
    return apply_findings(_merge_sources(found), today, send_emails=send_emails)


@dataclass(frozen=True)
class _Settings:
    """What the customers set per supply point, and which points are households."""

    limits: dict[int, Decimal | None]
    people: dict[int, int | None]
    away: dict[int, list[tuple[dt.date, dt.date]]]
    households: set[int]

    @classmethod
    def load(cls, today: dt.date) -> _Settings:
        limits: dict[int, Decimal | None] = {}
        people: dict[int, int | None] = {}
        for pk, limit, size in SupplyPointPreferences.objects.values_list(
            "supply_point_id", "daily_limit", "people"
        ).iterator(chunk_size=10000):
            limits[pk], people[pk] = limit, size
        away: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        periods = AwayPeriod.objects.filter(
            end__gte=today - dt.timedelta(days=READING_HISTORY_DAYS)
        ).values_list("supply_point_id", "start", "end")
        for pk, start, end in periods.iterator(chunk_size=10000):
            away[pk].append((start, end))
        households = SupplyPoint.objects.filter(is_household=True).values_list("pk", flat=True)
        return cls(limits, people, dict(away), set(households.iterator(chunk_size=10000)))


def _remote_findings(today: dt.date, t: Thresholds, settings: _Settings) -> list[Finding]:
    """The remote-read rules: one pass over the recent daily volumes, by supply point."""
    since = today - dt.timedelta(days=t.window_days + 7)  # the newest day may be a few days old
    stale = today - dt.timedelta(days=RECENT_DAYS)  # stale data warns of nothing new
    rows = (
        DailyConsumption.objects.filter(meter__remote_read=True, day__gte=since, day__lte=today)
        .order_by("meter__supply_point_id")
        .values_list("meter__supply_point_id", "day", "volume")
    )
    found: list[Finding] = []
    for pk, point_rows in itertools.groupby(rows.iterator(chunk_size=10000), key=_first):
        days: dict[dt.date, Decimal] = {}
        for _pk, day, volume in point_rows:
            days[day] = days[day] + volume if day in days else volume
        if max(days) >= stale:
            found += remote_findings(
                pk, days, settings.limits.get(pk), settings.away.get(pk, []), t
            )
    return found


def _manual_findings(
    today: dt.date,
    t: Thresholds,
    settings: _Settings,
    remote: dict[int, Decimal],
    annual: dict[int, Decimal],
) -> list[Finding]:
    """The manual-meter rules and the annual figures from readings: one pass over the last
    years' readings, by supply point and meter."""
    rows = (
        Reading.objects.filter(
            meter__remote_read=False,
            date__gte=today - dt.timedelta(days=READING_HISTORY_DAYS),
            date__lte=today,
        )
        .order_by("meter__supply_point_id", "meter_id", "date", "pk")
        .values_list("meter__supply_point_id", "meter_id", "date", "value", "replacement")
    )
    found: list[Finding] = []
    for pk, point_rows in itertools.groupby(rows.iterator(chunk_size=10000), key=_first):
        meters = [
            _consumption_pairs([row[2:] for row in meter_rows])
            for _meter, meter_rows in itertools.groupby(point_rows, key=_second)
        ]
        pairs = [pair for meter in meters for pair in meter]
        volume = comparison.annual_from_pairs(pairs, today, extrapolate=pk not in remote)
        if volume is not None:
            annual[pk] = volume
        found += reading_findings(
            pk,
            meters,
            settings.people.get(pk),
            pk in settings.households,
            settings.away.get(pk, []),
            t,
            today,
        )
    return found


def _first(row: tuple[Any, ...]) -> Any:
    return row[0]


def _second(row: tuple[Any, ...]) -> Any:
    return row[1]


def _merge_sources(found: list[Finding]) -> list[Finding]:
    """A point with both a remote and a manual meter firing "away" keeps one episode."""
    best: dict[tuple[int, str], Finding] = {}
    for finding in found:
        key = (finding.supply_point_id, finding.rule)
        if key not in best or finding.volume > best[key].volume:
            best[key] = finding
    return list(best.values())


def apply_findings(
    findings: Iterable[Finding], today: dt.date, *, send_emails: bool = True
) -> Outcome:
    """Open an episode for each new finding, keep the open ones up to date, close the rest."""
    by_key = {(f.supply_point_id, f.rule): f for f in findings}
    with transaction.atomic():
        open_rows = {
            (w.supply_point_id, w.rule): w
            for w in ConsumptionWarning.objects.filter(closed_on__isnull=True)
        }
        to_close = [w for key, w in open_rows.items() if key not in by_key]
        for warning in to_close:
            warning.closed_on = today
        ConsumptionWarning.objects.bulk_update(to_close, ["closed_on"], batch_size=1000)
        changed = []
        for key, finding in by_key.items():
            warning = open_rows.get(key)
            if warning is not None and (warning.last_day, warning.volume) != (
                finding.last_day,
                finding.volume,
            ):
                warning.last_day, warning.volume = finding.last_day, finding.volume
                warning.reference, warning.days = finding.reference, finding.days
                changed.append(warning)
        ConsumptionWarning.objects.bulk_update(
            changed, ["last_day", "volume", "reference", "days"], batch_size=1000
        )
        new = [
            ConsumptionWarning(
                supply_point_id=f.supply_point_id,
                rule=f.rule,
                opened_on=today,
                last_day=f.last_day,
                volume=f.volume,
                reference=f.reference,
                days=f.days,
            )
            for key, f in by_key.items()
            if key not in open_rows
        ]
        ConsumptionWarning.objects.bulk_create(new, batch_size=1000)
        emails = email_new_warnings() if send_emails else 0
    generations.bump_on_commit(generations.NEWS)
    return Outcome(len(new), len(to_close), len(open_rows) - len(to_close), emails)


def email_new_warnings() -> int:
    """Queue one e-mail per open episode not e-mailed yet, to each user linked to its customer
    who wants warnings; the episode is marked e-mailed whoever received it."""
    from portal.accounts.models import CustomerLink
    from portal.accounts.services import EmailKind, get_profile, wants_email
    from portal.notifications.services import queue_notification

    pending = list(
        ConsumptionWarning.objects.filter(closed_on__isnull=True, emailed_at__isnull=True)
        .select_related("supply_point__customer")
        .order_by("pk")
    )
    if not pending:
        return 0
    customers = {w.supply_point.customer_id for w in pending}
    users: dict[int, list[tuple[Any, str]]] = defaultdict(list)
    for link in CustomerLink.objects.filter(
        customer_id__in=customers, ended_at__isnull=True
    ).select_related("user"):
        if wants_email(link.user, EmailKind.WARNINGS):
            users[link.customer_id].append((link.user, get_profile(link.user).language))
    queued = 0
    portal_path = _portal_path()
    for warning in pending:
        point = warning.supply_point
        for user, language in users.get(point.customer_id, []):
            queue_notification(
                to=user.email,
                template="warning",
                context=warning_email_context(warning, portal_path),
                language=language,
                user=user,
                related=point.customer,
            )
            queued += 1
    ConsumptionWarning.objects.filter(
        closed_on__isnull=True, emailed_at__isnull=True, pk__lte=pending[-1].pk
    ).update(emailed_at=timezone.now())  # the pending ones (the task runs one at a time)
    return queued


def warning_email_context(
    warning: ConsumptionWarning, portal_path: str | None = None
) -> dict[str, Any]:
    point = warning.supply_point
    return {
        "kind": warning.rule,
        "customer_number": point.customer.number,
        "customer_name": point.customer.name,
        "supply_point_number": point.number,
        "address": str(point.address),
        "reading_date": warning.last_day.isoformat(),
        "reading_value": str(warning.volume),
        "reference": "" if warning.reference is None else str(warning.reference),
        "days": warning.days,
        "portal_path": _portal_path() if portal_path is None else portal_path,
    }


def _portal_path() -> str:
    """The portal home's address (where the warnings are shown), or "" when there is none."""
    from wagtail.models import Page

    home = (
        Page.objects.live()
        .filter(content_type__app_label="portal", content_type__model="portalhomepage")
        .first()
    )
    return (home.url or "") if home else ""


# --- Reading them -----------------------------------------------------------------------------


def open_warnings(user: Any, customer: Any) -> list[ConsumptionWarning]:
    """The open warnings of `customer`'s supply points that `user` may see (one query)."""
    return list(
        ConsumptionWarning.objects.for_user(user)
        .filter(supply_point__customer=customer, closed_on__isnull=True)
        .select_related("supply_point")
        .order_by("supply_point__number", "rule")
    )


def customers_with_open_warnings() -> int:
    """How many customers have at least one open warning (for operators)."""
    return (
        ConsumptionWarning.objects.filter(closed_on__isnull=True)
        .values("supply_point__customer")
        .distinct()
        .count()
    )
