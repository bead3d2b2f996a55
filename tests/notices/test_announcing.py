"""Publishing a notice: e-mails to affected customers, once; updates and cancellations."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.accounts.services import update_preferences
from portal.notices.services import notices_for_customer
from portal.notifications.models import Notification
from tests.factories.accounts import CustomerLinkFactory
from tests.factories.billing import SupplyPointFactory

from .conftest import add_notice, republish

pytestmark = pytest.mark.django_db

NADRAZNI = [{"municipality": "Testov", "street": "Nádražní", "number_from": 1, "number_to": 20}]


def linked(street="Nádražní", number="12"):
    point = SupplyPointFactory(street=street, house_number=number)
    link = CustomerLinkFactory(customer=point.customer)
    return link.user, point


def notice_mails(**filters):
    return Notification.objects.filter(template="notice", **filters)


def test_publishing_emails_each_affected_customer_once(notice_index, utility):
    affected, point = linked()
    SupplyPointFactory(customer=point.customer, street="Nádražní", house_number="14")
    outsider, _point = linked(number="40")
    add_notice(notice_index, places=NADRAZNI)
    mails = notice_mails()
    assert [mail.recipient for mail in mails] == [affected.email]
    context = mails.get().context["notice"]
    assert context["title"] == "Odstávka vody"
    assert context["change"] == "new"
    assert "Nádražní" in context["places"][0]
    assert notice_mails(recipient=outsider.email).count() == 0


def test_the_e_mail_says_what_when_and_where(notice_index, utility):
    from portal.notifications.services import render_notification

    linked()
    add_notice(notice_index, title="Oprava řadu v Nádražní", places=NADRAZNI)
    rendered = render_notification(notice_mails().get())
    assert "Oprava řadu v Nádražní" in rendered.subject
    assert "Plánovaná odstávka" in rendered.subject
    assert "Nádražní" in rendered.text
    assert "Z důvodu opravy vodovodního řadu." in rendered.text
    assert "Můj účet" in rendered.text or "zákaznickém portálu" in rendered.text


def test_a_customer_who_opted_out_gets_nothing(notice_index, utility):
    user, _point = linked()
    update_preferences(user, notify_notices=False)
    add_notice(notice_index, places=NADRAZNI)
    assert notice_mails().count() == 0


def test_republishing_unchanged_sends_nothing_again(notice_index, utility):
    linked()
    notice = add_notice(notice_index, places=NADRAZNI)
    republish(notice)
    republish(notice)
    assert notice_mails().count() == 1


def test_an_update_goes_to_the_same_people(notice_index, utility):
    user, _point = linked()
    notice = add_notice(notice_index, places=NADRAZNI)
    republish(notice, expected_end_at=notice.expected_end_at + dt.timedelta(hours=3))
    mails = list(notice_mails(recipient=user.email).order_by("pk"))
    assert [mail.context["notice"]["change"] for mail in mails] == ["new", "updated"]


def test_a_cancellation_tells_those_who_were_told(notice_index, utility):
    user, _point = linked()
    notice = add_notice(notice_index, places=NADRAZNI)
    republish(notice, cancelled=True)
    changes = [m.context["notice"]["change"] for m in notice_mails().order_by("pk")]
    assert changes == ["new", "cancelled"]
    assert notices_for_customer(user=user) == []


def test_dashboard_list_has_the_current_notices_of_the_customers_points(notice_index, utility):
    user, point = linked()
    _other, other_point = linked(number="40")
    notice = add_notice(notice_index, places=NADRAZNI)
    found = notices_for_customer([point.pk])
    assert [(n.pk, n.title, n.kind) for n in found] == [(notice.pk, "Odstávka vody", "outage")]
    assert found[0].url == notice.url
    assert notices_for_customer(user=user)[0].pk == notice.pk
    assert notices_for_customer(customer=other_point.customer) == []


def test_a_notice_that_ended_is_no_longer_listed(notice_index, utility):
    from django.utils import timezone

    _user, point = linked()
    past = timezone.now() - dt.timedelta(days=3)
    add_notice(
        notice_index,
        places=NADRAZNI,
        starts_at=past,
        expected_end_at=past + dt.timedelta(hours=2),
    )
    assert notices_for_customer([point.pk]) == []
