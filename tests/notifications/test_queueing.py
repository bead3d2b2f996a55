"""Notifications are rows first, written in the caller's transaction and sent after its commit."""

from __future__ import annotations

import io
import json
import zipfile
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from portal.accounts.export import export_user_data
from portal.models import Notification
from portal.notifications.services import send_due_notifications
from tests.factories.accounts import UserFactory
from tests.factories.notifications import READING, queue

pytestmark = pytest.mark.django_db


class DecisionFailed(Exception):
    pass


def test_the_row_is_written_in_the_callers_transaction_and_sent_after_commit(
    customer_record, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = queue(user=customer, related=customer_record)
        assert Notification.objects.get().status == Notification.Status.QUEUED
        assert mail.outbox == []  # nothing leaves before the decision is committed
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1 and notification.sent_at is not None
    assert [message.to for message in mail.outbox] == [["jana.novakova@example.cz"]]
    assert notification.subject == mail.outbox[0].subject
    assert (notification.user, notification.customer, notification.related) == (
        customer,
        customer_record,
        customer_record,
    )


def test_a_rolled_back_decision_leaves_no_row_and_sends_nothing(
    customer_record, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DecisionFailed),
        transaction.atomic(),
    ):
        queue()
        raise DecisionFailed
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_customer_is_found_by_number_when_no_related_object_is_given(customer_record):
    notification = queue(context={**READING, "customer_number": "300100"})
    assert notification.customer == customer_record
    assert queue(context={**READING, "customer_number": "999999"}).customer is None


def test_context_values_are_stored_as_given(customer_record):
    notification = queue(template="request_rejected", context={**READING, "reason": "Rozmazané."})
    notification.refresh_from_db()
    assert notification.context["reason"] == "Rozmazané."
    assert notification.context["reading_value"] == "1234.456"
    assert notification.template == "request_rejected" and notification.language == "cs"


@pytest.mark.parametrize(
    ("to", "error"),
    [("", "nemá e-mailovou adresu"), ("jana@", "není platná")],
)
def test_a_recipient_without_a_usable_address_is_failed_at_once_and_visible(
    customer_record, django_capture_on_commit_callbacks, to, error
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = queue(to=to)
    assert callbacks == []
    assert notification.status == Notification.Status.FAILED
    assert error in notification.last_error
    assert list(Notification.objects.failed()) == [notification]
    assert mail.outbox == []


def test_an_unknown_template_is_a_programming_error(customer_record):
    with pytest.raises(ValueError, match="request_lost"):
        queue(template="request_lost")
    assert not Notification.objects.exists()


def test_an_unknown_language_falls_back_to_czech(customer_record):
    assert queue(language="de").language == "cs"
    assert queue(language="en-gb").language == "en"


def test_a_broken_task_queue_loses_nothing(customer_record, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "portal.notifications.tasks.send_notification_task",
            side_effect=ConnectionError("redis"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = queue()  # the enqueue fails after the commit; the caller is not hurt
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED and mail.outbox == []
    assert send_due_notifications() == 1  # the periodic sweep finds it
    assert len(mail.outbox) == 1


def test_a_users_e_mails_are_in_their_data_download_and_nobody_elses(customer_record, customer):
    queue(user=customer, related=customer_record)
    queue(to="jiny@example.cz", user=UserFactory(email="jiny@example.cz"))
    archive = zipfile.ZipFile(io.BytesIO(export_user_data(customer)))
    rows = json.loads(archive.read("json/notification.json"))
    assert [row["recipient"] for row in rows] == ["jana.novakova@example.cz"]
    assert rows[0]["context"]["meter_serial"] == "VM-2024-0042"
