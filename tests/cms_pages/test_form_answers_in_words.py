"""The "ask us" e-mails list the answers in words: a checkbox as "ano"/"ne", an empty field as
"(nevyplněno)", never Python's True, False or None; and the demo form asks for no consent."""

import pytest
from django.core import mail

from cms_pages.demo_content.contact import CONTACT_FORM
from cms_pages.models import FormField
from tests.factories.pages import add_form_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(home):
    page = add_form_page(home)
    FormField.objects.create(
        page=page,
        sort_order=3,
        label="Chci odpověď telefonem",
        field_type="checkbox",
        required=False,
    )
    FormField.objects.create(
        page=page, sort_order=4, label="Zavolat dopoledne", field_type="checkbox", required=False
    )
    FormField.objects.create(
        page=page, sort_order=5, label="Telefon", field_type="singleline", required=False
    )
    return page


def test_checkboxes_and_empty_fields_are_written_in_words(client, form_page):
    data = {
        "jmeno": "Jana Nováková",
        "e_mail": "jana@example.cz",
        "zprava": "Dotaz",
        "chci_odpoved_telefonem": "on",
    }
    assert client.post(form_page.url, data).status_code == 200
    assert len(mail.outbox) == 2  # to the staff and the copy to the sender
    for message in mail.outbox:
        assert "Chci odpověď telefonem: ano" in message.body
        assert "Zavolat dopoledne: ne" in message.body
        assert "Telefon: (nevyplněno)" in message.body
        for python in ("True", "False", "None"):
            assert python not in message.body


def test_the_demo_form_asks_no_consent_and_states_its_legal_basis():
    labels = [field["label"] for field in CONTACT_FORM["form_fields"]]
    assert not any("souhlas" in label.lower() for label in labels)
    assert all(field["field_type"] != "checkbox" for field in CONTACT_FORM["form_fields"])
    assert "čl. 6 odst. 1 písm. b) a f) GDPR" in CONTACT_FORM["intro"]
    assert "Souhlas k tomu nepotřebujeme" in CONTACT_FORM["intro"]
