"""Compact rows of validated records: the batch is parsed once, and applied from these.

Validation turns every record into a tuple, kept in memory until the batch is applied:

    (zis_id, updated_at, *references, tail[, parts])

- ``updated_at`` is the timestamp as ISO text;
- ``references`` are the ZIS ids the record refers to (None when empty), in the order of
  ``zis.records.REFERENCES``; they become primary keys when the row is written;
- ``tail`` holds every other column, already in PostgreSQL's COPY text format: tab-separated,
  NULL as ``\\N``, text escaped. Writing a row is then one string format, and a record costs one
  string instead of a dozen objects;
- ``parts`` (tariffs, invoices, schedules) are the nested rows, built the same way.

Dates and timestamps repeat across records: each distinct one is converted once and shared.
SQLite (tests, development) decodes the text back into values with ``decode``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from portal.accounts.models import hash_code
from zis import records as r

NULL = "\\N"
Row = tuple[Any, ...]
NO_ADDRESS = ("", "", "", "", "", "", NULL)  # an address not given: empty texts, no RÚIAN code

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPED = re.compile(r"\\(.)")
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def esc(value: str) -> str:
    """Text as a COPY text field: backslash, tab and line breaks escaped."""
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def unescape(value: str) -> str:
    return _ESCAPED.sub(lambda match: _UNESCAPES[match.group(1)], value)


def opt(value: str | None) -> str:
    """An optional decimal or code: the value, or NULL."""
    return NULL if value is None else value


def flag(value: bool) -> str:
    return "t" if value else "f"


class Converted(dict):
    """value -> its text, computed once per distinct value (None -> NULL)."""

    def __init__(self, convert: Callable[[Any], str]) -> None:
        super().__init__({None: NULL})
        self.convert = convert

    def __missing__(self, key: Any) -> str:
        text = self[key] = self.convert(key)
        return text


def _isoformat(value: dt.date) -> str:
    return value.isoformat()


class RowBuilder:
    """Builds the row of each entity's record; one per batch (its caches live with it)."""

    def __init__(self) -> None:
        self.dates = Converted(_isoformat)
        self.times = Converted(_isoformat)
        self.texts = Converted(esc)  # short texts that repeat: descriptions, units

    def for_entity(self, entity: str) -> Callable[[Any], Row]:
        return getattr(self, entity)

    def address(self, a: r.Address) -> tuple[str, ...]:
        ruian = NULL if not a.ruian_code else a.ruian_code
        return (
            *(esc(a.street), esc(a.house_number), esc(a.orientation_number)),
            *(esc(a.part_of_municipality), esc(a.municipality), a.postcode, ruian),
        )

    def customers(self, rec: r.CustomerRecord) -> Row:
        tail = "\t".join(
            (
                *(esc(rec.number), rec.kind, esc(rec.name), rec.ico or "", rec.dic or ""),
                *(esc(rec.email), esc(rec.phone), rec.language),
                *self.address(rec.mailing_address),
                *(NO_ADDRESS if rec.seat is None else self.address(rec.seat)),
            )
        )
        return (rec.id, self.times[rec.updated_at], tail)

    def tariffs(self, rec: r.TariffRecord) -> Row:
        d = self.dates
        prices = tuple(
            f"{d[p.valid_from]}\t{d[p.valid_to]}\t{p.water_price}\t{p.sewage_price}\t{p.vat_rate}"
            for p in rec.prices
        )
        return (rec.id, self.times[rec.updated_at], f"{esc(rec.code)}\t{esc(rec.name)}", prices)

    def supply_points(self, rec: r.SupplyPointRecord) -> Row:
        tail = "\t".join(
            (
                esc(rec.number),
                *self.address(rec.address),
                *(flag(rec.is_household), flag(rec.rainwater_charged), rec.advance_amount),
                *(rec.advance_frequency, rec.payment_method, rec.sipo_number or ""),
            )
        )
        return (rec.id, self.times[rec.updated_at], rec.customer, rec.tariff, tail)

    def meters(self, rec: r.MeterRecord) -> Row:
        d = self.dates
        tail = f"{esc(rec.serial_number)}\t{d[rec.installed_on]}\t{d[rec.removed_on]}\t" + flag(
            rec.remote_read
        )
        return (rec.id, self.times[rec.updated_at], rec.supply_point, tail)

    def readings(self, rec: r.ReadingRecord) -> Row:
        tail = f"{self.dates[rec.date]}\t{rec.value}\t{rec.kind}\t{rec.replacement or ''}"
        return (rec.id, self.times[rec.updated_at], rec.meter, tail)

    def daily_consumption(self, rec: r.DailyConsumptionRecord) -> Row:
        tail = f"{self.dates[rec.day]}\t{rec.volume}"
        return (rec.id, self.times[rec.updated_at], rec.meter, tail)

    def invoices(self, rec: r.InvoiceRecord) -> Row:
        d = self.dates
        tail = "\t".join(
            (
                *(esc(rec.number), rec.variable_symbol, d[rec.issued_on], d[rec.tax_point_on]),
                *(d[rec.due_on], d[rec.period_start], d[rec.period_end], rec.total_base),
                *(rec.total_vat, rec.total, rec.advances_paid, rec.balance),
            )
        )
        lines = tuple(self.invoice_line(line) for line in rec.lines)
        vat = tuple(f"{s.vat_rate}\t{s.base}\t{s.vat}\t{s.total}" for s in rec.vat_summary)
        updated = self.times[rec.updated_at]
        return (rec.id, updated, rec.customer, rec.supply_point, tail, (lines, vat))

    def invoice_line(self, line: r.InvoiceLineRecord) -> str:
        d, texts = self.dates, self.texts
        return (
            f"{line.position}\t{line.kind}\t{texts[line.description]}\t{d[line.period_start]}\t"
            f"{d[line.period_end]}\t{opt(line.quantity)}\t{texts[line.unit]}\t"
            f"{opt(line.unit_price)}\t{line.base}\t{line.vat_rate}\t{line.vat}\t{line.total}"
        )

    def advance_schedules(self, rec: r.AdvanceScheduleRecord) -> Row:
        d = self.dates
        tail = (
            f"{d[rec.valid_from]}\t{d[rec.valid_to]}\t{rec.frequency}\t{rec.amount}\t"
            f"{rec.variable_symbol}"
        )
        advances = tuple((a.id, f"{d[a.due_on]}\t{a.amount}\t{a.vat_rate}") for a in rec.advances)
        updated = self.times[rec.updated_at]
        return (rec.id, updated, rec.customer, rec.supply_point, tail, advances)

    def payments(self, rec: r.PaymentRecord) -> Row:
        vs = rec.variable_symbol or ""
        tail = (
            f"{self.dates[rec.received_on]}\t{rec.amount}\t{rec.method}\t{vs}\t"
            f"{esc(rec.tax_document_number)}"
        )
        updated = self.times[rec.updated_at]
        return (rec.id, updated, rec.customer, rec.invoice, rec.advance, tail)

    def rainwater(self, rec: r.RainwaterRecord) -> Row:
        a = rec.areas
        tail = "\t".join(
            (
                *(str(rec.year), a.A, a.B, a.C, a.D, a.E, a.F),
                *(rec.precipitation_normal, rec.volume, rec.price, rec.amount),
            )
        )
        return (rec.id, self.times[rec.updated_at], rec.supply_point, tail)

    def activation_codes(self, rec: r.ActivationCodeRecord) -> Row:
        # Only the salted hash is kept: the plain code never reaches the database or memory.
        tail = f"{hash_code(rec.code)}\t{self.dates[rec.valid_until]}"
        return (rec.id, self.times[rec.updated_at], rec.customer, tail)

    def deletions(self, rec: r.DeletionRecord) -> Row:
        return (rec.id, self.times[rec.updated_at], rec.entity)


# --- decoding the text again (SQLite, and the values Django needs for an update) --------------

# Column kinds of a tail: "t" escaped text, "b" boolean, "i" integer, "" anything else (dates,
# decimals and choices travel as their text, which Django and SQLite accept).
DECODERS: dict[str, Callable[[str], Any]] = {
    "t": unescape,
    "b": lambda value: value == "t",
    "i": int,
}


def decode(tail: str, kinds: Sequence[str]) -> list[Any]:
    """The values of a tail, in column order."""
    values: list[Any] = tail.split("\t")
    for index, kind in enumerate(kinds):
        value = values[index]
        if value == NULL:
            values[index] = None
        elif kind:
            values[index] = DECODERS[kind](value)
    return values


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def microseconds(value: dt.datetime) -> int:
    """Microseconds since the epoch: how stored and batch timestamps are compared."""
    return (value - EPOCH) // MICROSECOND


class Microseconds(dict):
    """ISO timestamp text -> microseconds since the epoch, computed once per distinct text."""

    def __missing__(self, text: str) -> int:
        value = self[text] = microseconds(dt.datetime.fromisoformat(text))
        return value
