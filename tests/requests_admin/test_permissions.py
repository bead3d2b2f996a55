"""Only operators see the queues and only those with the "decide" permission decide."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.models import RequestStatus, SelfReadingRequest
from tests.factories.accounts import UserFactory, mfa_client
from tests.factories.requests import address_change, self_reading

pytestmark = pytest.mark.django_db

REFUSED = "/admin/"  # Wagtail answers a refusal by sending staff to the admin home


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == REFUSED
    )


def urls(obj, name: str) -> list[str]:
    return [
        reverse(f"{name}:index"),
        reverse(f"{name}:inspect", args=[obj.pk]),
        reverse(f"{name}:history", args=[obj.pk]),
        reverse(f"{name}:approve", args=[obj.pk]),
        reverse(f"{name}:reject", args=[obj.pk]),
    ]


def test_editors_neither_see_nor_open_the_queues(editor, household):
    reading = self_reading(household.meter, "150.000", photo=True)
    change = address_change(household.customer)
    client = mfa_client(editor)

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("self-readings:index") not in home
    assert reverse("address-changes:index") not in home
    for url in [
        *urls(reading, "self-readings"),
        *urls(change, "address-changes"),
        reverse("self-readings:photo", args=[reading.pk]),
    ]:
        assert refused(client.get(url)), url
    assert refused(client.post(reverse("self-readings:approve", args=[reading.pk])))
    assert SelfReadingRequest.objects.get(pk=reading.pk).status == RequestStatus.PENDING


def test_anonymous_visitors_are_sent_to_log_in(client, household):
    reading = self_reading(household.meter, "150.000")
    for url in urls(reading, "self-readings"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    client.post(reverse("self-readings:approve", args=[reading.pk]))
    assert SelfReadingRequest.objects.get(pk=reading.pk).status == RequestStatus.PENDING


def test_staff_without_the_decide_permission_only_look(viewer, household):
    reading = self_reading(household.meter, "150.000")
    client = mfa_client(viewer)

    assert client.get(reverse("self-readings:index")).status_code == 200
    inspect = client.get(reverse("self-readings:inspect", args=[reading.pk]))
    assert inspect.status_code == 200
    assert reverse("self-readings:approve", args=[reading.pk]) not in inspect.content.decode()
    listing = client.get(reverse("self-readings:index")).content.decode()
    assert reverse("self-readings:approve", args=[reading.pk]) not in listing
    assert "bulk-action" not in listing.split('id="listing-results"', 1)[1]

    assert refused(client.post(reverse("self-readings:approve", args=[reading.pk])))
    assert refused(client.post(reverse("self-readings:reject", args=[reading.pk]), {"reason": "x"}))
    bulk = reverse("wagtail_bulk_action", args=["portal", "selfreadingrequest", "approve"])
    assert refused(client.post(f"{bulk}?id={reading.pk}"))
    assert SelfReadingRequest.objects.get(pk=reading.pk).status == RequestStatus.PENDING


def test_staff_without_mfa_are_sent_to_set_it_up(household):
    user = UserFactory(email="bez.mfa@vodarna.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("self-readings:index"))
    assert response.status_code == 302 and not response["Location"].startswith("/admin/")


def test_setup_groups_lets_operators_decide(household):
    call_command("setup_groups", verbosity=0)
    granted = set(
        Group.objects.get(name="Operators").permissions.values_list("codename", flat=True)
    )
    assert {
        "view_selfreadingrequest",
        "decide_selfreadingrequest",
        "view_addresschangerequest",
        "decide_addresschangerequest",
    } <= granted


def test_administrators_grant_the_decide_permission_in_the_group_editor(administrator, household):
    group = Group.objects.create(name="Kontrola odečtů")
    page = mfa_client(administrator).get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Může schvalovat a zamítat samoodečty" in html
    assert "Může schvalovat a zamítat změny korespondenční adresy" in html
