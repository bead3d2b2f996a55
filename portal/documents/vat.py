"""The VAT arithmetic the documents use lives in `portal.lib.vat` (billing needs it too)."""

from portal.lib.vat import (
    WATER_VAT_RATES,
    VatSplit,
    difference,
    split_gross,
    sum_splits,
    water_vat_rate_on,
)

__all__ = [
    "WATER_VAT_RATES",
    "VatSplit",
    "difference",
    "split_gross",
    "sum_splits",
    "water_vat_rate_on",
]
