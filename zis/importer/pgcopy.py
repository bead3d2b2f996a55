"""PostgreSQL: rows go in with COPY in text format; keys come from the table's own sequence.

Rows arrive as prepared by rows.RowBuilder, so a COPY line is one string format: the primary
key (when the importer needs it back), the ZIS id and timestamp, the references resolved to
primary keys, and the tail text as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any

from django.db import connection, models

from .entities import TableSpec
from .rows import NULL, Row

COPY_CHUNK = 20_000  # rows formatted and sent at a time
LOOKUP_CHUNK = 10_000  # ids per `zis_id = ANY(…)` query

Maps = Sequence[dict[str, int]]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column_names(model: type[models.Model], attnames: Sequence[str]) -> str:
    meta = model._meta
    return ", ".join(
        quote("id" if name == "id" else meta.get_field(name).column) for name in attnames
    )


def copy_text(model: type[models.Model], attnames: Sequence[str], chunks: Iterable[str]) -> None:
    """COPY text-format lines (each chunk ends with a newline) into the model's table."""
    table = quote(model._meta.db_table)
    sql = f"COPY {table} ({column_names(model, attnames)}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for chunk in chunks:
            copy.write(chunk)


def reserve_pks(model: type[models.Model], count: int) -> list[int]:
    """Take `count` values of the table's id sequence in one round trip (as one int8 array)."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        (sequence,) = cursor.fetchone()
        sql = "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)"
        cursor.execute(sql, [sequence, count])
        return cursor.fetchone()[0]


# One line maker per number of references: an f-string each, the fastest way to a line.
def _lines0(rows: Sequence[Row], keys: Iterator[str]) -> list[str]:
    return [f"{k}{r[0]}\t{r[1]}\t{r[2]}\n" for r, k in zip(rows, keys, strict=False)]


def _lines1(rows: Sequence[Row], keys: Iterator[str], a: dict) -> list[str]:
    return [
        f"{k}{r[0]}\t{r[1]}\t{NULL if r[2] is None else a[r[2]]}\t{r[3]}\n"
        for r, k in zip(rows, keys, strict=False)
    ]


def _lines2(rows: Sequence[Row], keys: Iterator[str], a: dict, b: dict) -> list[str]:
    return [
        f"{k}{r[0]}\t{r[1]}\t{NULL if r[2] is None else a[r[2]]}\t"
        f"{NULL if r[3] is None else b[r[3]]}\t{r[4]}\n"
        for r, k in zip(rows, keys, strict=False)
    ]


def _lines3(rows: Sequence[Row], keys: Iterator[str], a: dict, b: dict, c: dict) -> list[str]:
    return [
        f"{k}{r[0]}\t{r[1]}\t{NULL if r[2] is None else a[r[2]]}\t"
        f"{NULL if r[3] is None else b[r[3]]}\t{NULL if r[4] is None else c[r[4]]}\t{r[5]}\n"
        for r, k in zip(rows, keys, strict=False)
    ]


LINE_MAKERS: tuple[Any, ...] = (_lines0, _lines1, _lines2, _lines3)


def entity_lines(rows: Sequence[Row], pks: Sequence[int] | None, maps: Maps) -> Iterator[str]:
    """COPY text of rows, a chunk at a time: [pk,] zis_id, updated_at, references, tail."""
    keys: Iterator[str] = repeat("") if pks is None else (f"{pk}\t" for pk in pks)
    make = LINE_MAKERS[len(maps)]
    for start in range(0, len(rows), COPY_CHUNK):
        yield "".join(make(rows[start : start + COPY_CHUNK], keys, *maps))


def part_lines(items: Sequence[tuple[int, str]]) -> Iterator[str]:
    """COPY text of nested parts: the parent's key, then the part's tail."""
    for start in range(0, len(items), COPY_CHUNK):
        yield "".join([f"{pk}\t{tail}\n" for pk, tail in items[start : start + COPY_CHUNK]])


def update_by_pk(table: TableSpec, rows: Sequence[Row], pks: Sequence[int], maps: Maps) -> None:
    """Overwrite stored rows: COPY them into a temporary table, then one UPDATE … FROM."""
    model = table.model
    target, names = quote(model._meta.db_table), column_names(model, table.columns)
    assignments = ", ".join(
        f"{column} = stage.{column}" for column in column_names(model, table.columns).split(", ")
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS zis_import_stage")
        cursor.execute(
            f"CREATE TEMPORARY TABLE zis_import_stage ON COMMIT DROP AS "  # noqa: S608
            f"SELECT id, {names} FROM {target} WITH NO DATA"
        )
    stage_sql = f"COPY zis_import_stage (id, {names}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(stage_sql) as copy,
    ):
        for chunk in entity_lines(rows, pks, maps):
            copy.write(chunk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {target} SET {assignments} FROM zis_import_stage AS stage "  # noqa: S608
            f"WHERE {target}.id = stage.id"
        )
        cursor.execute("DROP TABLE zis_import_stage")


# The ids of a lookup go as one comma-separated text, split by PostgreSQL: psycopg's adaptation
# of a list of 10,000 strings into an array cost a fifth of an unchanged re-import's writing time.
IDS = "zis_id = ANY(string_to_array(%s, ','))"


def joined(ids: Sequence[str]) -> str:
    """The ids as one text. A stored ZIS id never holds a comma (records.ZisId), so an id that
    does matches nothing and is left out rather than split into two."""
    text = ",".join(ids)
    if text.count(",") != len(ids) - 1:
        text = ",".join(value for value in ids if "," not in value)
    return text


STORED_SQL = """
    SELECT zis_id, id, (extract(epoch FROM zis_updated_at) * 1000000)::int8
    FROM {table} WHERE {condition}
