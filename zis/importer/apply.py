"""Applying a validated batch: upserts in dependency order, then deletions. Call inside atomic().

The rows come from validation (batch.rows, spooled on disk), so no file is read again; they are
written a chunk at a time, so memory does not grow with the batch. Per chunk, one query fetches
what the portal holds of those rows (zis_id, key, updated_at), unless the table was empty: then
every row is new and goes straight in; a full batch reads the stored rows ahead in key order
instead (window.py). New rows are written with COPY on PostgreSQL; changed rows are
overwritten. A full batch notes the keys of the stored rows it lists (listed.py); the stored
rows it does not list are deleted at the end, dependants first. Before
customers or meters are deleted, the portal closes its own rows that depend on them
(`portal.requests.services.withdrawal`), in the same transaction. A full batch also rewrites a
stored payment whose match (invoice, advance) the portal had lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model

from portal.requests.services.withdrawal import close_for_removed
from zis.records import DELETIONS, ENTITIES

from . import pgcopy
from .batch import Batch, file_name
from .bulkload import BULK_LOAD_THRESHOLD, loaded_in_bulk
from .entities import MODELS, REFERENCED, SPECS, EntitySpec
from .listed import ListedKeys
from .parts import WRITERS
from .rows import Microseconds, Row
from .window import StoredWindow
from .writer import (
    delete_by_pk,
    insert_rows,
    keys_after,
    primary_keys,
    stored_versions,
    update_rows,
)

Counts = dict[str, dict[str, int]]

# For the import's transaction only: sorts of index builds and the joins that check foreign keys
# stay in memory instead of spilling to disk.
SESSION_SETTINGS = {"maintenance_work_mem": "256MB", "work_mem": "64MB"}

DEFAULT_KEYS_KEPT = 300_000
# A full batch lists rows in ZIS's order (customer after customer), and a file refers to the
# rows of an earlier one in much the same order; the rows of a table whose keys were not all
# kept were written in that order too. So when a chunk had to look up many keys, the next
# chunk will mostly need the rows written just after them: their keys (READ_AHEAD times as
# many) are read at once, by key range, far cheaper than looking each up by its ZIS id.
READ_AHEAD_AFTER = 1000
READ_AHEAD = 2


def keys_kept() -> int:
    """ZIS id -> key pairs kept per referenced entity (ZIS_IMPORT_KEYS_KEPT): beyond that, a
    later chunk looks up the keys it needs (ApplyContext.reference_maps)."""
    return max(1, int(getattr(settings, "ZIS_IMPORT_KEYS_KEPT", DEFAULT_KEYS_KEPT)))


@dataclass
class EntityCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


@dataclass
class ApplyContext:
    batch: Batch
    empty_at_start: dict[str, bool]
    # ZIS id -> key of rows written or found so far, per referenced entity: at most about
    # `kept` of them (6 million advances at 500,000 supply points would take ~1 GB).
    pks: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    kept: int = field(default_factory=keys_kept)
    # A full batch: the stored rows it lists (the others are deleted at the end), and each
    # table's stored rows read ahead in key order (window.py).
    listed: ListedKeys | None = None
    windows: dict[str, StoredWindow] = field(default_factory=dict)
    unmatched_payments: set[str] | None = None
    progress: Any = None
    counts: dict[str, EntityCounts] = field(default_factory=lambda: defaultdict(EntityCounts))
    times: Microseconds = field(default_factory=Microseconds)
    closed: list[dict] = field(default_factory=list)  # portal rows closed for removed ones

    @classmethod
    def start(cls, batch: Batch) -> ApplyContext:
        """Which tables hold no ZIS rows yet: for those, every row of the batch is new."""
        empty = {
            entity: not model.objects.filter(zis_id__isnull=False).exists()
            for entity, model in MODELS.items()
        }
        return cls(batch, empty)

    def remember(self, target: str, pairs: Iterable[tuple[str, int]]) -> None:
        """Keep the keys of rows just written or found, for the references of later rows. A
        map that reached its bound is emptied first: rows usually refer to rows written
        shortly before them, and the others are looked up (reference_maps)."""
        known = self.pks[target]
        if len(known) >= self.kept:
            known.clear()
        known.update(pairs)

    def reference_maps(
        self, spec: EntitySpec, groups: Sequence[Sequence[Row]]
    ) -> list[dict[str, int]]:
        """ZIS id -> key for each reference of `spec`. Rows written earlier in this batch are
        known; others (stored rows a delta refers to, or rows a full batch left unchanged in a
        table whose keys were not needed so far) are looked up here, a chunk at a time."""
        maps = []
        for index, (_field, target) in enumerate(spec.references, start=2):
            known = self.pks[target]
            if len(known) > self.kept:
                known.clear()  # bounded: what this chunk needs is looked up again just below
            missing = {
                value
                for rows in groups
                for row in rows
                if (value := row[index]) is not None and value not in known
            }
            if missing:
                found = primary_keys(MODELS[target], list(missing))
                known.update(found)
                if self.batch.is_full and len(found) >= READ_AHEAD_AFTER:
                    after, count = max(found.values()), READ_AHEAD * len(found)
                    known.update(keys_after(MODELS[target], after, count))
            maps.append(known)
        return maps


@dataclass
class Applied:
    counts: Counts  # {entity: {created, updated, deleted, unchanged}}
    closed: list[dict]  # what the portal closed because ZIS removed its rows (withdrawal.py)


def apply_batch(batch: Batch, progress: Any = None) -> Applied:
    """Write a validated batch; returns the counts and what the portal closed.

    `progress` (progress.Progress) hears of every chunk written."""
    ctx = ApplyContext.start(batch)
    ctx.progress = progress
    if connection.vendor == "postgresql":
        pgcopy.set_local(SESSION_SETTINGS)
    if batch.is_full:
        ctx.listed = ListedKeys()
        for entity, model in MODELS.items():
            if not ctx.empty_at_start[entity]:
                ctx.listed.start(entity, model)
                ctx.windows[entity] = StoredWindow(model, ctx.listed.last[entity])
    if not batch.is_full and batch.has(DELETIONS):
        apply_deletions(ctx)  # first, so a new row may take a number a deleted one held
    try:
        for entity in batch.entities():
            apply_entity(SPECS[entity], ctx)
        if ctx.listed is not None:
            delete_unlisted(ctx)
            ctx.listed.drop_table()
    finally:
        if ctx.listed is not None:
            ctx.listed.close()
    return Applied({entity: asdict(ctx.counts[entity]) for entity in ENTITIES}, ctx.closed)


def apply_entity(spec: EntitySpec, ctx: ApplyContext) -> None:
    """Write the entity's rows a chunk at a time (the spool holds the rest on disk)."""
    with ctx.batch.take(spec.name) as rows, loaded_in_bulk(bulk_loaded_tables(spec, ctx)):
        for chunk in rows.chunks():
            size = len(chunk)
            new, changed, changed_pks = split(spec, chunk, ctx)
            del chunk
            new_pks = write_rows(spec, new, changed, changed_pks, ctx)
            if (write_parts := WRITERS.get(spec.name)) is not None:
                write_parts(new + changed, new_pks + changed_pks, changed_pks, ctx)
            if ctx.progress is not None:
                ctx.progress.advance(size)


