"""Writing many rows at once. On PostgreSQL through COPY, which costs a fraction of the client
CPU that building `INSERT` parameters for tens of thousands of model instances costs; elsewhere
(SQLite: tests, development) through `bulk_create`.

Rows are plain tuples of Python values in the order of `columns` (attribute names), so that no
model instance is built on PostgreSQL; JSON columns take lists and dicts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction

BATCH_SIZE = 2000
STAGE = "pramen_bulk_stage"

Rows = Sequence[Sequence[Any]]


def _copy(table: str, fields: Sequence[models.Field], rows: Rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    as_json = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if as_json:
                row = list(row)
                for index in as_json:
                    row[index] = json.dumps(row[index])
            copy.write_row(row)


def _instances(model: type[models.Model], columns: Sequence[str], rows: Rows) -> list:
    return [model(**dict(zip(columns, row, strict=True))) for row in rows]


def insert(model: type[models.Model], columns: Sequence[str], rows: Rows) -> None:
    """Insert new rows. No signals."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(_instances(model, columns, rows), batch_size=BATCH_SIZE // 4)
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    _copy(connection.ops.quote_name(meta.db_table), fields, rows)


def upsert(model: type[models.Model], columns: Sequence[str], rows: Rows, unique: str) -> None:
    """Insert the rows, or overwrite the given columns of the row holding the same `unique`
    value (one of `columns`). No signals."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    updated = [field for field in fields if field.name != unique]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            _instances(model, columns, rows),
            batch_size=BATCH_SIZE // 4,  # SQLite limits the parameters of one statement
            update_conflicts=True,
            unique_fields=[unique],
            update_fields=[field.name for field in updated],
        )
        return
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    assignments = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in updated)
    key = quote(meta.get_field(unique).column)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Dropped at the end as well: inside an outer transaction (a savepoint here),
            # ON COMMIT would come too late for the next call.
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(  # the columns' types, without the table's constraints
                f"CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {names} FROM {table} LIMIT 0"
            )
        _copy(STAGE, fields, rows)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {STAGE} "  # noqa: S608
                f"ON CONFLICT ({key}) DO UPDATE SET {assignments}"
            )
            cursor.execute(f"DROP TABLE {STAGE}")
