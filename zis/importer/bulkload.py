"""Loading large empty tables on PostgreSQL: indexes and foreign keys built once, at the end.

Each row inserted into a table updates every index of it, and each row of a table with foreign
keys queues a trigger that looks up the referenced row at commit. For the first load of
millions of rows that is most of the import's time. While such a table is filled, its indexes
(primary key and unique ones included) and the foreign keys from and to it are dropped; then
they are created again: an index built from sorted rows at once costs a fraction of the
row-by-row updates, and adding a foreign key checks all rows in one join. All of it happens
inside the import's transaction, so a failure rolls the definitions back with the data, and a
duplicate still fails the import when its unique index is built. Without the right to alter
the tables (not their owner) the load simply runs with the indexes and triggers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)

# Below this many records a file is loaded with the ordinary per-row index and key updates.
BULK_LOAD_THRESHOLD = 20_000

# The foreign keys of the tables, and those of other tables referring to them.
FOREIGN_KEYS_SQL = """
    SELECT DISTINCT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))
    ORDER BY 1, 2
"""

# Every index of a table, primary key first; one behind a constraint goes as that constraint.
INDEXES_SQL = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
           c.conname, pg_get_constraintdef(c.oid)
    FROM pg_index AS i
    LEFT JOIN pg_constraint AS c
        ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
    WHERE i.indrelid = %s::regclass
    ORDER BY i.indisprimary DESC, 1
"""


@contextmanager
def loaded_in_bulk(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """Drop the indexes and foreign keys of `tables` for the block (PostgreSQL only).

    On an exception inside the block nothing is restored: the transaction is rolled back.
    """
    if connection.vendor != "postgresql" or not tables:
        yield
        return
    # Tables with pending (deferred) checks cannot be altered: run those checks now.
    _set_constraints("IMMEDIATE")
    restore: list[str] = []
    try:
        with transaction.atomic():  # a savepoint: on refusal, carry on with indexes and triggers
            keys = _drop_foreign_keys([model._meta.db_table for model in tables])
            for model in tables:
                restore += _drop_indexes(model._meta.db_table)
            restore += keys
    except DatabaseError as exc:
        logger.info("Loading %s with per-row index and key updates: %s", tables, exc)
        restore = []
    yield
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
    _set_constraints("DEFERRED")  # as declared (Django's foreign keys are initially deferred)


def _set_constraints(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _drop_indexes(table: str) -> list[str]:
    """Drop the indexes of `table`; returns the statements that create them again."""
    quote = connection.ops.quote_name
    restore = []
    with connection.cursor() as cursor:
        cursor.execute(INDEXES_SQL, [quote(table)])
        for index, index_definition, constraint, definition in cursor.fetchall():
            if constraint is None:
                cursor.execute(f"DROP INDEX {index}")
                restore.append(index_definition)
            else:
                alter = f"ALTER TABLE {quote(table)}"
                cursor.execute(f"{alter} DROP CONSTRAINT {quote(constraint)}")
                restore.append(f"{alter} ADD CONSTRAINT {quote(constraint)} {definition}")
    return restore


def _drop_foreign_keys(tables: list[str]) -> list[str]:
    """Drop the foreign keys from and to `tables`; returns the statements that add them again."""
    quote = connection.ops.quote_name
    names = [quote(table) for table in tables]
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS_SQL, [names, names])
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    return [
        f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition in keys
    ]
