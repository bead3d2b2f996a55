"""Tax base and VAT of an amount received with VAT included (tax documents for advances)."""

from __future__ import annotations

from decimal import Decimal

from portal.lib.vat import VatSplit, split_gross, sum_splits


def test_vat_is_computed_backwards_and_rounded_to_the_haler():
    split = split_gross(Decimal("800.00"), Decimal("12"))
    assert (split.base, split.vat, split.total) == (
        Decimal("714.29"),
        Decimal("85.71"),
        Decimal("800.00"),
    )


def test_base_and_vat_always_add_up_to_the_amount_received():
    for amount in ("0.01", "99.99", "1432.03", "47166.45", "6000.00"):
        for rate in ("10", "12", "15", "21"):
            split = split_gross(Decimal(amount), Decimal(rate))
            assert split.base + split.vat == Decimal(amount)


def test_the_rate_is_the_one_given_never_assumed():
    assert split_gross(Decimal("100.00"), Decimal("21")).vat == Decimal("17.36")
    assert split_gross(Decimal("110.00"), Decimal("10")).vat == Decimal("10.00")
    assert split_gross(Decimal("500.00"), Decimal("0")).vat == Decimal("0.00")


def test_splits_add_up_per_rate():
    rows = [
        split_gross(Decimal("800.00"), Decimal("12")),
        split_gross(Decimal("110.00"), Decimal("10")),
        split_gross(Decimal("800.00"), Decimal("12.00")),
    ]
    assert sum_splits(rows) == [
        VatSplit(Decimal("10"), Decimal("100.00"), Decimal("10.00"), Decimal("110.00")),
        VatSplit(Decimal("12"), Decimal("1428.58"), Decimal("171.42"), Decimal("1600.00")),
    ]
