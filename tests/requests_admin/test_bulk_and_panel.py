"""Bulk approve leaves flagged requests alone; the admin home counts what waits."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.models import RequestStatus, SelfReadingRequest
from tests.factories.accounts import mfa_client
from tests.factories.requests import address_change, flagged_reading, self_reading

pytestmark = pytest.mark.django_db


def bulk_url(model_name: str, *objs) -> str:
    url = reverse("wagtail_bulk_action", args=["portal", model_name, "approve"])
    return url + "?" + "&".join(f"id={obj.pk}" for obj in objs)


def test_bulk_approve_skips_flagged_requests(operator_client, operator, household, neighbour):
    plain = [self_reading(household.meter, "150.000"), self_reading(neighbour.meter, "42.000")]
    flagged = [flagged_reading(household.meter), flagged_reading(neighbour.meter, "999.000")]
    decided = self_reading(household.meter, "149.000", status=RequestStatus.REJECTED)
    url = bulk_url("selfreadingrequest", *plain, *flagged, decided)

    confirm = operator_client.get(url)
    html = re.sub(r"\s+", " ", confirm.content.decode())
    assert confirm.status_code == 200
    assert "SV-1001" in html and "SV-2002" in html and "412,000" in html  # flagged are listed
    assert re.search(r"\b2\b[^<]*(flagged|označen)", html), html[-3000:]

    response = operator_client.post(url, {"next": reverse("self-readings:index")})

    assert response.status_code == 302
    for obj in plain:
        obj.refresh_from_db()
        assert obj.status == RequestStatus.APPROVED and obj.decided_by == operator
    for obj in flagged:
        obj.refresh_from_db()
        assert obj.status == RequestStatus.PENDING
    decided.refresh_from_db()
    assert decided.status == RequestStatus.REJECTED
    assert ModelLogEntry.objects.filter(action="pramen.request.approve").count() == 2
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(re.search(r"\b2\b", text) and "412" not in text for text in texts), texts
    assert len(texts) == 2  # how many were approved, how many flagged were skipped


def test_bulk_approve_of_address_changes(operator_client, household, neighbour):
    changes = [address_change(household.customer), address_change(neighbour.customer)]
    operator_client.post(bulk_url("addresschangerequest", *changes))
    assert {change.__class__.objects.get(pk=change.pk).status for change in changes} == {
        RequestStatus.APPROVED
    }


def test_selecting_all_in_the_listing_approves_nothing(operator_client, household):
    obj = self_reading(household.meter, "150.000")
    url = reverse("wagtail_bulk_action", args=["portal", "selfreadingrequest", "approve"])
    operator_client.post(url + "?id=all")
    assert SelfReadingRequest.objects.get(pk=obj.pk).status == RequestStatus.PENDING


def panel(client) -> str:
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    if 'id="pending-requests' not in html and "pending-requests" not in html:
        return ""
    part = html.split("pending-requests", 1)[1].split("</table>", 1)[0]
    return re.sub(r"\s+", " ", part)


def test_the_admin_home_counts_pending_requests(operator_client, household, neighbour, editor):
    self_reading(household.meter, "150.000")
    self_reading(neighbour.meter, "42.000")
    flagged_reading(household.meter)
    self_reading(household.meter, "149.000", status=RequestStatus.APPROVED)
    address_change(household.customer)

    shown = panel(operator_client)

    index = reverse("self-readings:index")
    rows = re.findall(
        r'<a href="([^"]+)">([^<]+)</a>\s*</td>\s*<td class="pending-count">(\d+)<', shown
    )
    counts = {url.replace("&amp;", "&"): int(count) for url, _label, count in rows}
    assert counts == {
        f"{index}?status=pending": 3,
        f"{index}?status=pending&flagged=yes": 1,
        reverse("address-changes:index") + "?status=pending": 1,
        reverse("advance-changes:index") + "?status=pending": 0,
    }
    assert panel(mfa_client(editor)) == ""


def test_the_panel_links_open_the_filtered_queue(operator_client, household):
    self_reading(household.meter, "150.000")
    flagged_reading(household.meter)
    html = operator_client.get(
        reverse("self-readings:index") + "?status=pending&flagged=yes"
    ).content.decode()
    listing = html.split('id="listing-results"', 1)[1]
    assert "412,000" in listing and "150,000" not in listing
    home = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("self-readings:index") in home and reverse("address-changes:index") in home
