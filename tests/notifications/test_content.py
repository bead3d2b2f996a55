"""What the customer receives: subject, text and HTML in Czech or English, values formatted for
the language, the utility's contacts and a link to the request tracker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from portal.models import Notification
from portal.notifications.services import send_notification
from tests.factories.notifications import ADDRESS, READING, queue

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    """Non-breaking spaces (between a number and its unit) as ordinary ones, for assertions."""
    return text.replace("\xa0", " ")


def sent(notification: Notification) -> mail.EmailMultiAlternatives:
    mail.outbox.clear()
    send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT, notification.last_error
    (message,) = mail.outbox
    return message


def html_of(message: mail.EmailMultiAlternatives) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return plain(html)


def test_approved_reading_in_czech(utility, customer_record):
    message = sent(queue("request_approved", READING, "cs"))
    assert message.subject == "Vodárna Testov: Váš samoodečet byl schválen"
    assert message.from_email == "Vodárna Testov <info@testov.example>"
    assert message.reply_to == ["info@testov.example"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    text = plain(message.body)
    assert text.startswith("Dobrý den,\n\nSchválili jsme samoodečet")
    for expected in (
        "Číslo odběratele: 300100 (Jana Nováková)",
        "Vodoměr: VM-2024-0042",
        "Datum odečtu: 15. 11. 2026",
        "Stav vodoměru: 1 234,456 m³",
        "http://testserver/portal/moje-udaje/pozadavky/",
        "Vodárna Testov, a.s.",
        "Nádražní 12, 530 02 Testov",
        "Telefon: +420 466 123 456",
        "Po a St 8:00–17:00",
    ):
        assert expected in text, expected
    html = html_of(message)
    assert '<html lang="cs">' in html
    assert "15. 11. 2026" in html and "1 234,456 m³" in html
    assert 'href="http://testserver/portal/moje-udaje/pozadavky/"' in html
    assert "Zobrazit moje požadavky" in html and "info@testov.example" in html


def test_approved_reading_in_english(utility, customer_record):
    message = sent(queue("request_approved", READING, "en"))
    assert message.subject == "Vodárna Testov: Your meter reading has been approved"
    text = plain(message.body)
    assert text.startswith("Hello,\n\nWe have approved the meter reading")
    for expected in (
        "Customer number: 300100 (Jana Nováková)",
        "Meter: VM-2024-0042",
        "Reading date: 15 November 2026",
        "Meter reading: 1,234.456 m³",
        "http://testserver/en/portal/moje-udaje/pozadavky/",
        "Phone: +420 466 123 456",
    ):
        assert expected in text, expected
    html = html_of(message)
    assert '<html lang="en">' in html and "15 November 2026" in html
    assert 'href="http://testserver/en/portal/moje-udaje/pozadavky/"' in html


def test_a_rejection_carries_the_reason_in_both_parts(utility, customer_record):
    context = {**READING, "reason": "Hodnota neodpovídá fotografii <vodoměru>."}
    message = sent(queue("request_rejected", context, "cs"))
    assert message.subject == "Vodárna Testov: Váš samoodečet nebyl přijat"
    text = plain(message.body)
    assert "Důvod: Hodnota neodpovídá fotografii <vodoměru>." in text  # plain text, unescaped
    assert "Opravený odečet můžete poslat" in text
    html = html_of(message)
    assert "Hodnota neodpovídá fotografii &lt;vodoměru&gt;." in html  # escaped in HTML
    assert "<vodoměru>" not in html


def test_a_rejected_address_change_in_english(utility, customer_record):
    context = {**ADDRESS, "reason": "The postcode does not match the municipality."}
    message = sent(queue("request_rejected", context, "en"))
    assert message.subject == "Vodárna Testov: Your change of mailing address has not been accepted"
    text = plain(message.body)
    assert "Reason: The postcode does not match the municipality." in text
    assert "New mailing address: Zelinářská 515/2, Dejvice, 160 00 Praha 6" in text
    assert "Effective from: 1 December 2026" in text
    assert "Meter:" not in text


def test_approved_address_change_in_czech(utility, customer_record):
    message = sent(queue("request_approved", ADDRESS, "cs"))
    assert message.subject == "Vodárna Testov: Vaše změna korespondenční adresy byla schválena"
    text = plain(message.body)
    assert "Nová korespondenční adresa: Zelinářská 515/2, Dejvice, 160 00 Praha 6" in text
    assert "Platí od: 1. 12. 2026" in text
    assert "Vodoměr:" not in text


@pytest.mark.parametrize(
    ("language", "context", "subject"),
    [
        ("cs", READING, "Vodárna Testov: Váš samoodečet je zapsán"),
        ("en", READING, "Vodárna Testov: Your meter reading has been recorded"),
        ("cs", ADDRESS, "Vodárna Testov: Vaše nová korespondenční adresa je zapsána"),
        ("en", ADDRESS, "Vodárna Testov: Your new mailing address has been recorded"),
    ],
)
def test_confirmed_by_zis(utility, customer_record, language, context, subject):
    message = sent(queue("request_confirmed", context, language))
    assert message.subject == subject
    assert "Vodárna Testov" in message.body


def test_the_text_part_is_tidy(utility, customer_record):
    text = sent(queue("request_approved", READING, "cs")).body
    assert "\n\n\n" not in text and "{%" not in text and "&" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


@override_settings(PRAMEN_PUBLIC_BASE_URL="https://www.vodarna-testov.cz/")
def test_links_use_the_public_address_and_the_recipients_language(utility, customer_record):
    english_path = {**READING, "tracker_path": "/en/portal/moje-udaje/pozadavky/"}
    text = sent(queue("request_approved", english_path, "cs")).body
    assert "https://www.vodarna-testov.cz/portal/moje-udaje/pozadavky/" in text
    text = sent(queue("request_approved", READING, "en")).body
    assert "https://www.vodarna-testov.cz/en/portal/moje-udaje/pozadavky/" in text


def test_a_whole_number_reading_and_a_missing_tracker(utility, customer_record):
    context = {**READING, "reading_value": "87", "tracker_path": ""}
    text = plain(sent(queue("request_approved", context, "cs")).body)
    assert "Stav vodoměru: 87 m³" in text
    assert "/portal/" not in text  # no tracker link; the preferences link is always there
    assert "http://testserver/ucet/nastaveni/" in text


def test_without_a_site_the_utility_defaults_are_used(customer_record):
    message = sent(queue("request_approved", READING, "cs"))
    assert message.subject == "Vodárna: Váš samoodečet byl schválen"


def test_a_utility_name_with_punctuation_is_quoted_in_the_sender(utility, customer_record):
    utility.name = "Vodárna Testov, a.s."
    utility.save()
    message = sent(queue("request_approved", READING, "cs"))
    assert message.from_email == '"Vodárna Testov, a.s." <info@testov.example>'
    assert "info@testov.example" in message.message()["From"]
