"""The calendar feed: the user's due dates and planned readings, nobody else's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from portal.api import feed
from portal.api.models import CalendarFeed
from portal.notices.models import NoticeIndexPage
from tests.factories import billing as f
from tests.notices.conftest import add_notice

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def dated(world):
    """Due dates around TODAY for `world`."""
    world.advance.due_on = dt.date(2026, 3, 15)
    world.advance.amount = Decimal("850.00")
    world.advance.save()
    world.invoice.due_on = dt.date(2026, 3, 20)
    world.invoice.balance = Decimal("1234.50")
    world.invoice.period_end = dt.date(2025, 12, 31)
    world.invoice.save()
    return world


def test_the_feed_lists_advances_invoices_and_planned_readings(dated, other_world, customer):
    events = feed.feed_events(customer, today=TODAY)
    assert [(e.day, e.uid.split("-")[0]) for e in events] == [
        (dt.date(2026, 3, 15), "advance"),
        (dt.date(2026, 3, 20), "invoice"),
        (dt.date(2026, 12, 31), "reading"),
    ]
    advance, invoice, reading = events
    assert advance.summary == "Splatnost zálohy: 850,00\xa0Kč"
    assert dated.schedule.variable_symbol in advance.description
    assert invoice.summary == f"Splatnost faktury {dated.invoice.number}: 1\xa0234,50\xa0Kč"
    assert dated.supply_point.number in reading.summary


def test_paid_invoices_and_dates_outside_the_window_are_left_out(dated, customer):
    dated.invoice.balance = Decimal("-10.00")
    dated.invoice.save()
    f.AdvanceFactory(schedule=dated.schedule, due_on=TODAY - dt.timedelta(days=200))
    days = [e.day for e in feed.feed_events(customer, today=TODAY)]
    assert days == [dt.date(2026, 3, 15), dt.date(2026, 12, 31)]


def test_outage_notices_at_the_users_supply_points_are_timed_events(
    portal, world, other_world, customer, other_customer
):
    other_world.supply_point.street = "Polní"
    other_world.supply_point.save()
    index = NoticeIndexPage.objects.get()
    point = world.supply_point
    start = timezone.now() + dt.timedelta(days=3)
    here = add_notice(
        index,
        title="Oprava řadu",
        places=[{"municipality": point.municipality, "street": point.street}],
        starts_at=start,
        expected_end_at=start + dt.timedelta(hours=6),
    )
    add_notice(index, title="Jinde", places=[{"municipality": "Jinotaj"}])
    today = timezone.localdate()
    events = feed.notice_events(customer, today, today + dt.timedelta(days=30))
    assert [(e.uid, e.summary) for e in events] == [
        (f"notice-{here.pk}", "Plánovaná odstávka: Oprava řadu")
    ]
    ical = Calendar.from_ical(feed.render_feed(customer, "voda.example", today))
    (event,) = [c for c in ical.walk("VEVENT") if str(c["uid"]).startswith("notice-")]
    assert abs(event.decoded("dtstart") - start) < dt.timedelta(seconds=1)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(hours=6)
    assert str(event["url"]).startswith("https://voda.example/")
    assert feed.notice_events(other_customer, today, today + dt.timedelta(days=30)) == []


def test_the_feed_url_answers_an_icalendar_file(dated, other_world, customer, other_customer):
    for invoice in (dated.invoice, other_world.invoice):
        invoice.due_on = timezone.localdate() + dt.timedelta(days=5)
        invoice.balance = Decimal("100.00")
        invoice.save()
    _feed, secret = CalendarFeed.issue(customer)
    response = Client().get(f"/kalendar/{secret}.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.content)
    uids = [str(event["uid"]) for event in calendar.walk("VEVENT")]
    assert f"invoice-{dated.invoice.pk}@testserver" in uids
    assert f"invoice-{other_world.invoice.pk}@testserver" not in uids
    assert CalendarFeed.objects.get(user=customer).last_used_at is not None


def test_a_wrong_address_is_404_and_its_secret_is_not_logged(customer, caplog):
    _feed, secret = CalendarFeed.issue(customer)
    with caplog.at_level("DEBUG"):
        response = Client().get(f"/kalendar/{secret}x.ics")
    assert response.status_code == 404
    assert caplog.records and secret not in caplog.text
