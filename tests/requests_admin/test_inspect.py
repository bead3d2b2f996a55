"""The inspect view: the request against the meter's history, the expected range, the photo."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.models import OperatorAccessLog
from portal.requests.models import RequestStatus
from tests.factories import billing as f
from tests.factories.accounts import mfa_client
from tests.factories.requests import address_change, flagged_reading, self_reading

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_inspect_shows_the_reading_against_the_meter(operator_client, operator, household):
    obj = flagged_reading(household.meter, "412.000")
    self_reading(
        household.meter, "120.000", status=RequestStatus.APPROVED, date=dt.date(2025, 6, 1)
    )

    response = operator_client.get(reverse("self-readings:inspect", args=[obj.pk]))
    page = text(response)

    assert response.status_code == 200
    assert "300100 Jana Nováková" in page and "SV-1001" in page and "412,000 m³" in page
    # the meter's recent approved readings, newest first, with their kinds
    history = page.split("Poslední schválené odečty vodoměru SV-1001", 1)[1]
    assert re.search(r"31\. 12\. 2025 136,500 m³ odhad", history), history[:600]
    assert "1. 6. 2025 120,000 m³" in history and "10. 1. 2025 100,000 m³" in history
    # the expected range and the implied consumption: (412 − 136.5) m³ over 60 days
    assert "139,200 m³ – 163,800 m³" in page
    assert "275,500 m³" in page and "4,592 m³" in page
    assert "Denní spotřeba podle nahlášeného stavu 4,592 m³/den" in page
    assert "Označeno: Spotřeba je mnohem vyšší" in page  # the flag reason
    assert OperatorAccessLog.objects.filter(user=operator, customer=household.customer).exists()


def test_the_customer_confirmation_is_shown(operator_client, household):
    obj = flagged_reading(household.meter, "412.000")
    plain = self_reading(household.meter, "150.000")

    flagged_page = text(operator_client.get(reverse("self-readings:inspect", args=[obj.pk])))
    plain_page = text(operator_client.get(reverse("self-readings:inspect", args=[plain.pk])))

    assert "Odběratel potvrdil, že hodnota je správná." in flagged_page
    assert "Odběratel potvrdil neobvyklou hodnotu ano" in flagged_page
    assert "Odběratel potvrdil neobvyklou hodnotu ne" in plain_page
    assert "Odběratel potvrdil, že hodnota je správná." not in plain_page


def test_the_photo_is_shown_to_operators_only(client, operator_client, household, editor):
    obj = self_reading(household.meter, "150.000", photo=True)
    photo_url = reverse("self-readings:photo", args=[obj.pk])

    page = operator_client.get(reverse("self-readings:inspect", args=[obj.pk])).content.decode()
    assert f'src="{photo_url}"' in page
    response = operator_client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:3] == b"\xff\xd8\xff"  # a JPEG
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert OperatorAccessLog.objects.filter(what="fotografie samoodečtu").exists()

    refused = mfa_client(editor).get(photo_url)  # Wagtail sends them to the admin home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    anonymous = client.get(photo_url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    with pytest.raises(ValueError):
        obj.photo.url  # noqa: B018 - private storage has no public address


def test_a_request_without_photo_says_so(operator_client, household):
    obj = self_reading(household.meter, "150.000")
    page = operator_client.get(reverse("self-readings:inspect", args=[obj.pk])).content.decode()
    assert "self-readings/photo" not in page and "photo/" not in page.split("<main", 1)[-1]
    assert operator_client.get(reverse("self-readings:photo", args=[obj.pk])).status_code == 404


def test_a_meter_without_history_has_no_range(operator_client, neighbour):
    obj = self_reading(
        neighbour.meter,
        "12.000",
        expected_min=None,
        expected_max=None,
        previous_value=None,
        previous_date=None,
    )
    response = operator_client.get(reverse("self-readings:inspect", args=[obj.pk]))
    page = text(response)
    assert response.status_code == 200 and "12,000 m³" in page
    assert "Očekávaný stav vodoměru není s čím porovnat" in page
    assert "Vodoměr zatím nemá žádný schválený odečet." in page


def test_inspect_of_an_address_change_shows_both_addresses(operator_client, household):
    obj = address_change(household.customer, note="Stěhujeme se.")
    page = text(operator_client.get(reverse("address-changes:inspect", args=[obj.pk])))
    assert "Zelinářská 515/2, Dejvice, 160 00 Praha" in page  # new
    assert "Nádražní 12, 530 02 Testov" in page  # current mailing address
    assert "Stěhujeme se." in page


def test_recent_readings_are_limited_to_ten(operator_client, household):
    for month in range(1, 13):
        f.ReadingFactory(meter=household.meter, date=dt.date(2024, month, 1), value=Decimal(month))
    obj = self_reading(household.meter, "150.000")
    page = operator_client.get(reverse("self-readings:inspect", args=[obj.pk])).content.decode()
    table = page.split('class="listing recent-readings"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 11  # header + ten readings
    assert "31. 12. 2025" in table.replace("\xa0", " ") and "1. 1. 2024" not in table.replace(
        "\xa0", " "
    )


def test_inspect_shows_times_in_prague_time(operator_client, household):
    submitted = dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC)  # 11:30 in Prague (CET)
    obj = self_reading(household.meter, "150.000", submitted_at=submitted)

    page = text(operator_client.get(reverse("self-readings:inspect", args=[obj.pk])))

    assert "15. ledna 2026 11:30" in page
    assert "10:30" not in page
