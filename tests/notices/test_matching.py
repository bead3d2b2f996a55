"""Which supply points a notice's places affect."""

from __future__ import annotations

import pytest

from portal.notices.models import NoticePlace
from portal.notices.services import affected_supply_points
from tests.factories.billing import SupplyPointFactory

pytestmark = pytest.mark.django_db


def point(street, number, municipality="Testov", orientation="", part=""):
    return SupplyPointFactory(
        street=street,
        house_number=number,
        orientation_number=orientation,
        municipality=municipality,
        part_of_municipality=part,
    )


def affected(*places):
    return set(affected_supply_points([NoticePlace(**place) for place in places]))


def test_a_whole_municipality_is_every_address_in_it():
    a = point("Nádražní", "12")
    b = point("", "7", part="Lhota")
    other = point("Nádražní", "12", municipality="Jinov")
    assert affected({"municipality": "Testov"}) == {a.pk, b.pk}
    assert other.pk not in affected({"municipality": "Testov"})


def test_a_part_of_a_municipality():
    lhota = point("", "7", part="Lhota")
    point("", "8", part="Dolní Ves")
    assert affected({"municipality": "Testov", "part_of_municipality": "Lhota"}) == {lhota.pk}


def test_a_street_without_numbers_is_the_whole_street():
    a = point("Nádražní", "1")
    b = point("Nádražní", "250")
    point("Krátká", "1")
    assert affected({"municipality": "Testov", "street": "Nádražní"}) == {a.pk, b.pk}


def test_a_range_of_numbers_uses_the_orientation_number_when_there_is_one():
    inside = point("Nádražní", "1450", orientation="14")
    edge = point("Nádražní", "20")
    outside = point("Nádražní", "21")
    letter = point("Nádražní", "980", orientation="16a")
    place = {"municipality": "Testov", "street": "Nádražní", "number_from": 10, "number_to": 20}
    found = affected(place)
    assert {inside.pk, edge.pk, letter.pk} <= found
    assert outside.pk not in found


def test_odd_and_even_sides_of_a_street():
    odd = point("Nádražní", "11")
    even = point("Nádražní", "12")
    base = {"municipality": "Testov", "street": "Nádražní", "number_from": 1, "number_to": 99}
    assert affected({**base, "parity": "odd"}) == {odd.pk}
    assert affected({**base, "parity": "even"}) == {even.pk}


def test_an_open_ended_range():
    low = point("Nádražní", "3")
    high = point("Nádražní", "300")
    place = {"municipality": "Testov", "street": "Nádražní", "number_from": 100}
    assert affected(place) == {high.pk}
    assert low.pk not in affected(place)


def test_several_places_add_up():
    a = point("Nádražní", "3")
    b = point("Krátká", "5")
    point("Dlouhá", "5")
    assert affected(
        {"municipality": "Testov", "street": "Nádražní"},
        {"municipality": "Testov", "street": "Krátká"},
    ) == {a.pk, b.pk}
