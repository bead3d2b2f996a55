"""E-invoices: the consent goes to ZIS in an outbound batch, and each new invoice or payment
calendar reaches the customer by e-mail with its PDF (and a business's ISDOC), once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.services import update_preferences
from portal.mailings.services import send_einvoices
from portal.models import EInvoiceConsent, Notification
from portal.notifications.services import send_due_notifications
from zis import followups
from zis.outbound.export import export_approved
from zis.outbound.records import OutboundEInvoiceConsent

pytestmark = pytest.mark.django_db

AFTER_IMPORT = dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def outbox(settings, tmp_path) -> Path:
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    settings.ZIS_ACKS = tmp_path / "acks"
    return settings.ZIS_OUTBOX


def consent_before_the_import(user) -> None:
    """The user chose e-invoices before ZIS sent the documents of the recorded batch."""
    update_preferences(user, einvoice=True)
    EInvoiceConsent.objects.filter(user=user).update(at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


def test_the_consent_and_its_withdrawal_reach_zis_once(business_customer, outbox):
    update_preferences(business_customer, einvoice=True)
    update_preferences(business_customer, einvoice=True)  # unchanged: nothing new to report
    (batch,) = export_approved()
    lines = (outbox / batch.batch_id / "einvoice_consents.jsonl").read_text().splitlines()
    (record,) = [OutboundEInvoiceConsent.model_validate_json(line) for line in lines]
    assert (record.customer, record.customer_number, record.consented, record.email) == (
        "C-1002",
        "100002",
        True,
        "ucetni@example.cz",
    )
    assert record.consent_id.startswith("ec-")
    manifest = json.loads((outbox / batch.batch_id / "manifest.json").read_text())
    assert manifest["files"]["einvoice_consents.jsonl"]["records"] == 1
    assert manifest["files"]["self_readings.jsonl"]["records"] == 0
    assert export_approved() == []  # reported once

    update_preferences(business_customer, einvoice=False)
    (second,) = export_approved()
    (line,) = (outbox / second.batch_id / "einvoice_consents.jsonl").read_text().splitlines()
    withdrawal = OutboundEInvoiceConsent.model_validate_json(line)
    assert withdrawal.consented is False and withdrawal.at >= record.at


def test_a_business_gets_each_new_document_once_with_pdf_and_isdoc(business_customer, utility):
    consent_before_the_import(business_customer)
    assert send_einvoices(AFTER_IMPORT) == 2  # the invoice and the payment calendar
    assert send_einvoices(AFTER_IMPORT) == 0  # a later import: nothing twice

    assert send_due_notifications() == 2
    invoice_mail = next(m for m in mail.outbox if "2025000002" in m.subject)
    assert invoice_mail.to == ["ucetni@example.cz"]
    names = sorted(name for name, _content, _type in invoice_mail.attachments)
    assert names[0].endswith(".isdoc") and names[1].endswith(".pdf")
    pdf = next(c for n, c, _t in invoice_mail.attachments if n.endswith(".pdf"))
    assert pdf.startswith(b"%PDF")
    assert "/ucet/nastaveni/" in invoice_mail.body  # the link to the e-mail preferences
    schedule_mail = next(m for m in mail.outbox if m is not invoice_mail)
    assert [name[-4:] for name, _c, _t in schedule_mail.attachments] == [".pdf"]


def test_nothing_without_consent_or_after_withdrawal(business_customer, utility):
    assert send_einvoices(AFTER_IMPORT) == 0
    consent_before_the_import(business_customer)
    update_preferences(business_customer, einvoice=False)
    assert send_einvoices(AFTER_IMPORT) == 0
    assert not Notification.objects.exists()


def test_the_email_is_in_the_users_language(business_customer, utility):
    update_preferences(business_customer, language="en")
    consent_before_the_import(business_customer)
    send_einvoices(AFTER_IMPORT)
    send_due_notifications()
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Your invoice 2025000002" in s for s in subjects), subjects


def test_each_succeeded_import_sends_the_einvoices():
    assert followups.send_einvoices in followups.followups()


def test_operators_see_the_consents_and_their_batch(operator_client, business_customer, outbox):
    update_preferences(business_customer, einvoice=True)
    (batch,) = export_approved()
    listing = operator_client.get(reverse("einvoice-consents:index")).content.decode()
    assert "100002" in listing and "ucetni@example.cz" in listing and batch.batch_id in listing
    assert operator_client.get(reverse("einvoice-consents:add")).status_code in (302, 403)
