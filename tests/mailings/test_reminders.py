"""Due-date reminders: opt-in, `reminder_days` ahead, once per advance or invoice; never for a
paid one or a supply point paying by SIPO."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from portal.accounts.services import update_preferences
from portal.mailings.services import send_due_reminders
from portal.models import Customer, CustomerLink, Notification, SupplyPoint
from portal.notifications.services import send_due_notifications
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jana(recorded_batch):
    """Linked to 100001 (advances of 800 Kč monthly, the January one paid); reminders on."""
    user = UserFactory(email="jana@example.cz")
    CustomerLink.objects.create(user=user, customer=Customer.objects.get(number="100001"))
    update_preferences(user, notify_reminders=True, reminder_days=3)
    return user


def test_an_unpaid_advance_is_reminded_once(jana, utility):
    assert send_due_reminders(dt.date(2025, 2, 12)) == 1  # due 15 February, 3 days ahead
    assert send_due_reminders(dt.date(2025, 2, 13)) == 0  # the next morning: not again
    send_due_notifications()
    (message,) = mail.outbox
    assert message.to == ["jana@example.cz"]
    assert "15. 2. 2025" in message.subject
    assert "800,00" in message.body and "1000010001" in message.body


def test_not_too_early(jana):
    assert send_due_reminders(dt.date(2025, 2, 11)) == 0  # 4 days ahead


def test_a_paid_advance_is_not_reminded(jana):
    assert send_due_reminders(dt.date(2025, 1, 13)) == 0  # 15 January: paid on 14 January
    assert not Notification.objects.exists()


def test_a_sipo_payer_gets_no_reminder(jana):
    SupplyPoint.objects.filter(number="OM-000001").update(
        payment_method=SupplyPoint.PaymentMethod.SIPO, sipo_number="1234567890"
    )
    assert send_due_reminders(dt.date(2025, 2, 12)) == 0


def test_without_opting_in_nothing(jana):
    update_preferences(jana, notify_reminders=False)
    assert send_due_reminders(dt.date(2025, 2, 12)) == 0


def test_an_unpaid_invoice_is_reminded(recorded_batch):
    user = UserFactory(email="pekarna@example.cz")
    CustomerLink.objects.create(user=user, customer=Customer.objects.get(number="100002"))
    update_preferences(user, notify_reminders=True, reminder_days=5)
    # The invoice of 100002 (due 22 January) was paid on 20 January: no reminder for it.
    assert send_due_reminders(dt.date(2025, 1, 18)) == 0
    Customer.objects.get(number="100002").payments.filter(invoice__isnull=False).delete()
    assert send_due_reminders(dt.date(2025, 1, 18)) == 1
    assert Notification.objects.get().context["document_number"] == "2025000002"
