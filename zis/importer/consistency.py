"""Consistency of a batch's figures (EXCHANGE.md § 1.6): errors for arithmetic that cannot be
right, warnings for what may legitimately be odd.

Errors (the batch is refused), per invoice: each line's ``total = base + vat``; per VAT rate,
the lines' bases add up to the VAT summary's base, its VAT is the lines' VAT added up or the
base × rate rounded to the haléř (§ 37 of the VAT act), its ``total = base + vat``; the lines'
rates are the summary's; ``total_base``, ``total_vat`` are the summary's sums and ``total =
total_base + total_vat``; ``balance = total − advances_paid``. Per advance schedule: every advance
is the schedule's ``amount``.

Warnings (imported, shown to operators): a meter index that falls between two readings of the
batch without a meter replacement between them; a rainwater volume that differs from Σ area ×
coefficient × precipitation normal by more than `RAINWATER_TOLERANCE`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sized
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from zis.records import AdvanceScheduleRecord, InvoiceRecord

from .dupes import Partition, bucket_entries
from .rows import NULL, Row

HALER = Decimal("0.01")
MILLI = Decimal("0.001")
RAINWATER_COEFFICIENTS = {
    "A": Decimal("0.9"),
    "B": Decimal("0.6"),
    "C": Decimal("0.4"),
    "D": Decimal("0.3"),
    "E": Decimal("0.1"),
    "F": Decimal("0.05"),
}
RAINWATER_TOLERANCE = Decimal("0.5")  # m³/year: ZIS may round the volume to whole m³

Problem = tuple[str, str]  # (field, message)


def invoice_problems(invoice: InvoiceRecord) -> Iterator[Problem]:
    """What cannot be right in an invoice's arithmetic."""
    d = Decimal
    by_rate: dict[str, list[Decimal]] = defaultdict(lambda: [d(0), d(0)])
    for index, line in enumerate(invoice.lines):
        if d(line.base) + d(line.vat) != d(line.total):
            yield (
                f"lines[{index}].total",
                f"{line.total} is not base + vat ({line.base} + {line.vat})",
            )
        sums = by_rate[line.vat_rate]
        sums[0] += d(line.base)
        sums[1] += d(line.vat)
    summary = {row.vat_rate: row for index, row in enumerate(invoice.vat_summary)}
    if invoice.lines and set(by_rate) != set(summary):
        yield (
            "vat_summary",
            f"its rates ({', '.join(sorted(summary)) or 'none'}) are not the lines' rates "
            f"({', '.join(sorted(by_rate))})",
        )
    for index, row in enumerate(invoice.vat_summary):
        where = f"vat_summary[{index}]"
        if d(row.base) + d(row.vat) != d(row.total):
            yield f"{where}.total", f"{row.total} is not base + vat ({row.base} + {row.vat})"
        if row.vat_rate not in by_rate:
            continue
        base, vat = by_rate[row.vat_rate]
        if d(row.base) != base:
            yield (
                f"{where}.base",
                f"{row.base} is not the sum of the bases of the lines at {row.vat_rate} % ({base})",
            )
        computed = (d(row.base) * d(row.vat_rate) / 100).quantize(HALER, ROUND_HALF_UP)
        if d(row.vat) not in (vat, computed):
            yield (
                f"{where}.vat",
                f"{row.vat} is neither the sum of the VAT of the lines at {row.vat_rate} % "
                f"({vat}) nor the base × rate ({computed})",
            )
    if invoice.vat_summary:
        total_base = sum((d(row.base) for row in invoice.vat_summary), d(0))
        total_vat = sum((d(row.vat) for row in invoice.vat_summary), d(0))
        if d(invoice.total_base) != total_base:
            yield (
                "total_base",
                f"{invoice.total_base} is not the VAT summary's bases ({total_base})",
            )
        if d(invoice.total_vat) != total_vat:
            yield "total_vat", f"{invoice.total_vat} is not the VAT summary's VAT ({total_vat})"
    if d(invoice.total_base) + d(invoice.total_vat) != d(invoice.total):
        yield (
            "total",
            f"{invoice.total} is not total_base + total_vat "
            f"({invoice.total_base} + {invoice.total_vat})",
        )
    if d(invoice.total) - d(invoice.advances_paid) != d(invoice.balance):
        yield (
            "balance",
            f"{invoice.balance} is not total − advances_paid "
            f"({invoice.total} − {invoice.advances_paid})",
        )


