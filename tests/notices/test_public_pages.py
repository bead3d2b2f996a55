"""The public notice list, the archive and the feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from .conftest import add_notice

pytestmark = pytest.mark.django_db

TESTOV = [{"municipality": "Testov", "street": "Nádražní"}]
JINOV = [{"municipality": "Jinov"}]


@pytest.fixture
def notices(notice_index):
    past = timezone.now() - dt.timedelta(days=10)
    return {
        "planned": add_notice(notice_index, title="Výměna šoupěte", places=TESTOV),
        "elsewhere": add_notice(
            notice_index, title="Havárie v Jinově", places=JINOV, kind="failure"
        ),
        "past": add_notice(
            notice_index,
            title="Loňská oprava",
            places=TESTOV,
            starts_at=past,
            expected_end_at=past + dt.timedelta(hours=4),
        ),
    }


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_current_and_planned_notices_by_municipality(notices, notice_index):
    page = text(Client().get(notice_index.url))
    assert "Výměna šoupěte" in page and "Havárie v Jinově" in page
    assert "Loňská oprava" not in page
    testov = text(Client().get(notice_index.url, {"obec": "Testov"}))
    assert "Výměna šoupěte" in testov and "Havárie v Jinově" not in testov


def test_the_archive_has_past_notices(notices, notice_index):
    page = text(Client().get(notice_index.url + "archiv/"))
    assert "Loňská oprava" in page and "Výměna šoupěte" not in page


def test_a_notice_page_says_what_when_and_where(notices):
    page = text(Client().get(notices["planned"].url))
    assert "Plánovaná odstávka" in page
    assert "Testov, Nádražní" in page


def test_rss_feed(notices, notice_index):
    response = Client().get(notice_index.url + "rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "Výměna šoupěte" in body and "Loňská oprava" not in body


def test_ical_feed_for_a_municipality(notices, notice_index):
    response = Client().get(notice_index.url + "kalendar/", {"obec": "Jinov"})
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Havárie: Havárie v Jinově"]
    assert events[0].decoded("dtstart") == notices["elsewhere"].starts_at.replace(microsecond=0)