def write_rows(
    spec: EntitySpec, new: list[Row], changed: list[Row], changed_pks: list[int], ctx: ApplyContext
) -> list[int]:
    """Insert the new rows and overwrite the changed ones; returns the new rows' keys if needed."""
    maps = ctx.reference_maps(spec, (new, changed))
    new_pks = insert_rows(spec.table, new, maps, keys=spec.needs_keys)
    update_rows(spec.table, changed, changed_pks, maps)
    counts = ctx.counts[spec.name]
    counts.created += len(new)
    counts.updated += len(changed)
    if spec.name in REFERENCED:
        ctx.remember(spec.name, zip((row[0] for row in new), new_pks, strict=True))
    return new_pks


def bulk_loaded_tables(spec: EntitySpec, ctx: ApplyContext) -> list[type[Model]]:
    """Tables of a large file loaded into an empty table: their foreign keys and secondary
    indexes are built once at the end (see bulkload.py)."""
    listed = ctx.batch.manifest.files[file_name(spec.name)].records
    if listed < BULK_LOAD_THRESHOLD or not ctx.empty_at_start[spec.name]:
        return []
    return [spec.model, *spec.part_models]


def split(
    spec: EntitySpec, rows: list[Row], ctx: ApplyContext
) -> tuple[list[Row], list[Row], list[int]]:
    """New rows, changed rows and the keys of the changed ones; counts the unchanged.

    Newer wins: a stored row at least as new as the record stays. Keys of the rows listed are
    kept when other rows refer to them; a full batch notes the stored rows it lists.
    """
    if ctx.empty_at_start[spec.name]:
        return rows, [], []
    full = ctx.batch.is_full
    ids = [row[0] for row in rows]
    window = ctx.windows.get(spec.name)
    stored = stored_versions(spec.model, ids) if window is None else window.versions(ids)
    known: list[tuple[str, int]] = []
    unmatched: set[str] = set()
    if full and spec.name == "payments":
        if ctx.unmatched_payments is None:
            ctx.unmatched_payments = stored_unmatched_payments()
        unmatched = ctx.unmatched_payments
    new, changed, changed_pks, unchanged, times = [], [], [], 0, ctx.times
    for row in rows:
        found = stored.get(row[0])
        if found is None:
            new.append(row)
            continue
        pk, at = found
        known.append((row[0], pk))
        restore = row[0] in unmatched and (row[3] is not None or row[4] is not None)
        if at is not None and at >= times[row[1]] and not restore:
            unchanged += 1
        else:
            changed.append(row)
            changed_pks.append(pk)
    ctx.counts[spec.name].unchanged += unchanged
    if spec.name in REFERENCED:
        ctx.remember(spec.name, known)
    if ctx.listed is not None:
        ctx.listed.note(spec.name, [pk for pk, _at in stored.values()])
    return new, changed, changed_pks