def schedule_problems(schedule: AdvanceScheduleRecord) -> Iterator[Problem]:
    """Every advance of a schedule is the schedule's amount per advance."""
    for index, advance in enumerate(schedule.advances):
        if Decimal(advance.amount) != Decimal(schedule.amount):
            yield (
                f"advances[{index}].amount",
                f"{advance.amount} is not the schedule's amount per advance ({schedule.amount})",
            )


CHECKS: dict[str, Callable[[Any], Iterator[Problem]]] = {
    "invoices": invoice_problems,
    "advance_schedules": schedule_problems,
}


# --- warnings, from the rows of a checked batch -------------------------------------------------

LineOf = Callable[[int], int]  # a row's position -> its line in the file


def falling_indexes(rows: Iterable[Row], line_of: LineOf) -> Iterator[tuple[int, str, str]]:
    """(line, field, message) for each reading whose value is below the meter's previous one
    in the batch, with no replacement reading of that meter on a day between them; meter after
    meter in the order the file first names them.

    Each reading costs a small entry in memory while its meter's readings are compared: for
    many readings (more than dupes.bucket_entries()), they are first spread over bucket files
    on disk by meter and compared a bucket at a time, so memory stays bounded."""
    count = len(rows) if isinstance(rows, Sized) else 0
    buckets = -(-count // bucket_entries())
    if buckets <= 1:
        readings = ((row[2], position, row[3]) for position, row in enumerate(rows))
        for _first, _order, warning in falling_among(readings, line_of):
            yield warning
        return
    partition = Partition(buckets, width=3)
    try:
        for position, row in enumerate(rows):
            partition.add(row[2], position, row[3])
        found = [item for group in partition.buckets() for item in falling_among(group, line_of)]
    finally:
        partition.close()
    found.sort(key=lambda item: (item[0], item[1]))
    for _first, _order, warning in found:
        yield warning


def falling_among(
    readings: Iterable[tuple[str, int, str]], line_of: LineOf
) -> Iterator[tuple[int, int, tuple[int, str, str]]]:
    """falling_indexes for (meter, position, row text) of whole meters: (the meter's first
    position, the warning's order among the meter's, the warning)."""
    # Floats order indexes of at most 11 + 3 digits exactly, and cost far less than Decimals for
    # the millions of readings of a large batch.
    # The rows are read once (they may come from a spool on disk): each entry keeps its text.
    by_meter: dict[str, list[tuple[str, int, float, str, int, str]]] = defaultdict(list)
    order = {"final": 0, "": 1, "initial": 2}  # on a replacement day: old meter, then new
    for meter, position, text in readings:
        day, value, kind, role = text.split("\t")
        by_meter[meter].append((day, order.get(role, 1), float(value), kind, position, value))
    for entries in by_meter.values():
        first = min(entry[4] for entry in entries)
        entries.sort()
        for index, (previous, current) in enumerate(pairwise(entries)):
            replaced = previous[3] == "replacement" or current[3] == "replacement"
            if current[2] < previous[2] and not replaced:
                yield (
                    first,
                    index,
                    (
                        line_of(current[4]),
                        "value",
                        f"{current[5]} m³ on {current[0]} is below "
                        f"{previous[5]} m³ on {previous[0]} "
                        "and no meter replacement lies between them",
                    ),
                )


def rainwater_differences(rows: Iterable[Row], line_of: LineOf) -> Iterator[tuple[int, str, str]]:
    """(line, field, message) for each assessment whose volume disagrees with its formula."""
    for position, row in enumerate(rows):
        _year, *areas, normal, volume, _price, _amount = row[3].split("\t")
        if NULL in (normal, volume):
            continue
        weighted = sum(
            (
                Decimal(area) * coefficient
                for area, coefficient in zip(areas, RAINWATER_COEFFICIENTS.values(), strict=True)
            ),
            Decimal(0),
        )
        computed = (weighted * Decimal(normal)).quantize(MILLI, ROUND_HALF_UP)
        if abs(computed - Decimal(volume)) > RAINWATER_TOLERANCE:
            yield (
                line_of(position),
                "volume",
                f"{volume} m³ differs from Σ area × coefficient × normal ({computed} m³)",
            )


WARNINGS: dict[str, Callable[[Iterable[Row], LineOf], Iterator[tuple[int, str, str]]]] = {
    "readings": falling_indexes,
    "rainwater": rainwater_differences,
}
