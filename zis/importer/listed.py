"""A full batch's listed rows: which stored rows it lists, to delete the others at the end.

A full batch replaces everything: the stored rows it does not list are deleted at the end. The
keys of those it lists are counted and written to a temporary file per table as the batch is
applied, instead of being kept in memory. At the end a table whose stored rows number exactly
as many as the batch listed has nothing to delete (the usual case: an unchanged batch, or one
that only adds rows), and is left at one count. Only for the others are the listed keys loaded
into a temporary table (COPY on PostgreSQL) and the stored rows missing from it found with one
anti-join. Rows inserted by the batch itself have keys above the table's largest key at the
start, and are never candidates.

The count is exact because nothing else deletes a table's rows during a full batch before its
turn: the deletions go dependants first, so a cascade only reaches tables already done.
"""

from __future__ import annotations

import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import IO

from django.db import connection, models

TABLE = "zis_import_listed"
COPY_KEYS = 50_000  # keys read back and sent at a time


def last_pk(model: type[models.Model]) -> int:
    """The table's largest key now (0 when empty)."""
    found = model.objects.aggregate(last=models.Max("pk"))["last"]
    return found or 0


class ListedKeys:
    """The stored rows a full batch lists, per entity: their count, and their keys on disk."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}  # the table's largest key before the batch
        self.counts: Counter[str] = Counter()
        self.files: dict[str, IO[bytes]] = {}

    def start(self, entity: str, model: type[models.Model]) -> None:
        self.last[entity] = last_pk(model)

    def note(self, entity: str, pks: Sequence[int]) -> None:
        """Note stored rows of `entity` the batch lists (each once)."""
        if not pks:
            return
        keys = array("q", pks)
        if (file := self.files.get(entity)) is None:
            file = self.files[entity] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        keys.tofile(file)
        self.counts[entity] += len(keys)

    def unlisted(self, entity: str, model: type[models.Model]) -> list[int]:
        """Keys of the rows with a ZIS id stored before the batch that it did not list."""
        if entity not in self.last:
            return []
        table = connection.ops.quote_name(model._meta.db_table)
        stored_sql = f"FROM {table} AS t WHERE t.zis_id IS NOT NULL AND t.id <= %s"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {stored_sql}", [self.last[entity]])
            (stored,) = cursor.fetchone()
        if stored == self.counts[entity]:
            return []
        self._load(entity)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.id {stored_sql} "  # noqa: S608
                f"AND NOT EXISTS (SELECT 1 FROM {TABLE} AS l WHERE l.id = t.id)",
                [self.last[entity]],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def _load(self, entity: str) -> None:
        """The entity's noted keys into a fresh temporary table."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
            cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} (id bigint NOT NULL){suffix}")
            if connection.vendor == "postgresql":
                with (
                    connection.wrap_database_errors,
                    cursor.cursor.copy(f"COPY {TABLE} (id) FROM STDIN") as copy,
                ):
                    for keys in self._keys(entity):
                        copy.write("".join([f"{pk}\n" for pk in keys]))
                cursor.execute(f"CREATE INDEX {TABLE}_idx ON {TABLE} (id)")
                cursor.execute(f"ANALYZE {TABLE}")  # autovacuum never analyses temporary tables
            else:
                for keys in self._keys(entity):
                    cursor.executemany(
                        f"INSERT INTO {TABLE} (id) VALUES (%s)",  # noqa: S608
                        [(pk,) for pk in keys],
                    )
                cursor.execute(f"CREATE INDEX {TABLE}_idx ON {TABLE} (id)")

    def _keys(self, entity: str) -> Iterator[array]:
        if (file := self.files.get(entity)) is None:
            return
        file.seek(0)
        while True:
            keys = array("q")
            try:
                keys.fromfile(file, COPY_KEYS)
            except EOFError:  # the last, shorter part (fromfile keeps what it read)
                if keys:
                    yield keys
                return
            yield keys

    def drop_table(self) -> None:
        """Drop the temporary table now (PostgreSQL would at commit; SQLite keeps it)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def close(self) -> None:
        """Forget the noted keys (their files)."""
        for file in self.files.values():
            file.close()
        self.files.clear()
