"""A full batch's listed rows: the keys of the stored rows it lists, in a temporary table.

A full batch replaces everything: the stored rows it does not list are deleted at the end. The
keys of those it lists are noted here chunk by chunk (COPY on PostgreSQL), instead of being
kept in memory, and one anti-join per table then finds the others. Rows inserted by the batch
itself have keys above the table's largest key at the start, and are never candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

TABLE = "zis_import_listed"


def create() -> None:
    """A fresh, empty table for this import (dropped with the transaction on PostgreSQL)."""
    drop()
    suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TABLE} (entity varchar(32) NOT NULL, id bigint NOT NULL)"
            + suffix
        )


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def last_pk(model: type[models.Model]) -> int:
    """The table's largest key now (0 when empty)."""
    found = model.objects.aggregate(last=models.Max("pk"))["last"]
    return found or 0


def note(entity: str, pks: Sequence[int]) -> None:
    """Note stored rows of `entity` the batch lists."""
    if not pks:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {TABLE} (entity, id) FROM STDIN") as copy,
            ):
                copy.write("".join(f"{entity}\t{pk}\n" for pk in pks))
            return
        cursor.executemany(
            f"INSERT INTO {TABLE} (entity, id) VALUES (%s, %s)",  # noqa: S608
            [(entity, pk) for pk in pks],
        )


def index() -> None:
    """Index the noted keys once, before the anti-joins."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {TABLE}_idx ON {TABLE} (entity, id)")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {TABLE}")  # autovacuum never analyses temporary tables


def unlisted(entity: str, model: type[models.Model], last: int) -> list[int]:
    """Keys of the rows with a ZIS id stored before the batch (key ≤ `last`) it did not list."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"SELECT t.id FROM {table} AS t WHERE t.zis_id IS NOT NULL AND t.id <= %s "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {TABLE} AS l WHERE l.entity = %s AND l.id = t.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [last, entity])
        return [pk for (pk,) in cursor.fetchall()]
