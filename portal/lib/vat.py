"""VAT arithmetic of advances and settlements, and the statutory rates of water and sewerage.

A received advance is a price *including* VAT, so its tax is computed backwards (§ 37 odst. 2
of the VAT act, as worded since 1 April 2019, without the former four-place coefficient):

    VAT  = total × rate / (100 + rate), rounded to the haléř half up
    base = total − VAT

so that base + VAT always equals the amount received.

Rates: what ZIS sends is printed as sent (invoice lines, the advances of a payment calendar).
A received payment has no rate of its own in ZIS, so its tax document takes the rate in force on
its date of taxable supply (the payment day) from `WATER_VAT_RATES`, the statutory rates of water
supply and sewerage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from portal.lib.money import ZERO, round_money, to_decimal

HUNDRED = Decimal(100)

# (in force from, rate %) of water supply and sewerage, oldest first.
WATER_VAT_RATES: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(1900, 1, 1), Decimal(15)),
    (dt.date(2020, 5, 1), Decimal(10)),
    (dt.date(2024, 1, 1), Decimal(12)),
)


def water_vat_rate_on(day: dt.date) -> Decimal:
    """The VAT rate of water supply and sewerage in force on `day`."""
    rate = WATER_VAT_RATES[0][1]
    for since, value in WATER_VAT_RATES:
        if day >= since:
            rate = value
    return rate


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


def difference(supply: list[VatSplit], taxed: list[VatSplit]) -> list[VatSplit]:
    """Per rate, the supply minus what was taxed already (§ 37a): what the settlement taxes."""
    rates = sorted({s.rate.normalize() for s in supply} | {s.rate.normalize() for s in taxed})
    out = []
    for rate in rates:
        got = [s for s in supply if s.rate.normalize() == rate]
        paid = [s for s in taxed if s.rate.normalize() == rate]
        base = sum((s.base for s in got), ZERO) - sum((s.base for s in paid), ZERO)
        vat = sum((s.vat for s in got), ZERO) - sum((s.vat for s in paid), ZERO)
        out.append(VatSplit(rate=rate, base=base, vat=vat, total=base + vat))
    return out
