"""Customers' text is shown escaped wherever it goes: the tracker, the operators' admin, e-mails.

The payloads go in through the real forms — the address lines and the note of the address
change, the name and the message of the "ask us" form, and the e-mail address (allauth's forms take a quoted local part such as
`"<svg/onload=…>"@example.cz`, which Django's validator accepts) — and are looked for, raw and
escaped, in every page and message that shows them.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.forms.models import FormSubmission

from portal.models import AddressChangeRequest
from portal.requests.services.decisions import approve_request, reject_request
from tests.factories.accounts import client_for, mfa_client
from tests.factories.billing import household_with_history
from tests.factories.pages import add_form_page
from tests.requests.conftest import token
from tests.support.pages import sub

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "street": '<script>alert("street")</script>',
    "part_of_municipality": '"><img src=x onerror=alert(1)>',
    "municipality": "Praha<svg onload=alert(2)>",
    "note": "</textarea><script>alert('note')</script>",
}
EMAIL = '"<svg/onload=alert(3)>"@example.cz'
# The payloads' tags as a browser would run them (the admin has <script> tags of its own).
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg onload", "<svg/onload")


def assert_escaped(html: str, where: str, shown: tuple[str, ...]) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: {marker!r} is not escaped"
    for value in shown:
        assert escape(value) in html, f"{where}: {value!r} is not shown (escaped) at all"


@pytest.fixture
def submitted(customer, customer_record, portal) -> AddressChangeRequest:
    """An address change sent through the portal's form with a payload in every text field."""
    household_with_history(customer_record, timezone.localdate())
    validate_email(EMAIL)  # the address form of allauth accepts it too
    customer.email = EMAIL
    customer.save(update_fields=["email"])
    customer.emailaddress_set.update(email=EMAIL)
    data = {
        **PAYLOADS,
        "house_number": "515",
        "orientation_number": "2",
        "postcode": "160 00",
        "effective_date": timezone.localdate().isoformat(),
        "token": token(),
    }
    response = client_for(customer).post(sub(portal.details, "address_change"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AddressChangeRequest.objects.get()


def test_the_stored_values_are_the_payloads(submitted):
    for field, value in PAYLOADS.items():
        assert getattr(submitted, field) == value


def test_the_refused_form_shows_the_payloads_escaped(customer, customer_record, portal):
    household_with_history(customer_record, timezone.localdate())
    data = {**PAYLOADS, "house_number": "", "postcode": "", "token": token()}
    response = client_for(customer).post(sub(portal.details, "address_change"), data)
    assert response.status_code == 200
    assert_escaped(response.content.decode(), "the refused form", (PAYLOADS["street"],))


def test_the_tracker_shows_them_escaped(customer, portal, submitted):
    html = client_for(customer).get(sub(portal.details, "requests")).content.decode()
    assert_escaped(html, "the tracker", (PAYLOADS["street"], PAYLOADS["municipality"]))


def test_the_operators_queue_and_inspect_view_show_them_escaped(operator_client, submitted):
    queue = operator_client.get(reverse("address-changes:index") + "?status=pending")
    assert queue.status_code == 200
    assert_escaped(queue.content.decode(), "the queue", (PAYLOADS["street"],))
    inspect = operator_client.get(reverse("address-changes:inspect", args=[submitted.pk]))
    assert inspect.status_code == 200
    assert_escaped(
        inspect.content.decode(),
        "the inspect view",
        (PAYLOADS["street"], PAYLOADS["part_of_municipality"], PAYLOADS["note"], EMAIL),
    )


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_decision_emails_html_shows_them_escaped(
    operator, submitted, decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is sent after the commit
        if decision == "approve":
            approve_request(submitted, operator)
        else:
            reject_request(submitted, operator, "Adresa <b>neexistuje</b>.")
    [message] = mail.outbox
    assert message.to == [EMAIL]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert_escaped(html, f"the {decision} e-mail", (PAYLOADS["street"],))
    if decision == "reject":
        assert "<b>neexistuje</b>" not in html and escape("<b>neexistuje</b>") in html


ASK_US = {
    "jmeno": "Jana<script>alert('jmeno')</script>",
    "e_mail": "jana@example.cz",
    "zprava": "<img src=x onerror=alert('zprava')>Kdy bude odečet?",
}


def test_the_ask_us_submissions_are_escaped_in_the_admin_and_the_emails(
    client, home, administrator
):
    form_page = add_form_page(home)
    response = client.post(form_page.url, ASK_US)
    assert "Zpráva odešla." in response.content.decode()
    assert FormSubmission.objects.get().get_data()["jmeno"] == ASK_US["jmeno"]

    listing = mfa_client(administrator).get(
        reverse("wagtailforms:list_submissions", args=[form_page.pk])
    )
    assert listing.status_code == 200
    assert_escaped(listing.content.decode(), "the admin's submissions", (ASK_US["jmeno"],))
    assert len(mail.outbox) == 2  # to the staff and to the sender; plain text unless HTML added
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_escaped(content, f"the e-mail to {message.to}", ())
