"""Reading invitations: one e-mail per meter and reading date with a signed link; the link opens
a self-reading form without signing in, for one accepted reading, until it expires; a tampered,
expired or used link gets a plain message, and the form is rate-limited."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from portal.accounts.services import update_preferences
from portal.mailings import views as mailing_views
from portal.mailings.invitations import send_invitations
from portal.models import (
    Customer,
    CustomerLink,
    Notification,
    ReadingInvitation,
    RequestStatus,
    SelfReadingRequest,
)
from portal.notifications.services import send_due_notifications
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

# Supply point OM-000002 (meter ZR-20-031337, read by hand) was last invoiced to 31 December 2024,
# so its reading date is 31 December 2025; the invitations go 14 days before (the default).
IN_THE_WINDOW = dt.date(2025, 12, 20)


@pytest.fixture
def pekarna(recorded_batch):
    user = UserFactory(email="pekarna@example.cz")
    CustomerLink.objects.create(user=user, customer=Customer.objects.get(number="100002"))
    return user


@pytest.fixture
def link(pekarna) -> str:
    assert send_invitations(IN_THE_WINDOW) == 1
    # the recorded batch is of 2025: the link is opened "now", while it is still valid
    ReadingInvitation.objects.update(expires_on=timezone.localdate() + dt.timedelta(days=7))
    path = Notification.objects.get(template="reading_invitation").context["action_url"]
    return urlsplit(path).path


def test_the_invitation_is_emailed_once_with_the_link(pekarna, utility):
    assert send_invitations(dt.date(2025, 12, 16)) == 0  # before the window
    assert send_invitations(IN_THE_WINDOW) == 1
    assert send_invitations(IN_THE_WINDOW) == 0  # the daily task again: nothing twice
    assert send_invitations(IN_THE_WINDOW + dt.timedelta(days=1)) == 0
    invitation = ReadingInvitation.objects.get()
    assert invitation.meter.serial_number == "ZR-20-031337"
    assert invitation.period == dt.date(2025, 12, 31)
    send_due_notifications()
    (message,) = mail.outbox
    assert message.to == ["pekarna@example.cz"]
    assert "http://testserver/odecet/" in message.body
    assert "ZR-20-031337" in message.body and "/ucet/nastaveni/" in message.body


def test_no_invitation_for_who_switched_them_off(pekarna):
    update_preferences(pekarna, notify_invitations=False)
    assert send_invitations(IN_THE_WINDOW) == 0


def test_the_form_shows_only_the_meter_and_the_date_of_the_last_reading(client, link):
    page = client.get(link).content.decode()
    assert "ZR-20-031337" in page
    assert "Pekárna" not in page and "OM-000002" not in page and "100002" not in page
    assert client.get(link)["Cache-Control"].startswith("max-age=0")


def test_one_accepted_reading_then_the_link_is_spent(client, link):
    form = {"token": "5f0a6a04-6b7d-4b8e-9a43-0d1c3f7e2a10", "value": "99999", "step": "confirm"}
    response = client.post(link, form | {"confirm_unusual": "on"})
    assert response.status_code == 200
    assert "Děkujeme" in response.content.decode()
    reading = SelfReadingRequest.objects.get()
    assert reading.status == RequestStatus.PENDING  # waits for an operator, as every self-reading
    assert reading.submitted_by is None and reading.meter.serial_number == "ZR-20-031337"
    assert reading.flagged  # the plausibility check ran
    assert ReadingInvitation.objects.get().self_reading == reading

    again = client.get(link)
    assert again.status_code == 410
    assert "již odeslán" in again.content.decode()
    other_token = form | {"token": "0b8c3a4e-1d2f-4e5a-8b6c-7d8e9f0a1b2c", "confirm_unusual": "on"}
    assert client.post(link, other_token).status_code == 410
    assert SelfReadingRequest.objects.count() == 1


def test_a_refused_reading_leaves_the_link_usable(client, link):
    response = client.post(link, {"token": "5f0a6a04-6b7d-4b8e-9a43-0d1c3f7e2a10", "value": "-1"})
    assert response.status_code == 200 and not SelfReadingRequest.objects.exists()
    assert ReadingInvitation.objects.get().used_at is None


def test_a_tampered_link_is_refused(client, link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(f"/odecet/{tampered}/")
    assert response.status_code == 400
    assert "není platný" in response.content.decode()
    assert "ZR-20-031337" not in response.content.decode()


def test_an_expired_link_is_refused(client, link):
    ReadingInvitation.objects.update(expires_on=dt.date(2020, 1, 1))
    response = client.get(link)
    assert response.status_code == 410
    assert "vypršela" in response.content.decode()


def test_the_form_is_rate_limited_per_link(client, link):
    for _attempt in range(mailing_views.REQUESTS_PER_LINK):
        assert client.get(link).status_code == 200
    assert client.get(link).status_code == 429


def test_the_payment_calendar_carries_the_same_link_as_a_qr_code(pekarna, utility, monkeypatch):
    from portal.documents.services import build_schedule_document
    from portal.mailings import invitations

    monkeypatch.setattr(invitations, "_today", lambda: IN_THE_WINDOW)
    schedule = Customer.objects.get(number="100002").advance_schedules.get()
    document = build_schedule_document(pekarna, schedule.pk, utility)
    assert document.reading_url.startswith("http://testserver/odecet/")
    assert document.reading_qr.startswith("data:image/png;base64,")
    # the daily task e-mails the very same link
    send_invitations(IN_THE_WINDOW)
    emailed = Notification.objects.get(template="reading_invitation").context["action_url"]
    assert document.reading_url.endswith(emailed)


def test_no_qr_code_for_a_remotely_read_meter(recorded_batch, utility, monkeypatch):
    from portal.documents.services import build_schedule_document
    from portal.mailings import invitations

    monkeypatch.setattr(invitations, "_today", lambda: IN_THE_WINDOW)
    user = UserFactory(email="jana@example.cz")
    CustomerLink.objects.create(user=user, customer=Customer.objects.get(number="100001"))
    schedule = Customer.objects.get(number="100001").advance_schedules.get()
    assert build_schedule_document(user, schedule.pk, utility).reading_url == ""


def test_the_form_is_rate_limited_per_address(client, link, monkeypatch):
    monkeypatch.setattr(mailing_views, "REQUESTS_PER_IP", 3)
    for attempt in range(3):  # other links (here: made-up ones) count against the same address
        assert client.get(f"/odecet/made-up-{attempt}/").status_code == 400
    response = client.get(link)
    assert response.status_code == 429
    assert "Příliš mnoho pokusů" in response.content.decode() or "příliš mnoho" in (
        response.content.decode()
    )
