"""Every admin list or search that shows customers' personal data is in the operators' access
log: who, when, which view, the search and filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import OperatorAccessLog
from tests.factories.accounts import login_with_mfa
from tests.factories.requests import address_change

pytestmark = pytest.mark.django_db

LISTS = [
    ("customers", "seznam odběratelů", "Nováková"),
    ("supply-points", "seznam odběrných míst", "Nováková"),
    ("customer-links", "seznam propojení s odběrateli", "Nováková"),
    ("activation-codes", "seznam aktivačních kódů", "300100"),
    ("einvoice-consents", "seznam souhlasů s elektronickými doklady", "300100"),
    ("self-readings", "fronta samoodečtů", "300100"),
    ("address-changes", "fronta změn adresy", "300100"),
    ("notifications", "seznam e-mailových oznámení", "novakova"),
]


def only_entry() -> OperatorAccessLog:
    entries = list(OperatorAccessLog.objects.all())
    assert len(entries) == 1, [str(entry) for entry in entries]
    return entries[0]


@pytest.mark.parametrize(("viewset", "what", "search"), LISTS, ids=[row[0] for row in LISTS])
def test_opening_a_list_is_logged_with_its_search(
    operator_client, operator, customer, viewset, what, search
):
    response = operator_client.get(reverse(f"{viewset}:index"), {"q": search, "p": "1"})
    assert response.status_code == 200

    entry = only_entry()
    assert entry.user == operator and entry.user_display == operator.email
    assert entry.what == what  # in the operator's language (Czech)
    assert entry.view_name == f"{viewset}:index"
    assert entry.query == f"q={search} p=1"
    assert entry.customer is None and entry.customer_number == ""


@pytest.mark.parametrize("viewset", ["customers", "self-readings"])
def test_the_live_search_results_are_logged_too(operator_client, customer, viewset):
    """Typing in the search box reloads only the results (a view of its own)."""
    response = operator_client.get(reverse(f"{viewset}:index_results"), {"q": "300100"})
    assert response.status_code == 200
    entry = only_entry()
    assert entry.view_name == f"{viewset}:index_results" and entry.query == "q=300100"


def test_refused_lists_are_not_logged_as_seen(client, editor):
    login_with_mfa(client, editor)  # editors may not see customers
    assert client.get(reverse("customers:index")).status_code in (302, 403)
    assert not OperatorAccessLog.objects.exists()


def test_control_characters_in_the_query_do_not_break_the_log(operator_client, customer):
    response = operator_client.get(reverse("customers:index"), {"status": "a\x00b\x1b"})
    assert response.status_code == 200
    assert only_entry().query == "status=a\N{REPLACEMENT CHARACTER}b\N{REPLACEMENT CHARACTER}"


def test_administrators_read_list_entries_with_their_query(
    client, operator_client, administrator, customer
):
    operator_client.get(reverse("customers:index"), {"q": "Nováková"})
    login_with_mfa(client, administrator)
    html = client.get(reverse("operator-access-log:index")).content.decode()
    assert "q=Nováková" in html
    found = client.get(reverse("operator-access-log:index"), {"q": "Nováková"})
    assert "q=Nováková" in found.content.decode()
    entry = OperatorAccessLog.objects.get()
    inspect = client.get(reverse("operator-access-log:inspect", args=[entry.pk]))
    assert inspect.status_code == 200 and "customers:index" in inspect.content.decode()


def test_a_requests_history_is_logged_as_access_to_its_customer(
    operator_client, operator, customer, customer_record
):
    request = address_change(customer_record)
    response = operator_client.get(reverse("address-changes:history", args=[request.pk]))
    assert response.status_code == 200
    entry = only_entry()
    assert entry.customer == customer_record and entry.customer_number == customer_record.number
    assert entry.what == "historie požadavku" and entry.user == operator


def test_the_list_of_user_accounts_is_logged(client, administrator, customer):
    """Settings → Users lists customers' accounts (e-mail addresses, names)."""
    login_with_mfa(client, administrator)
    response = client.get(reverse("wagtailusers_users:index"), {"ordering": "name"})
    assert response.status_code == 200
    # the customer's account is listed
    assert reverse("wagtailusers_users:edit", args=[customer.pk]) in response.content.decode()
    entry = only_entry()
    assert entry.user == administrator and entry.what == "seznam uživatelů"
    assert entry.view_name == "wagtailusers_users:index" and entry.query == "ordering=name"
