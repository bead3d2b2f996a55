"""One place for preferences: My account lists every kind of e-mail with its switch, and saving
the e-invoice switch records the consent for each linked customer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.services import get_profile
from portal.models import EInvoiceConsent

pytestmark = pytest.mark.django_db

SWITCHES = (
    "notify_request_decisions",
    "notify_notices",
    "notify_warnings",
    "notify_reminders",
    "einvoice",
    "notify_invitations",
)


def test_every_kind_of_email_has_its_switch(client, customer):
    client.force_login(customer)
    page = client.get(reverse("portal-account:preferences")).content.decode()
    for name in SWITCHES:
        assert f'name="{name}"' in page, name
    assert 'name="reminder_days"' in page
    assert "Elektronické doklady" in page


def test_switching_einvoices_on_records_the_consent(client, customer, customer_record):
    client.force_login(customer)
    form = {"language": "cs", "einvoice": "on", "notify_reminders": "on", "reminder_days": "5"}
    response = client.post(reverse("portal-account:preferences"), form)
    assert response.status_code == 302
    profile = get_profile(customer)
    assert profile.einvoice and profile.notify_reminders and profile.reminder_days == 5
    (consent,) = EInvoiceConsent.objects.all()
    assert (consent.customer, consent.consented, consent.email) == (
        customer_record,
        True,
        "jana.novakova@example.cz",
    )
    overview = client.get(reverse("portal-account:overview")).content.decode()
    assert "ano, 5 dní předem" in overview


def test_reminder_days_out_of_range_are_refused(client, customer):
    client.force_login(customer)
    form = {"language": "cs", "notify_reminders": "on", "reminder_days": "30"}
    response = client.post(reverse("portal-account:preferences"), form)
    assert response.status_code == 200
    assert not get_profile(customer).notify_reminders


def test_a_customer_linked_later_is_covered_by_the_einvoice_choice(customer, other_customer_record):
    from portal.accounts.services import issue_activation_code, link_customer, update_preferences

    update_preferences(customer, einvoice=True)
    _code, plain = issue_activation_code(other_customer_record)
    link_customer(customer, other_customer_record.number, plain)
    consents = EInvoiceConsent.objects.filter(consented=True).order_by("pk")
    assert [c.customer.number for c in consents] == ["300100", "300200"]
