"""Supply points: list and detail with meters, prices in force, advances and payment method."""

from __future__ import annotations

import pytest

from portal.models import SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import czech, html, table_rows

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_supply_point_with_its_advance(portal, property_manager):
    client = client_for(property_manager)
    rows = table_rows(client.get(portal.supply_points.url, {"customer": "100002"}))
    assert len(rows) == 1
    number, address, meters, advance, _method = rows[0]
    assert number == "OM-000002"
    assert address == "Mlýnská 1024, 500 03 Hradec Králové"
    assert meters == "ZR-20-031337"
    assert advance.startswith("6 000,00 Kč")


def test_the_detail_shows_meters_with_verification_and_prices_in_force(portal, customer):
    point = SupplyPoint.objects.get(number="OM-000001")
    response = client_for(customer).get(
        sub(portal.supply_points, "supply_point", supply_point_pk=point.pk)
    )
    page = html(response)
    # prices of the tariff valid today (since 1 January 2024): without VAT, 12 %, with VAT
    water, sewage = table_rows(response, 0)
    assert water[1:] == ["52,10 Kč", "12 %", "58,35 Kč"]
    assert sewage[1:] == ["45,30 Kč", "12 %", "50,74 Kč"]
    # meters: the replaced one (removed, no next verification) and the remote-read one
    old, new = table_rows(response, 1)
    assert old[0] == "SE-18-004211" and old[2:5] == ["2. 5. 2018", "30. 6. 2024", "–"]
    assert new[0] == "DI-24-000117" and new[2:5] == ["30. 6. 2024", "–", "30. 6. 2030"]
    assert new[5] == "45,125 m³ (31. 12. 2024)"
    assert czech("800,00 Kč") in page


def test_sipo_payment_shows_the_connection_number(portal, other_customer):
    point = SupplyPoint.objects.get(number="OM-000003")
    page = html(
        client_for(other_customer).get(
            sub(portal.supply_points, "supply_point", supply_point_pk=point.pk)
        )
    )
    assert "1234567890" in page
    assert czech("400,00 Kč") in page
