"""Small domain rules on the models: rainwater volume, activation codes, addresses, meters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from portal.accounts.models import code_matches, hash_code
from portal.models import RUNOFF_COEFFICIENTS, Address, RainwaterAssessment
from tests.factories import billing as f


def test_rainwater_volume_follows_the_decree_example():
    # DOMAIN.md: (1200 × 0.9 + 500 × 0.4 + 250 × 0.05) m² × 0.686 m = 886.7 m³/year
    assessment = RainwaterAssessment(
        area_a=Decimal("1200"),
        area_c=Decimal("500"),
        area_f=Decimal("250"),
        precipitation_normal=Decimal("0.686"),
        price=Decimal("45.30"),
    )
    assessment.recompute()
    assert assessment.volume == Decimal("886.655")
    assert assessment.volume.quantize(Decimal("0.1")) == Decimal("886.7")
    assert assessment.amount == Decimal("40165.47")


def test_rainwater_areas_list_every_category(db):
    areas = f.RainwaterAssessmentFactory().areas()
    assert [a.category for a in areas] == list("ABCDEF")
    assert [a.coefficient for a in areas] == list(RUNOFF_COEFFICIENTS.values())
    assert areas[0].reduced_area == Decimal("1080.000")
    assert RUNOFF_COEFFICIENTS["B"] == Decimal("0.6")


def test_activation_code_is_stored_hashed_and_salted(db):
    code = f.ActivationCodeFactory(code="ABCD-1234")
    assert "ABCD" not in code.code_hash
    assert code.check_code("abcd 1234")
    assert not code.check_code("ABCD-1235")
    assert hash_code("ABCD-1234") != hash_code("ABCD-1234")  # a fresh salt each time
    assert not code_matches("ABCD-1234", "md5$x$y")


def test_activation_code_usable_until_used_or_expired(db):
    code = f.ActivationCodeFactory(valid_until=dt.date(2025, 6, 30))
    assert code.is_usable(dt.date(2025, 6, 30))
    assert not code.is_usable(dt.date(2025, 7, 1))
    code.used_at = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    assert not code.is_usable(dt.date(2025, 5, 2))
    assert code.created_at is not None


def test_address_prints_the_czech_way():
    address = Address("Zelinářská", "515", "2", "Dejvice", "Praha", "16000")
    assert str(address) == "Zelinářská 515/2, Dejvice, 160 00 Praha"
    village = Address("", "42", "", "Lhota", "Dolní Lhota", "74766")
    assert village.lines() == ["Lhota 42", "747 66 Dolní Lhota"]


def test_meter_activity_and_tariff_price_lookup(db):
    meter = f.MeterFactory(installed_on=dt.date(2020, 1, 1), removed_on=dt.date(2024, 6, 30))
    assert meter.is_active_on(dt.date(2024, 6, 30))
    assert not meter.is_active_on(dt.date(2024, 7, 1))
    price = f.TariffPriceFactory(valid_from=dt.date(2024, 1, 1))
    f.TariffPriceFactory(
        tariff=price.tariff,
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2023, 12, 31),
        vat_rate=Decimal("10"),
    )
    assert price.tariff.price_on(dt.date(2023, 7, 1)).vat_rate == Decimal("10")
    assert price.tariff.price_on(dt.date(2025, 7, 1)) == price
    assert price.tariff.price_on(dt.date(2022, 7, 1)) is None
