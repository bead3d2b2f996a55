"""An unreachable mail server delays mail and loses none: attempts, back-off, failure after the
last attempt, the periodic sweep, and one send only when two workers race."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, connections, transaction
from django.utils import timezone

from portal.models import Notification
from portal.notifications import services as service
from portal.notifications import tasks
from tests.factories.notifications import READING, queue

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMultiAlternatives.send"


def server_down():
    return mock.patch(SEND, side_effect=ConnectionRefusedError(111, "Connection refused"))


def test_a_refused_connection_is_recorded_and_retried_later(customer_record):
    notification = queue()
    before = timezone.now()
    with server_down():
        service.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 1
    assert notification.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert notification.sent_at is None
    assert notification.subject.endswith("Váš samoodečet byl schválen")  # rendered, kept
    assert notification.next_attempt_at >= before + dt.timedelta(minutes=1)
    assert mail.outbox == []

    assert service.send_due_notifications() == 0  # not due yet: nothing happens
    notification.refresh_from_db()
    assert notification.attempts == 1

    later = notification.next_attempt_at + dt.timedelta(seconds=1)
    assert service.send_due_notifications(now=later) == 1  # the server is back
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.attempts == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jana.novakova@example.cz"]


def test_the_back_off_grows_and_the_last_attempt_marks_the_row_failed(customer_record):
    notification = queue()
    waits = []
    moment = timezone.now()
    with server_down():
        for _attempt in range(service.MAX_ATTEMPTS):
            previous = moment
            assert service.send_due_notifications(now=moment) == 0
            notification.refresh_from_db()
            if notification.status == Notification.Status.FAILED:
                break
            moment = notification.next_attempt_at
            waits.append(round((moment - previous).total_seconds() / 60))
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == service.MAX_ATTEMPTS
    assert "Connection refused" in notification.last_error
    assert waits == [1, 5, 15, 60, 180, 360, 720]
    far_future = timezone.now() + dt.timedelta(days=30)
    assert service.send_due_notifications(now=far_future) == 0  # a failed row waits for a person
    assert mail.outbox == []


def test_a_permanent_refusal_fails_at_once(customer_record):
    notification = queue()
    refused = smtplib.SMTPRecipientsRefused(
        {"jana.novakova@example.cz": (550, b"5.1.1 User unknown")}
    )
    with mock.patch(SEND, side_effect=refused):
        service.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED and notification.attempts == 1
    assert "SMTPRecipientsRefused" in notification.last_error


def test_a_temporary_refusal_is_retried(customer_record):
    notification = queue()
    greylisted = smtplib.SMTPRecipientsRefused({"jana.novakova@example.cz": (451, b"try later")})
    with mock.patch(SEND, side_effect=greylisted):
        service.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED


def test_the_sweep_stops_at_an_unreachable_server_and_keeps_the_rest_due(customer_record):
    first, second, third = queue(), queue(), queue()
    with server_down() as send:
        assert service.send_due_notifications() == 0
    assert send.call_count == 1  # no point knocking three times on a closed door
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attempts == 1 and first.status == Notification.Status.QUEUED
    assert second.attempts == 0 and second.status == Notification.Status.QUEUED
    assert service.send_due_notifications() == 2  # the others, as soon as the server answers
    assert sorted(message.to[0] for message in mail.outbox) == ["jana.novakova@example.cz"] * 2
    assert Notification.objects.get(pk=third.pk).status == Notification.Status.SENT


def test_two_workers_claiming_the_same_row_send_it_once(customer_record):
    notification = queue()
    first = service.claim_notification(notification.pk)
    second = service.claim_notification(notification.pk)
    assert first is not None and first.status == Notification.Status.SENDING
    assert second is None
    assert service.claim_notification() is None  # nor does the sweep take it
    assert service.send_notification(notification.pk) is None  # a duplicate task does nothing
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_row_of_a_worker_that_died_is_sent_by_the_sweep_after_the_lease(customer_record):
    notification = queue()
    assert service.claim_notification(notification.pk) is not None  # …and the worker dies
    assert service.send_due_notifications() == 0
    later = timezone.now() + service.SENDING_LEASE + dt.timedelta(seconds=1)
    assert service.send_due_notifications(now=later) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.attempts == 2
    assert len(mail.outbox) == 1


def test_the_tasks_send_what_is_due(customer_record):
    queued = queue()
    assert tasks.send_notification_task.call_local(queued.pk) == "sent"
    assert tasks.send_notification_task.call_local(queued.pk) is None  # already sent
    queue()
    assert tasks.send_due_notifications_task.call_local() == 1
    assert len(mail.outbox) == 2


def test_a_sent_row_is_not_sent_again_even_if_its_task_runs_twice(customer_record):
    notification = queue()
    service.send_notification(notification.pk)
    service.send_notification(notification.pk)
    assert len(mail.outbox) == 1


def test_a_rendering_failure_is_recorded_and_retried(customer_record):
    notification = queue()
    with mock.patch.object(service, "render_notification", side_effect=KeyError("utility")):
        service.send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.last_error == "KeyError: 'utility'"


def test_sending_after_a_failure_keeps_the_last_error_on_record(customer_record):
    notification = queue()
    with server_down():
        service.send_notification(notification.pk)
    with mock.patch.object(EmailMultiAlternatives, "send", return_value=1):
        later = timezone.now() + dt.timedelta(minutes=2)
        assert service.send_due_notifications(now=later) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert "Connection refused" in notification.last_error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_another_worker_holds_is_skipped_not_waited_for(customer_record):
    notification = Notification.objects.create(
        recipient="jana.novakova@example.cz", template="request_approved", context=READING
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=notification.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        assert service.claim_notification(notification.pk) is None  # skipped at once
        assert service.send_due_notifications() == 0
    finally:
        release.set()
        worker.join()
    assert service.send_due_notifications() == 1
    assert len(mail.outbox) == 1
