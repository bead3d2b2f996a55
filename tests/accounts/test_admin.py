"""Operators see and revoke links, issue codes with a letter; administrators read the access log."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.accounts.services import link_customer
from portal.audit.services import log_operator_access
from portal.lib.client_ip import hash_ip
from portal.models import ActivationCode, CustomerLink, OperatorAccessLog
from tests.factories.accounts import login_with_mfa

pytestmark = pytest.mark.django_db


def test_operators_list_and_search_links(operator_client, customer, other_customer):
    html = operator_client.get(reverse("customer-links:index")).content.decode()
    assert "jana.novakova@example.cz" in html and "petr.svoboda@example.cz" in html
    html = operator_client.get(reverse("customer-links:index") + "?q=Svoboda").content.decode()
    assert "petr.svoboda@example.cz" in html and "jana.novakova@example.cz" not in html


def test_inspecting_a_link_is_logged(operator_client, operator, customer, customer_record):
    link = customer.customer_links.get()
    response = operator_client.get(reverse("customer-links:inspect", args=[link.pk]))
    assert response.status_code == 200
    entry = OperatorAccessLog.objects.get()
    assert (entry.user, entry.customer, entry.customer_number) == (
        operator,
        customer_record,
        "300100",
    )
    assert entry.user_display == operator.email and entry.view_name == "customer-links:inspect"


def test_operators_revoke_a_link_and_it_is_audited(operator_client, operator, customer):
    link = customer.customer_links.get()
    url = reverse("customer-links:delete", args=[link.pk])
    assert "jana.novakova@example.cz" in operator_client.get(url).content.decode()
    operator_client.post(url)
    assert not CustomerLink.objects.filter(pk=link.pk).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", user=operator).exists()


def test_links_cannot_be_made_or_edited_by_hand(operator_client, administrator, customer):
    link = customer.customer_links.get()
    for url in (reverse("customer-links:add"), reverse("customer-links:edit", args=[link.pk])):
        assert operator_client.get(url).status_code != 200, url
    operator_client.logout()
    login_with_mfa(operator_client, administrator)
    assert operator_client.get(reverse("customer-links:add")).status_code != 200


def test_issuing_a_code_prints_a_letter_with_a_working_code(
    operator_client, operator, customer_record, outsider
):
    form = operator_client.get(reverse("activation-codes:add") + "?customer=300100")
    assert 'value="300100"' in form.content.decode()
    response = operator_client.post(
        reverse("activation-codes:add"), {"customer": "300100", "valid_days": "30"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    code = re.search(r'class="letter__code">([A-Z0-9-]+)<', html).group(1)
    assert "Jana Nováková" in html and "300100" in html
    issued = ActivationCode.objects.get(customer=customer_record)
    assert issued.check_code(code) and code not in issued.code_hash
    assert issued.valid_until is not None and issued.zis_id is None
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=operator).exists()
    assert OperatorAccessLog.objects.filter(customer=customer_record, user=operator).exists()
    assert link_customer(outsider, "300100", code).customer == customer_record


def test_an_unknown_customer_number_is_an_error(operator_client):
    response = operator_client.post(
        reverse("activation-codes:add"), {"customer": "999999", "valid_days": "30"}
    )
    assert response.status_code == 200 and not ActivationCode.objects.exists()


def test_the_code_list_never_shows_hashes(operator_client, customer_record):
    ActivationCode.objects.create(customer=customer_record, code_hash="sha256$abc$def")
    code = ActivationCode.objects.get()
    listing = operator_client.get(reverse("activation-codes:index")).content.decode()
    inspect = operator_client.get(reverse("activation-codes:inspect", args=[code.pk]))
    assert "sha256$" not in listing and "sha256$" not in inspect.content.decode()
    assert operator_client.get(reverse("activation-codes:edit", args=[code.pk])).status_code != 200


def test_only_administrators_read_the_access_log_and_nobody_edits_it(
    client, operator, administrator, customer_record
):
    entry = OperatorAccessLog.objects.create(
        user=operator,
        user_display=operator.email,
        customer=customer_record,
        customer_number="300100",
        what="customer detail",
    )
    login_with_mfa(client, operator)
    assert client.get(reverse("operator-access-log:index")).status_code != 200
    client.logout()
    login_with_mfa(client, administrator)
    html = client.get(reverse("operator-access-log:index")).content.decode()
    assert "customer detail" in html and operator.email in html
    filtered = client.get(reverse("operator-access-log:index") + "?customer_number=300200")
    assert "customer detail" not in filtered.content.decode()
    index = reverse("operator-access-log:index")
    for url in (f"{index}new/", f"{index}edit/{entry.pk}/", f"{index}delete/{entry.pk}/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"what": "changed"}).status_code == 404, url
    entry.refresh_from_db()
    assert OperatorAccessLog.objects.count() == 1 and entry.what == "customer detail"


def test_log_operator_access_records_who_what_where(operator, customer_record):
    request = RequestFactory().get("/admin/customers/inspect/1/", REMOTE_ADDR="192.0.2.7")
    request.user = operator
    entry = log_operator_access(request, customer_record, "customer detail")
    assert entry.ip_hash == hash_ip("192.0.2.7") and "192.0.2.7" not in entry.ip_hash
    assert entry.path == "/admin/customers/inspect/1/" and entry.what == "customer detail"
    assert hash_ip("192.0.2.7") != hash_ip("192.0.2.8")
