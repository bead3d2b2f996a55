"""Operators see the notifications (failed ones counted on the dashboard), inspect one and resend
it; editors see none of it."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone
from wagtail.models import ModelLogEntry

from portal.models import Notification, OperatorAccessLog
from portal.notifications import services as service
from tests.factories.accounts import login_with_mfa
from tests.factories.notifications import READING, queue

pytestmark = pytest.mark.django_db


def failed_notification(**kwargs) -> Notification:
    """A notification that used up its attempts while the mail server was down."""
    notification = queue(**kwargs)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=ConnectionRefusedError(111, "Connection refused"),
    ):
        service.send_notification(notification.pk)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, attempts=service.MAX_ATTEMPTS
    )
    notification.refresh_from_db()
    return notification


def shown_as(html: str, label: str) -> str:
    """The value the inspect view shows under `label`."""
    match = re.search(rf"<dt>{label}</dt>\s*<dd>\s*(.*?)\s*</dd>", html, re.S)
    assert match, label
    return match.group(1)


def sent_notification(**kwargs) -> Notification:
    notification = queue(**kwargs)
    service.send_notification(notification.pk)
    notification.refresh_from_db()
    mail.outbox.clear()
    return notification


def test_operators_list_and_filter_notifications(operator_client, customer_record):
    failed = failed_notification(to="selhal@example.cz")
    sent_notification(to="odeslano@example.cz", template="request_rejected")
    index = reverse("notifications:index")
    html = operator_client.get(index).content.decode()
    assert "selhal@example.cz" in html and "odeslano@example.cz" in html
    assert "neodesláno" in html and "odesláno" in html

    html = operator_client.get(index + "?status=failed").content.decode()
    assert "selhal@example.cz" in html and "odeslano@example.cz" not in html
    assert reverse("notifications:inspect", args=[failed.pk]) in html

    html = operator_client.get(index + "?template=request_rejected").content.decode()
    assert "odeslano@example.cz" in html and "selhal@example.cz" not in html

    html = operator_client.get(index + "?created_at_from=2000-01-01&created_at_to=2000-12-31")
    assert "selhal@example.cz" not in html.content.decode()
    today = timezone.localdate(failed.created_at).isoformat()
    html = operator_client.get(index + f"?created_at_from={today}&created_at_to={today}")
    assert "selhal@example.cz" in html.content.decode()

    html = operator_client.get(index + "?q=selhal").content.decode()
    assert "selhal@example.cz" in html and "odeslano@example.cz" not in html


def test_the_dashboard_counts_failed_notifications(operator_client, customer_record):
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("notifications:index") in home  # the menu item
    assert "Neodeslané e-maily" not in home  # nothing failed: no panel
    failed_notification()
    failed_notification()
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 e-maily se nepodařilo odeslat." in home
    assert reverse("notifications:index") + "?status=failed" in home


def test_inspecting_shows_what_went_wrong_and_is_logged(operator_client, operator, customer_record):
    failed = failed_notification(
        template="request_rejected", context={**READING, "reason": "Rozmazané foto."}
    )
    html = operator_client.get(reverse("notifications:inspect", args=[failed.pk])).content.decode()
    assert "jana.novakova@example.cz" in html
    assert "Vodárna: Váš samoodečet nebyl přijat" in html  # subject
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in html
    assert "Důvod: Rozmazané foto." in html  # the rendered text
    assert shown_as(html, "Počet pokusů") == str(service.MAX_ATTEMPTS)
    assert shown_as(html, "Další pokus") == "–"  # a failed e-mail waits for a person
    assert 'action="{}"'.format(reverse("notifications:resend", args=[failed.pk])) in html
    entry = OperatorAccessLog.objects.get()
    assert (entry.user, entry.customer) == (operator, customer_record)
    assert entry.view_name == "notifications:inspect"
    queued = queue()
    html = operator_client.get(reverse("notifications:inspect", args=[queued.pk])).content.decode()
    prague_time = formats.localize(timezone.localtime(queued.next_attempt_at))
    assert shown_as(html, "Další pokus") == prague_time


def test_a_queued_notification_shows_a_preview(operator_client, customer_record):
    notification = queue()
    html = operator_client.get(reverse("notifications:inspect", args=[notification.pk]))
    html = html.content.decode()
    assert "Zatím neodesláno" in html and "Schválili jsme samoodečet" in html


def test_resending_a_failed_notification_sends_it(
    operator_client, operator, customer_record, django_capture_on_commit_callbacks
):
    failed = failed_notification()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("notifications:resend", args=[failed.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notifications:inspect", args=[failed.pk])
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT and failed.attempts == 1
    assert [message.to for message in mail.outbox] == [["jana.novakova@example.cz"]]
    assert Notification.objects.count() == 1
    entry = ModelLogEntry.objects.get(action="portal.notification.resend")
    assert entry.user == operator and entry.object_id == str(failed.pk)
    page = operator_client.get(response.url).content.decode()
    assert "E-mail byl zařazen k novému odeslání." in page


def test_resending_a_sent_notification_makes_a_new_copy(
    operator_client, customer_record, django_capture_on_commit_callbacks
):
    original = sent_notification()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("notifications:resend", args=[original.pk]))
    copy = Notification.objects.exclude(pk=original.pk).get()
    assert response.url == reverse("notifications:inspect", args=[copy.pk])
    assert copy.resent_from == original and copy.status == Notification.Status.SENT
    assert (copy.recipient, copy.template, copy.context) == (
        original.recipient,
        original.template,
        original.context,
    )
    original.refresh_from_db()
    assert original.status == Notification.Status.SENT  # the record of what went out stays
    assert len(mail.outbox) == 1
    html = operator_client.get(
        reverse("notifications:inspect", args=[original.pk])
    ).content.decode()
    assert reverse("notifications:inspect", args=[copy.pk]) in html


def test_a_notification_being_sent_cannot_be_resent(operator_client, customer_record):
    notification = queue()
    service.claim_notification(notification.pk)
    response = operator_client.post(
        reverse("notifications:resend", args=[notification.pk]), follow=True
    )
    assert "Tento e-mail se právě odesílá." in response.content.decode()
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_resend_needs_post(operator_client, customer_record):
    failed = failed_notification()
    assert operator_client.get(reverse("notifications:resend", args=[failed.pk])).status_code == 405
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED


def test_resending_a_missing_notification_is_404(operator_client):
    assert operator_client.post(reverse("notifications:resend", args=[999999])).status_code == 404


def test_editors_are_refused(client, editor, customer_record):
    failed = failed_notification()
    login_with_mfa(client, editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("notifications:index") not in home
    assert "Neodeslané e-maily" not in home
    assert client.get(reverse("notifications:index")).status_code == 302
    assert client.get(reverse("notifications:inspect", args=[failed.pk])).status_code == 302
    response = client.post(reverse("notifications:resend", args=[failed.pk]))
    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED and mail.outbox == []
    assert not OperatorAccessLog.objects.exists()


def test_notifications_cannot_be_edited_or_deleted_in_the_admin(operator_client, customer_record):
    from django.urls import NoReverseMatch

    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"notifications:{name}", args=[] if name == "add" else [1])


def test_the_listing_does_not_grow_queries_with_rows(
    operator_client, customer_record, django_assert_max_num_queries
):
    index = reverse("notifications:index")
    for _index in range(3):
        queue()
    operator_client.get(index)  # warm the caches of the admin frame
    with django_assert_max_num_queries(40) as few:
        operator_client.get(index)
    for _index in range(20):
        queue()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = operator_client.get(index).content.decode()
    assert html.count("jana.novakova@example.cz") >= 20
