"""The calendar feed: a user's due dates and planned readings as an iCalendar file.

Events (all-day, one per thing to remember), for the customers linked to the user:

- each advance's due date and each invoice's due date (with amount and variable symbol);
- the planned reading of each supply point: readings are taken at the yearly settlement, so the
  next one is expected a year after the end of the supply point's last billing period;
- outage notices that affect the user's supply points (`notice_events`).

The feed covers `PAST_DAYS` before today to `FUTURE_DAYS` after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.accounts.services import preferred_language
from portal.billing.models import Advance, Invoice
from portal.lib.formatting import format_money
from portal.notices.services import notices_for_customer

PAST_DAYS = 90
FUTURE_DAYS = 400


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    day: dt.date
    summary: str
    description: str = ""
    path: str = ""  # the page with the details, on this site
    # A timed event (an outage from 8:00 to 14:00) instead of an all-day one on `day`.
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


def advance_events(user: Any, first: dt.date, last: dt.date) -> list[FeedEvent]:
    advances = (
        Advance.objects.for_user(user)
        .filter(due_on__range=(first, last))
        .select_related("schedule__supply_point")
        .order_by("due_on", "pk")
    )
    return [
        FeedEvent(
            uid=f"advance-{advance.pk}",
            day=advance.due_on,
            summary=_("Advance due: %(amount)s") % {"amount": format_money(advance.amount)},
            description=_("Supply point %(number)s, variable symbol %(vs)s")
            % {
                "number": advance.schedule.supply_point.number,
                "vs": advance.schedule.variable_symbol,
            },
        )
        for advance in advances
    ]


def invoice_events(user: Any, first: dt.date, last: dt.date) -> list[FeedEvent]:
    invoices = (
        Invoice.objects.for_user(user)
        .filter(due_on__range=(first, last), balance__gt=0)
        .order_by("due_on", "pk")
    )
    return [
        FeedEvent(
            uid=f"invoice-{invoice.pk}",
            day=invoice.due_on,
            summary=_("Invoice %(number)s due: %(amount)s")
            % {"number": invoice.number, "amount": format_money(invoice.balance)},
            description=_("Variable symbol %(vs)s") % {"vs": invoice.variable_symbol},
        )
        for invoice in invoices
    ]


def reading_events(user: Any, first: dt.date, last: dt.date) -> list[FeedEvent]:
    last_periods = (
        Invoice.objects.for_user(user)
        .filter(supply_point__isnull=False)
        .values("supply_point_id", "supply_point__number")
        .annotate(period_end=Max("period_end"))
        .order_by("supply_point__number")
    )
    events = []
    for row in last_periods:
        end = row["period_end"]
        try:
            planned = end.replace(year=end.year + 1)
        except ValueError:  # 29 February
            planned = end.replace(year=end.year + 1, day=28)
        if first <= planned <= last:
            events.append(
                FeedEvent(
                    uid=f"reading-{row['supply_point_id']}-{planned.isoformat()}",
                    day=planned,
                    summary=_("Planned meter reading, supply point %(number)s")
                    % {"number": row["supply_point__number"]},
                    description=_(
                        "The meter is read for the yearly invoice around this day; "
                        "make sure the meter can be reached."
                    ),
                )
            )
    return events


def notice_events(user: Any, first: dt.date, last: dt.date) -> list[FeedEvent]:
    """Current and planned outage notices at the user's supply points, from start to expected end
    (a notice that has ended leaves the feed)."""
    events = []
    for notice in notices_for_customer(user=user):
        start = timezone.localtime(notice.start)
        if start.date() > last:
            continue
        events.append(
            FeedEvent(
                uid=f"notice-{notice.pk}",
                day=start.date(),
                summary=f"{notice.kind_label.capitalize()}: {notice.title}",
                path=notice.url,
                starts_at=notice.start,
                ends_at=notice.expected_end,
            )
        )
    return events


def feed_events(user: Any, today: dt.date | None = None) -> list[FeedEvent]:
    today = today or timezone.localdate()
    first, last = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    events = []
    for source in (advance_events, invoice_events, reading_events, notice_events):
        events.extend(source(user, first, last))
    return sorted(events, key=lambda event: (event.day, event.uid))


def render_feed(
    user: Any, host: str, today: dt.date | None = None, *, scheme: str = "https"
) -> bytes:
    """The user's feed as an iCalendar file, in the user's language."""
    with translation.override(preferred_language(user) or translation.get_language()):
        calendar = Calendar()
        calendar.add("prodid", "-//Pramen//customer portal//CS")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Water: due dates and readings"))
        stamp = timezone.now()
        for item in feed_events(user, today):
            event = Event()
            event.add("uid", f"{item.uid}@{host}")
            event.add("dtstamp", stamp)
            if item.starts_at and item.ends_at:
                event.add("dtstart", item.starts_at)
                event.add("dtend", item.ends_at)
            else:
                event.add("dtstart", item.day)
                event.add("dtend", item.day + dt.timedelta(days=1))
            event.add("summary", item.summary)
            if item.description:
                event.add("description", item.description)
            if item.path:
                event.add("url", f"{scheme}://{host}{item.path}")
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        return calendar.to_ical()
