"""The queues: filters, search by customer and supply point, oldest pending first, columns."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from portal.models import RequestStatus
from tests.factories.requests import SUBMITTED, address_change, flagged_reading, self_reading

pytestmark = pytest.mark.django_db

INDEX = "self-readings:index"


def rows(response) -> list[str]:
    """The listing's rows as text, in order."""
    html = response.content.decode()
    listing = html.split('id="listing-results"', 1)[1]
    body = listing.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in listing else ""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr")[1:]
    ]


def test_the_queue_lists_the_oldest_pending_first(operator_client, household, neighbour):
    self_reading(household.meter, "150.000", days_ago=1)
    self_reading(neighbour.meter, "42.000", days_ago=5)
    self_reading(household.meter, "149.000", days_ago=9, status=RequestStatus.APPROVED)

    listing = rows(operator_client.get(reverse(INDEX)))

    assert len(listing) == 3
    assert "300200 Petr Svoboda" in listing[0] and "42,000" in listing[0]
    assert "300100 Jana Nováková" in listing[1] and "150,000" in listing[1]
    assert "OM-300100 / SV-1001" in listing[1]
    approved = str(RequestStatus.APPROVED.label)
    assert "149,000" in listing[2] and approved in listing[2]  # decided ones come last
    assert "1. 3. 2026 150,000 m³ 1. 3. 2026 10:30" in listing[1]  # reading date, submitted
    assert "25. 2. 2026 10:30" in listing[0]


def test_filters_by_status_and_flag(operator_client, household):
    self_reading(household.meter, "150.000")
    flagged_reading(household.meter, "412.000")
    self_reading(household.meter, "149.000", status=RequestStatus.REJECTED)

    flagged = rows(operator_client.get(reverse(INDEX) + "?status=pending&flagged=yes"))
    assert len(flagged) == 1 and "412,000" in flagged[0]
    unflagged = rows(operator_client.get(reverse(INDEX) + "?status=pending&flagged=no"))
    assert len(unflagged) == 1 and "150,000" in unflagged[0]
    rejected = rows(operator_client.get(reverse(INDEX) + "?status=rejected"))
    assert len(rejected) == 1 and "149,000" in rejected[0]


def test_filters_by_submitted_date_range(operator_client, household):
    self_reading(household.meter, "150.000", submitted_at=SUBMITTED)
    self_reading(household.meter, "151.000", submitted_at=SUBMITTED - dt.timedelta(days=40))

    url = reverse(INDEX) + "?submitted_at_from=2026-03-01&submitted_at_to=2026-03-02"
    listing = rows(operator_client.get(url))
    assert len(listing) == 1 and "150,000" in listing[0]


def test_search_by_supply_point_and_customer_number(operator_client, household, neighbour):
    self_reading(household.meter, "150.000")
    self_reading(neighbour.meter, "42.000")

    by_point = rows(operator_client.get(reverse(INDEX) + "?q=OM-300200"))
    assert len(by_point) == 1 and "Petr Svoboda" in by_point[0]
    by_customer = rows(operator_client.get(reverse(INDEX) + "?q=300100"))
    assert len(by_customer) == 1 and "Jana Nováková" in by_customer[0]
    filtered = rows(operator_client.get(reverse(INDEX) + "?supply_point_number=OM-300100"))
    assert len(filtered) == 1 and "Jana Nováková" in filtered[0]


def test_address_changes_show_the_new_address(operator_client, household, neighbour):
    address_change(household.customer)
    address_change(neighbour.customer, status=RequestStatus.APPROVED, house_number="7")

    listing = rows(operator_client.get(reverse("address-changes:index") + "?status=pending"))
    assert len(listing) == 1
    assert "300100 Jana Nováková" in listing[0] and "Zelinářská 515/2" in listing[0]
    assert "160 00 Praha" in listing[0] and str(RequestStatus.PENDING.label) in listing[0]


def test_the_listing_needs_few_queries(
    operator_client, household, neighbour, django_assert_max_num_queries
):
    for value in ("150.000", "151.000", "152.000"):
        self_reading(household.meter, value)
        self_reading(neighbour.meter, value)
    with django_assert_max_num_queries(25):
        response = operator_client.get(reverse(INDEX))
    assert len(rows(response)) == 6
