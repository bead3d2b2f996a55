"""VAT arithmetic of the tax documents for received advance payments.

A received advance is a price *including* VAT, so its tax is computed backwards (§ 37 odst. 2
of the VAT act, as worded since 1 April 2019, without the former four-place coefficient):

    VAT  = total × rate / (100 + rate), rounded to the haléř half up
    base = total − VAT

so that base + VAT always equals the amount received. The rate is the one ZIS stores on the
advance (`Advance.vat_rate`); it is never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.lib.money import ZERO, round_money, to_decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class VatSplit:
    """An amount including VAT split into tax base and VAT at one rate."""

    rate: Decimal
    base: Decimal
    vat: Decimal
    total: Decimal


def split_gross(total: Decimal, rate: Decimal) -> VatSplit:
    """Tax base and VAT of `total` (VAT included) at `rate` percent."""
    total, rate = round_money(to_decimal(total)), to_decimal(rate)
    if rate < 0:
        raise ValueError(f"VAT rate {rate} must not be negative")
    vat = round_money(total * rate / (HUNDRED + rate)) if rate else ZERO
    return VatSplit(rate=rate, base=total - vat, vat=vat, total=total)


def sum_splits(splits: list[VatSplit]) -> list[VatSplit]:
    """Splits added up per rate (the recapitulation), lowest rate first."""
    by_rate: dict[Decimal, VatSplit] = {}
    for split in splits:
        key = split.rate.normalize()
        seen = by_rate.get(key)
        by_rate[key] = (
            split
            if seen is None
            else VatSplit(
                rate=seen.rate,
                base=seen.base + split.base,
                vat=seen.vat + split.vat,
                total=seen.total + split.total,
            )
        )
    return [by_rate[rate] for rate in sorted(by_rate)]
