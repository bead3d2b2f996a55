"""Nested parts: tariff prices, invoice lines and VAT summary, and the advances of schedules.

Each writer gets the parents just inserted or updated (rows and primary keys, in the same
order) and the keys of the updated ones, whose old parts are replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from portal.models import Advance

from .entities import ADVANCES, LINES, PRICES, VAT_SUMMARY, TableSpec
from .rows import Row
from .writer import delete_by_pk, delete_parts, insert_parts, insert_rows, stored_versions
from .writer import update_rows as write_updates

if TYPE_CHECKING:
    from .apply import ApplyContext

PartsWriter = Callable[[Sequence[Row], Sequence[int], Sequence[int], "ApplyContext"], None]


def _items(
    parents: Sequence[Row], pks: Sequence[int], index: int, part: int | None = None
) -> list[tuple[int, str]]:
    """(parent key, part tail) of every part at row[index] (or row[index][part])."""
    if part is None:
        return [(pk, tail) for row, pk in zip(parents, pks, strict=True) for tail in row[index]]
    return [(pk, tail) for row, pk in zip(parents, pks, strict=True) for tail in row[index][part]]


def _replace(
    table: TableSpec, parent: str, items: list[tuple[int, str]], replaced: Sequence[int]
) -> None:
    if replaced:
        delete_parts(table.model, parent, replaced)
    insert_parts(table, items)


def write_tariff_prices(
    parents: Sequence[Row], pks: Sequence[int], replaced: Sequence[int], ctx: ApplyContext
) -> None:
    _replace(PRICES, "tariff", _items(parents, pks, 3), replaced)


def write_invoice_parts(
    parents: Sequence[Row], pks: Sequence[int], replaced: Sequence[int], ctx: ApplyContext
) -> None:
    _replace(LINES, "invoice", _items(parents, pks, 5, 0), replaced)
    _replace(VAT_SUMMARY, "invoice", _items(parents, pks, 5, 1), replaced)


def write_advances(
    parents: Sequence[Row], pks: Sequence[int], replaced: Sequence[int], ctx: ApplyContext
) -> None:
    """Advances are keyed by their own ZIS id: insert new ones, update moved or changed ones.

    They carry their schedule's `updated_at`; payments refer to them, so their keys are kept.
    """
    rows = [
        (advance_id, row[1], f"{pk}\t{tail}")
        for row, pk in zip(parents, pks, strict=True)
        for advance_id, tail in row[5]
    ]
    stored = stored_advances(rows, ctx)
    new = [row for row in rows if row[0] not in stored]
    existing = [row for row in rows if row[0] in stored]
    new_pks = insert_rows(ADVANCES, new, (), keys=True)
    write_updates(ADVANCES, existing, [stored[row[0]][0] for row in existing], ())
    ctx.remember("advances", [(zis_id, pk) for zis_id, (pk, _at) in stored.items()])
    ctx.remember("advances", zip((row[0] for row in new), new_pks, strict=True))
    if replaced:
        listed = {row[0] for row in rows}
        stale = (
            Advance.objects.filter(schedule_id__in=replaced).order_by().values_list("pk", "zis_id")
        )
        delete_by_pk(Advance, [pk for pk, zis_id in stale if zis_id not in listed])


def stored_advances(rows: Sequence[Row], ctx: ApplyContext) -> dict[str, tuple[int, int | None]]:
    """The stored advances among those listed, none when the table was empty. (Payments that
    refer to advances of unchanged schedules find them through ApplyContext.reference_maps.)"""
    if ctx.empty_at_start["advances"]:
        return {}
    return stored_versions(Advance, [row[0] for row in rows])


WRITERS: dict[str, PartsWriter] = {
    "tariffs": write_tariff_prices,
    "invoices": write_invoice_parts,
    "advance_schedules": write_advances,
}
