"""Approve and reject: confirmation, the reason, the log, and two operators at once."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.models import RequestStatus, SelfReadingRequest
from portal.requests.services.decisions import approve_request
from tests.factories.accounts import mfa_client
from tests.factories.requests import address_change, self_reading

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_approving_asks_first_then_approves_and_logs(operator_client, operator, household):
    obj = self_reading(household.meter, "150.000")
    url = reverse("self-readings:approve", args=[obj.pk])

    confirm = operator_client.get(url)
    assert confirm.status_code == 200 and "SV-1001" in text(confirm)
    obj.refresh_from_db()
    assert obj.status == RequestStatus.PENDING  # a GET changes nothing

    response = operator_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("self-readings:index")
    obj.refresh_from_db()
    assert obj.status == RequestStatus.APPROVED and obj.decided_by == operator
    assert obj.decided_at is not None
    entry = ModelLogEntry.objects.get(action="pramen.request.approve")
    assert entry.user == operator and entry.object_id == str(obj.pk)
    assert any("SV-1001" in message for message in shown_messages(response))


def test_approve_from_the_queue_returns_to_the_filtered_queue(operator_client, household):
    obj = self_reading(household.meter, "150.000")
    queue = reverse("self-readings:index") + "?status=pending&flagged=no"
    listing = operator_client.get(queue).content.decode()
    approve = reverse("self-readings:approve", args=[obj.pk])
    link = html.unescape(re.search(rf'href="({re.escape(approve)}[^"]*)"', listing).group(1))

    confirm = operator_client.get(link).content.decode()
    hidden = re.search(r'name="next" value="([^"]+)"', confirm)
    response = operator_client.post(link, {"next": html.unescape(hidden.group(1))})

    assert response.status_code == 302 and response["Location"] == queue
    obj.refresh_from_db()
    assert obj.status == RequestStatus.APPROVED


def test_a_rejection_needs_a_reason(operator_client, household):
    obj = self_reading(household.meter, "150.000")
    url = reverse("self-readings:reject", args=[obj.pk])

    response = operator_client.post(url, {"reason": "   "})

    assert response.status_code == 200
    assert "error-message" in response.content.decode() or "errorlist" in response.content.decode()
    assert SelfReadingRequest.objects.get(pk=obj.pk).status == RequestStatus.PENDING
    assert not ModelLogEntry.objects.filter(action="pramen.request.reject").exists()


def test_rejecting_with_a_reason(operator_client, operator, household):
    obj = address_change(household.customer)
    url = reverse("address-changes:reject", args=[obj.pk])

    response = operator_client.post(url, {"reason": "Adresa v RÚIAN neexistuje."})

    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == RequestStatus.REJECTED
    assert obj.rejection_reason == "Adresa v RÚIAN neexistuje." and obj.decided_by == operator
    entry = ModelLogEntry.objects.get(action="pramen.request.reject")
    assert entry.user == operator and entry.data["reason"] == "Adresa v RÚIAN neexistuje."
    page = text(operator_client.get(reverse("address-changes:inspect", args=[obj.pk])))
    assert "Adresa v RÚIAN neexistuje." in page and "operator@vodarna.example" in page


def test_two_operators_at_once_one_wins_the_other_is_told(operator, second_operator, household):
    obj = self_reading(household.meter, "150.000")
    first, second = mfa_client(operator), mfa_client(second_operator)
    # both opened the request while it was pending …
    assert first.get(reverse("self-readings:reject", args=[obj.pk])).status_code == 200
    assert second.get(reverse("self-readings:approve", args=[obj.pk])).status_code == 200
    # … the first rejects, then the second's approval arrives
    first.post(reverse("self-readings:reject", args=[obj.pk]), {"reason": "Nečitelná fotka."})
    response = second.post(reverse("self-readings:approve", args=[obj.pk]), follow=True)

    assert response.status_code == 200
    page = text(response)
    assert "Olga Operátorová" in page  # who decided first, in the error message
    assert response.redirect_chain[-1][0] == reverse("self-readings:inspect", args=[obj.pk])
    obj.refresh_from_db()
    assert obj.status == RequestStatus.REJECTED and obj.decided_by == operator
    assert obj.rejection_reason == "Nečitelná fotka."
    assert ModelLogEntry.objects.filter(action__startswith="pramen.request.").count() == 1


def test_a_decided_request_offers_no_decision(operator_client, operator, household):
    obj = self_reading(household.meter, "150.000")
    approve_request(obj, operator)

    page = operator_client.get(reverse("self-readings:inspect", args=[obj.pk])).content.decode()
    assert reverse("self-readings:approve", args=[obj.pk]) not in page
    response = operator_client.get(reverse("self-readings:reject", args=[obj.pk]))
    assert response.status_code == 302  # back to the request, with a message
    assert response["Location"] == reverse("self-readings:inspect", args=[obj.pk])


def test_the_history_shows_the_decision(operator_client, operator, household):
    obj = self_reading(household.meter, "150.000")
    operator_client.post(reverse("self-readings:approve", args=[obj.pk]))

    response = operator_client.get(reverse("self-readings:history", args=[obj.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "Olga Operátorová" in page or "operator@vodarna.example" in page
    approved = str(ModelLogEntry.objects.get().message)
    assert approved and approved in page


def test_the_history_shows_the_rejection_reason(operator_client, operator, household):
    obj = self_reading(household.meter, "150.000")
    operator_client.post(
        reverse("self-readings:reject", args=[obj.pk]), {"reason": "Na fotce je jiný vodoměr."}
    )

    page = text(operator_client.get(reverse("self-readings:history", args=[obj.pk])))

    assert "Požadavek zamítnut: Na fotce je jiný vodoměr." in page
