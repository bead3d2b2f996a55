"""My account: linked customers, unlinking, preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.services import wants_decision_emails
from portal.models import AccountProfile, CustomerLink
from tests.factories.accounts import CustomerLinkFactory

pytestmark = pytest.mark.django_db


def test_my_account_lists_my_customers_and_the_security_links(
    client, customer, other_customer_record, django_assert_max_num_queries
):
    CustomerLinkFactory(user=customer, customer=other_customer_record)
    client.force_login(customer)
    with django_assert_max_num_queries(20):  # the frame (menu, settings, userbar) included
        response = client.get(reverse("portal-account:overview"))
    html = response.content.decode()
    assert "Jana Nováková" in html and "Petr Svoboda" in html
    for name in ("account_change_password", "account_email", "mfa_index"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("portal-account:export-data")}"' in html
    assert "no-store" in response["Cache-Control"]


def test_my_account_does_not_show_other_peoples_customers(client, customer, other_customer):
    client.force_login(customer)
    html = client.get(reverse("portal-account:overview")).content.decode()
    assert "Petr Svoboda" not in html and "300200" not in html


def test_unlinking_asks_then_removes_only_the_link(client, customer, customer_record):
    link = customer.customer_links.get()
    url = reverse("portal-account:unlink-customer", kwargs={"link_pk": link.pk})
    client.force_login(customer)
    assert "300100" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("portal-account:overview")
    assert not CustomerLink.objects.filter(pk=link.pk).exists()
    customer_record.refresh_from_db()  # the customer's data stays


def test_nobody_unlinks_someone_elses_link(client, customer, other_customer):
    theirs = other_customer.customer_links.get()
    client.force_login(customer)
    url = reverse("portal-account:unlink-customer", kwargs={"link_pk": theirs.pk})
    assert client.post(url).status_code == 404
    assert CustomerLink.objects.filter(pk=theirs.pk).exists()


def test_preferences_are_saved_and_english_opens_the_english_account(client, customer):
    client.force_login(customer)
    assert wants_decision_emails(customer)
    page = client.get(reverse("portal-account:preferences")).content.decode()
    assert "<fieldset" in page and "<legend>" in page  # the language radios are a group
    response = client.post(reverse("portal-account:preferences"), {"language": "en"})
    assert response["Location"] == "/en/ucet/"
    profile = AccountProfile.objects.get(user=customer)
    assert profile.language == "en" and not profile.notify_request_decisions
    assert not wants_decision_emails(customer)


def test_an_invalid_language_is_refused(client, customer):
    client.force_login(customer)
    response = client.post(reverse("portal-account:preferences"), {"language": "de"})
    assert response.status_code == 200
    assert 'aria-describedby="id_language_helptext id_language_error"' in response.content.decode()
    assert not AccountProfile.objects.filter(user=customer).exists()
