"""Money as Decimal only: the zero, rounding to the haléř and safe sums of stored amounts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
HALER = Decimal("0.01")
MILLI = Decimal("0.001")


def to_decimal(value: Decimal | int | str | None) -> Decimal:
    """`value` as a Decimal (None is zero); floats are refused, they cannot hold money."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return value if isinstance(value, Decimal) else Decimal(value)


def round_money(value: Decimal) -> Decimal:
    """Round to the haléř, half up (the rule of Czech invoices)."""
    return to_decimal(value).quantize(HALER, rounding=ROUND_HALF_UP)


def round_volume(value: Decimal) -> Decimal:
    """Round a volume to the litre (0.001 m³), the precision of the meters."""
    return to_decimal(value).quantize(MILLI, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of amounts, None counting as zero; always a Decimal, never an int or float."""
    return sum((to_decimal(value) for value in values), ZERO)