"""


def stored_versions(
    model: type[models.Model], zis_ids: Sequence[str] | None
) -> dict[str, tuple[int, int | None]]:
    """{zis_id: (pk, updated_at in µs)} of stored rows: all of them (None), or those listed."""
    table = quote(model._meta.db_table)
    found: dict[str, tuple[int, int | None]] = {}
    with connection.cursor() as cursor:
        if zis_ids is None:
            cursor.execute(STORED_SQL.format(table=table, condition="zis_id IS NOT NULL"))
            while chunk := cursor.fetchmany(LOOKUP_CHUNK * 5):
                found.update((zis_id, (pk, at)) for zis_id, pk, at in chunk)
            return found
        sql = STORED_SQL.format(table=table, condition=IDS)
        for start in range(0, len(zis_ids), LOOKUP_CHUNK):
            cursor.execute(sql, [joined(zis_ids[start : start + LOOKUP_CHUNK])])
            found.update((zis_id, (pk, at)) for zis_id, pk, at in cursor.fetchall())
    return found


def versions_after(
    model: type[models.Model], after: int, last: int, count: int
) -> list[tuple[str, int, int | None]]:
    """(zis_id, pk, updated_at in µs) of the next `count` rows with a ZIS id by key, of the
    keys in (after, last]: a range of the primary key's index, read in order."""
    sql = STORED_SQL.format(
        table=quote(model._meta.db_table),
        condition="id > %s AND id <= %s AND zis_id IS NOT NULL ORDER BY id LIMIT %s",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, last, count])
        return cursor.fetchall()


def primary_keys(model: type[models.Model], zis_ids: Sequence[str]) -> dict[str, int]:
    """{zis_id: pk} of the listed rows that are stored (no timestamps: a cheaper query)."""
    sql = f"SELECT zis_id, id FROM {quote(model._meta.db_table)} WHERE {IDS}"  # noqa: S608
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(zis_ids), LOOKUP_CHUNK):
            cursor.execute(sql, [joined(zis_ids[start : start + LOOKUP_CHUNK])])
            found.update(cursor.fetchall())
    return found


def set_local(settings: dict[str, str]) -> None:
    """SET LOCAL for the rest of the import's transaction."""
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
