"""Czech number, money, date and volume formats used on every portal page.

Money "1 234,50 Kč", dates "15. 12. 2026", volumes "12,345 m³" (the meters' precision, litres).
Thousands are grouped with non-breaking spaces and the unit is tied to the number with one, so a
figure never breaks across lines. The formats are the same in the English interface: the figures
are Czech crowns on Czech documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

NBSP = "\u00a0"
VOLUME_PLACES = 3  # m³ to the litre, as the meters and ZIS record them


def format_decimal(value: Decimal | int | str | None, places: int = 2) -> str:
    """1234.5 → "1 234,50" (non-breaking space between thousands, decimal comma)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _dot, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        integer, group = integer[:-3], integer[-3:]
        groups.insert(0, group)
    grouped = NBSP.join([integer, *groups])
    return f"{sign}{grouped},{fraction}" if places > 0 else f"{sign}{grouped}"


def format_money(value: Decimal | int | str | None) -> str:
    """1234.5 → "1 234,50 Kč"."""
    text = format_decimal(value, 2)
    return f"{text}{NBSP}Kč" if text else ""


def format_volume(value: Decimal | int | str | None, places: int = VOLUME_PLACES) -> str:
    """12.345 → "12,345 m³"."""
    text = format_decimal(value, places)
    return f"{text}{NBSP}m³" if text else ""


CUBIC_METRE_SPELLINGS = ("m3", "m³", "mtq", "m^3")


def normalise_unit(unit: str | None) -> str:
    """A unit as printed: ZIS may spell the cubic metre "m3" or "MTQ"; it is always "m³"."""
    text = (unit or "").strip()
    return "m³" if text.lower() in CUBIC_METRE_SPELLINGS else text


def format_quantity(quantity: Decimal | int | str | None, unit: str | None) -> str:
    """An invoice line's quantity with its unit: "36,000 m³", "2 ks"; "–" when it has none."""
    if quantity is None or quantity == "":
        return "–"
    unit = normalise_unit(unit)
    if unit == "m³":
        return format_volume(quantity)
    text = format_plain(quantity)
    return f"{text}{NBSP}{unit}" if unit else text


def format_per_day(value: Decimal | int | str | None) -> str:
    """0.245 → "0,245 m³/day" (in Czech "m³/den")."""
    text = format_decimal(value, VOLUME_PLACES)
    unit = _("m³/day")
    return f"{text}{NBSP}{unit}" if text else ""


def format_area(value: Decimal | int | str | None) -> str:
    """1200 → "1 200,00 m²"."""
    text = format_decimal(value, 2)
    return f"{text}{NBSP}m²" if text else ""


def format_plain(value: Decimal | int | str | None) -> str:
    """A decimal with as many places as it needs: 0.90 → "0,9", 12.00 → "12", 0.686 → "0,686"."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return format_decimal(number, places)


def format_percent(value: Decimal | int | str | None) -> str:
    """A VAT rate: 12.00 → "12 %"."""
    text = format_plain(value)
    return f"{text}{NBSP}%" if text else ""


def format_date(value: dt.date | None) -> str:
    """2026-12-15 → "15. 12. 2026"."""
    if value is None:
        return ""
    return f"{value.day}.{NBSP}{value.month}.{NBSP}{value.year}"


def format_date_short(value: dt.date | None) -> str:
    """For spreadsheets and CSV files: 2026-12-15 → "15.12.2026"."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    """A date range: "1. 1. 2024 – 31. 12. 2024"."""
    if start is None and end is None:
        return ""
    return f"{format_date(start)} – {format_date(end)}"