def stored_unmatched_payments() -> set[str]:
    """ZIS ids of the stored payments matched to nothing. A full batch that matches one of them
    rewrites it even when it is not newer: the portal must hold what the batch lists, and an
    older portal cleared matches when an invoice or advance was removed."""
    payments = MODELS["payments"].objects.filter(
        zis_id__isnull=False, invoice__isnull=True, advance__isnull=True
    )
    return set(payments.order_by().values_list("zis_id", flat=True))


def delete_unlisted(ctx: ApplyContext) -> None:
    """A full batch: delete rows stored before it that it did not list, dependants first."""
    if ctx.listed is None:
        return
    for entity in reversed(ENTITIES):
        if pks := ctx.listed.unlisted(entity, MODELS[entity]):
            remove(entity, pks, ctx)


# Removing these closes the portal's own rows that depend on them (requests, customer links).
CLOSES_PORTAL_ROWS = {"customers": "customer_pks", "meters": "meter_pks"}


def remove(entity: str, pks: list[int], ctx: ApplyContext) -> None:
    """Delete rows ZIS removed; what the portal keeps about them is closed first, never in
    the way (see portal.requests.services.withdrawal)."""
    if not pks:
        return
    if (argument := CLOSES_PORTAL_ROWS.get(entity)) is not None:
        seen = {item["id"] for item in ctx.closed}  # a meter's request, then its customer's
        closed = close_for_removed(**{argument: pks}, batch_id=ctx.batch.batch_id)
        ctx.closed.extend(item for item in closed if item["id"] not in seen)
    ctx.counts[entity].deleted += delete_by_pk(MODELS[entity], pks)


def apply_deletions(ctx: ApplyContext) -> None:
    """A delta: delete the rows deletions.jsonl names, unless ZIS changed them after deleting."""
    wanted: dict[str, dict[str, int]] = defaultdict(dict)
    for zis_id, updated_at, entity in ctx.batch.take(DELETIONS):
        wanted[entity][zis_id] = ctx.times[updated_at]
    for entity in reversed(ENTITIES):
        deleted_at = wanted.get(entity)
        if not deleted_at:
            continue
        model, pks = MODELS[entity], []
        for zis_id, (pk, at) in stored_versions(model, list(deleted_at)).items():
            if at is None or at <= deleted_at[zis_id]:  # not changed after ZIS deleted it
                pks.append(pk)
            else:
                ctx.counts[entity].unchanged += 1
        remove(entity, pks, ctx)
