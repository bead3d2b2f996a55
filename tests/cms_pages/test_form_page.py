"""The "ask us" form: stored, e-mailed to staff and to the sender, and protected from spam."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from tests.factories.pages import add_form_page

pytestmark = pytest.mark.django_db

VALID = {"jmeno": "Jana Nováková", "e_mail": "jana@example.cz", "zprava": "Kdy bude odečet?"}


@pytest.fixture
def form_page(home):
    return add_form_page(home)


def test_form_shows_labelled_fields_and_a_hidden_trap(client, form_page):
    html = client.get(form_page.url).content.decode()

    assert '<label for="id_jmeno">Jméno' in html
    assert 'type="email"' in html
    assert "visually-hidden" in html and 'name="website"' in html


def test_submission_is_stored_and_emailed_to_staff_and_sender(client, form_page):
    response = client.post(form_page.url, VALID)

    assert response.status_code == 200
    assert "Zpráva odešla." in response.content.decode()
    submission = FormSubmission.objects.get(page=form_page)
    assert submission.get_data()["zprava"] == "Kdy bude odečet?"
    assert "website" not in submission.form_data
    staff, sender = sorted(mail.outbox, key=lambda m: m.to[0] != "podatelna@testov.example")
    assert staff.to == ["podatelna@testov.example"]
    assert "Kdy bude odečet?" in staff.body
    assert sender.to == ["jana@example.cz"]
    assert sender.subject == "Přijali jsme vaši zprávu"
    assert sender.body.startswith("Děkujeme, ozveme se do tří pracovních dnů.")
    assert "Kdy bude odečet?" in sender.body


def test_missing_required_field_is_explained_and_nothing_is_sent(client, form_page):
    response = client.post(form_page.url, {**VALID, "zprava": ""})

    html = response.content.decode()
    assert 'id="id_zprava_error"><p>Toto pole je povinné.</p>' in html
    assert 'value="Jana Nováková"' in html  # what the visitor typed is kept
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_filled_by_a_bot_is_rejected(client, form_page):
    response = client.post(form_page.url, {**VALID, "website": "http://spam.example"})

    assert "Zprávu se nepodařilo odeslat" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_flood_from_one_address_is_stopped(client, form_page, settings):
    settings.PRAMEN_FORM_RATE_LIMIT = 3
    for _ in range(3):
        client.post(form_page.url, VALID)

    response = client.post(form_page.url, VALID)

    assert "Z vašeho připojení bylo odesláno příliš mnoho zpráv" in response.content.decode()
    assert FormSubmission.objects.count() == 3
    other = client.post(form_page.url, VALID, REMOTE_ADDR="10.0.0.2")
    assert "Zpráva odešla." in other.content.decode()
    assert FormSubmission.objects.count() == 4
