"""Bulk writes of prepared rows. PostgreSQL gets COPY (pgcopy.py); other databases, plain SQL.

Rows are those of rows.RowBuilder; `maps` turn each reference (a ZIS id) into a primary key,
one map per reference in row order. Speed matters on PostgreSQL only: SQLite serves the tests
and development, and decodes the rows' text back into values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from . import pgcopy
from .entities import TableSpec
from .rows import Row, decode, microseconds

CHUNK_SIZE = 500  # rows per statement where SQLite limits the number of parameters

Maps = Sequence[dict[str, int]]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def insert_rows(table: TableSpec, rows: Sequence[Row], maps: Maps, *, keys: bool) -> list[int]:
    """Insert new rows; with `keys`, return their primary keys in row order."""
    if not rows:
        return []
    if postgres():
        pks = pgcopy.reserve_pks(table.model, len(rows)) if keys else None
        columns = ("id", *table.columns) if keys else table.columns
        pgcopy.copy_text(table.model, columns, pgcopy.entity_lines(rows, pks, maps))
        return pks or []
    _execute_many(table.model, table.columns, [values(table, row, maps) for row in rows])
    if not keys:
        return []
    stored = primary_keys(table.model, [row[0] for row in rows])
    return [stored[row[0]] for row in rows]


def update_rows(table: TableSpec, rows: Sequence[Row], pks: Sequence[int], maps: Maps) -> None:
    """Overwrite the stored rows `pks` with `rows` (same order)."""
    if not rows:
        return
    if postgres():
        pgcopy.update_by_pk(table, rows, pks, maps)
        return
    objects = [
        table.model(pk=pk, **dict(zip(table.columns, values(table, row, maps), strict=True)))
        for pk, row in zip(pks, rows, strict=True)
    ]
    table.model.objects.bulk_update(objects, table.columns, batch_size=CHUNK_SIZE)


def insert_parts(table: TableSpec, items: Sequence[tuple[int, str]]) -> None:
    """Insert nested parts given as (parent's primary key, tail text)."""
    if not items:
        return
    if postgres():
        pgcopy.copy_text(table.model, table.columns, pgcopy.part_lines(items))
        return
    rows = [(pk, *decode(tail, table.kinds)) for pk, tail in items]
    _execute_many(table.model, table.columns, rows)


def values(table: TableSpec, row: Row, maps: Maps) -> tuple[Any, ...]:
    """A row as Python values in the order of table.columns."""
    refs = [None if ref is None else m[ref] for ref, m in zip(row[2:], maps, strict=False)]
    tail = row[2 + len(maps)]
    return (row[0], dt.datetime.fromisoformat(row[1]), *refs, *decode(tail, table.kinds))


def _execute_many(model: type[models.Model], columns: Sequence[str], rows: list[Any]) -> None:
    """A plain INSERT per row through executemany: far cheaper than building model instances."""
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(attname) for attname in columns]
    adapters = {
        "DateField": connection.ops.adapt_datefield_value,
        "DateTimeField": connection.ops.adapt_datetimefield_value,
    }
    adapt = [adapters.get(field.get_internal_type()) for field in fields]
    rows = [
        tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(row, adapt, strict=True)
        )
        for row in rows
    ]
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def stored_versions(
    model: type[models.Model], zis_ids: Sequence[str] | None = None
) -> dict[str, tuple[int, int | None]]:
    """{zis_id: (pk, updated_at in µs since the epoch)} of every stored row (None) or of those
    listed. Rows without a ZIS id (operator-issued activation codes) are never included."""
    if postgres():
        return pgcopy.stored_versions(model, zis_ids)
    stored = model.objects.filter(zis_id__isnull=False).order_by()
    found: dict[str, tuple[int, int | None]] = {}
    chunks = [None] if zis_ids is None else _chunks(list(zis_ids))
    for chunk in chunks:
        subset = stored if chunk is None else stored.filter(zis_id__in=chunk)
        for zis_id, pk, at in subset.values_list("zis_id", "pk", "zis_updated_at"):
            found[zis_id] = (pk, None if at is None else microseconds(at))
    return found


def versions_after(
    model: type[models.Model], after: int, last: int, count: int
) -> list[tuple[str, int, int | None]]:
    """(zis_id, pk, updated_at in µs) of the next `count` rows with a ZIS id whose keys are
    above `after` and at most `last`, in key order."""
    if postgres():
        return pgcopy.versions_after(model, after, last, count)
    rows = (
        model.objects.filter(pk__gt=after, pk__lte=last, zis_id__isnull=False)
        .order_by("pk")
        .values_list("zis_id", "pk", "zis_updated_at")[:count]
    )
    return [(zis_id, pk, None if at is None else microseconds(at)) for zis_id, pk, at in rows]


def primary_keys(model: type[models.Model], zis_ids: Sequence[str]) -> dict[str, int]:
    """{zis_id: pk} of the listed rows that are stored."""
    if postgres():
        return pgcopy.primary_keys(model, zis_ids)
    return {zis_id: pk for zis_id, (pk, _at) in stored_versions(model, zis_ids).items()}


def keys_after(model: type[models.Model], pk: int, count: int) -> dict[str, int]:
    """{zis_id: pk} of the `count` rows with a ZIS id and the smallest keys above `pk`."""
    rows = (
        model.objects.filter(pk__gt=pk, zis_id__isnull=False)
        .order_by("pk")
        .values_list("zis_id", "pk")[:count]
    )
    return dict(rows)


def _chunks(items: list[Any], size: int = CHUNK_SIZE) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def delete_by_pk(model: type[models.Model], pks: Sequence[int]) -> int:
    """Delete rows (and what cascades from them); returns how many rows of `model` went."""
    deleted = 0
    for chunk in _chunks(list(pks), 2000):
        _total, per_model = model.objects.filter(pk__in=chunk).delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted


def delete_parts(model: type[models.Model], parent: str, parent_pks: Sequence[int]) -> None:
    """Delete the nested parts of the given parents (they are replaced with their parent)."""
    for chunk in _chunks(list(parent_pks), 2000):
        model.objects.filter(**{f"{parent}__in": chunk}).delete()
