"""Checking every record of a batch once: types, duplicate ids and keys, references (also to
rows a delta removes), the arithmetic of invoices and schedules (consistency.py); keeping the
rows, and the warnings for odd but possible figures.

Each valid record becomes a compact row (rows.py) in `batch.rows`, which the apply step writes;
when any error is found the rows are dropped, since a rejected batch is not applied. In a large
batch the files nothing refers to are checked in a second process (parallel.py).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, BinaryIO

from pydantic import ValidationError

from zis.records import (
    DELETIONS,
    ENTITY_FILES,
    NEW_IN_1_1,
    VERSION_1_0,
    AdvanceScheduleRecord,
)

from . import consistency as consistency_checks
from . import parallel
from .batch import BOM, Batch, file_name, record_type
from .dupes import (
    ADVANCE_REFERENCE,
    AFTER_KEY,
    BEFORE_ID,
    AdvanceIds,
    Duplicates,
    FileErrors,
    bucket_entries,
    duplicate_advance_place,
    merge_errors,
)
from .entities import MODELS, NATURAL_KEYS, PROTECTING, REFERENCED, SPECS
from .errors import ErrorList, duplicate_key, keys_named
from .progress import Progress
from .rows import Row, RowBuilder
from .writer import primary_keys

MAX_LOCATIONS = 5
PROGRESS_EVERY = 10_000  # lines read between two reports of progress
# Lookups of stored rows clear the models' orderings (`order_by()`): they follow foreign keys
# (an advance sorts by its schedule, a schedule by its supply point's number), so each chunk
# would join and sort tables the lookup does not need.
LOOKUP_CHUNK = 1000
# Single-field natural keys a delta may collide with in the stored rows (e.g. a customer number
# that an existing customer with another ZIS id already holds).
STORED_KEYS = {entity: fields[0] for entity, fields in NATURAL_KEYS.items() if len(fields) == 1}
# Files whose ids other files refer to (schedules: through their advances).
REFERRED_TO = REFERENCED | {"advance_schedules"}


class RecordChecker:
    """Reads every record once: types, duplicates and references; keeps the rows to apply."""

    def __init__(
        self, batch: Batch, errors: ErrorList, readable: set[str], progress: Progress | None = None
    ) -> None:
        self.batch = batch
        self.progress = progress or Progress()
        self.errors = errors
        self.readable = readable
        self.ids: dict[str, set[str]] = {}
        self.advance_ids: set[str] = set()
        self.deleted: dict[str, dict[str, int]] = defaultdict(dict)
        self.pending: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(dict)
        self.skipped: dict[str, list[int]] = defaultdict(list)  # invalid lines per entity
        self.natural: dict[str, dict[Any, tuple[str, int]]] = defaultdict(dict)
        self.schedule_lines: dict[str, int] = {}  # schedule id -> its line (a delta's)
        # Files whose duplicates are looked for on disk (dupes.py), while they are read.
        self.external: dict[str, Duplicates] = {}
        # A large full batch's advance ids, on disk instead of in advance_ids (dupes.AdvanceIds).
        self.advances_on_disk: AdvanceIds | None = None
        self.builder = RowBuilder()

    def run(self) -> None:
        if DELETIONS in self.readable:
            self.check_deletions()
        entities = [entity for entity in self.batch.entities() if entity in self.readable]
        self.ids = {entity: set() for entity in self.batch.entities()}
        leaves = self.parallel_share(entities)
        with contextlib.ExitStack() as stack:
            if self.batch.is_full and "advance_schedules" in entities:
                self.advances_on_disk = AdvanceIds.for_file(self.batch.size("advance_schedules"))
                if self.advances_on_disk is not None:
                    stack.callback(self.advances_on_disk.close)
            child = None
            if leaves:
                work = partial(self.check_in_child, leaves)
                child = stack.enter_context(parallel.run_in_child(work))
            for entity in entities:
                if entity not in leaves:
                    self.check_file(entity)
                    self.batch.spool(entity).set_aside()
            if child is not None:
                self.take_over(leaves, child.result())
                for entity in leaves:
                    self.batch.spool(entity).set_aside()
        if not self.batch.is_full:
            self.resolve_in_database()
            self.check_deleted_dependants()
            self.check_dropped_advances()
            self.check_stored_natural_keys()
        rank = {name: index for index, name in enumerate(ENTITY_FILES)}
        self.errors.sort(key=lambda error: (rank.get(error.file, -1), error.line or 0))
        if self.errors:
            self.batch.discard_rows()
        else:
            self.collect_warnings()

    def collect_warnings(self) -> None:
        """What may legitimately be odd (consistency.py): the batch imports, operators see it."""
        for entity, check in consistency_checks.WARNINGS.items():
            rows = self.batch.rows.get(entity)
            if not rows:
                continue
            line_of = partial(self.line_number, entity)
            for line, field, message in check(rows, line_of):
                warning = {"file": file_name(entity), "line": line, "field": field}
                self.batch.warnings.append(warning | {"message": message})

    def parallel_share(self, entities: list[str]) -> list[str]:
        """The files a child process should check: of those no other file refers to, the ones
        whose bytes come nearest to the child's share of the batch's (parallel.CHILD_SHARE; the
        files are few, so every choice is tried). None when they are too few records to be
        worth a second process."""
        sizes = {entity: self.batch.size(entity) for entity in entities}
        wanted = parallel.CHILD_SHARE * sum(sizes.values())
        leaves = [entity for entity in entities if entity not in REFERRED_TO]
        choices = (
            choice
            for count in range(len(leaves) + 1)
            for choice in itertools.combinations(leaves, count)
        )
        share = list(min(choices, key=lambda choice: abs(wanted - sum(sizes[e] for e in choice))))
        files = self.batch.manifest.files
        records = sum(files[file_name(entity)].records for entity in share)
        if records < parallel.PARALLEL_THRESHOLD or not parallel.can_fork():
            return []
        return share

    def check_in_child(self, entities: list[str], out: BinaryIO) -> None:
        """The child's part: check the files (all but references), write rows and errors."""
        self.progress = Progress()  # the parent reports; the child touches no database or terminal
        known = len(self.errors.errors), self.errors.omitted
        for entity in entities:
            spool = self.batch.rows[entity] = parallel.Spool(out, entity)
            self.check_file(entity, references=False)
            spool.flush()
        errors = [tuple(vars(error).values()) for error in self.errors.errors[known[0] :]]
        end = {"skipped": {entity: self.skipped[entity] for entity in entities}, "errors": errors}
        parallel.write_object(("end", end | {"omitted": self.errors.omitted - known[1]}), out)

    def take_over(self, entities: list[str], results: BinaryIO | None) -> None:
        """Adopt the child's rows and errors, and check the references of those rows."""
        if results is None:  # the child failed: check its files here
            for entity in entities:
                self.batch.take(entity).close()
                self.check_file(entity)
            return
        for entity in entities:
            self.batch.take(entity).close()
            self.batch.spool(entity)
        end = None
        for kind, *content in parallel.read_objects(results):
            if kind == "rows":
                self.batch.spool(content[0]).extend(content[1])
            else:
                end = content[0]
        if end is None:  # cut short: check those files here
            self.take_over(entities, None)
            return
        files = self.batch.manifest.files
        self.progress.advance(sum(files[file_name(entity)].records for entity in entities))
        for error in end["errors"]:
            self.errors.add(*error)
        self.errors.omitted += end["omitted"]
        for entity in entities:
            self.skipped[entity] = end["skipped"][entity]
            self.check_references(entity, self.batch.rows[entity])
            if not self.batch.is_full:  # deletions must know what the batch keeps
                self.ids[entity].update(row[0] for row in self.batch.rows[entity])

    def parse(self, entity: str) -> Iterator[tuple[int, Any]]:
        """Yield (line number, record) for every valid line; report the others."""
        validate = record_type(entity).__pydantic_validator__.validate_json
        told = number = 0
        with self.batch.open(entity) as handle:
            for number, line in enumerate(handle, start=1):
                if number - told >= PROGRESS_EVERY:
                    self.progress.advance(number - told)
                    told = number
                if number == 1 and line.startswith(BOM):  # reported by validate.check_files
                    line = line[len(BOM) :]
                try:
                    record = validate(line)
                except ValidationError as exc:
                    self.invalid(entity, number, line, exc)
                    continue
                if (key := duplicate_key(line, keys_named(record))) is not None:
                    self.skipped[entity].append(number)
                    message = f"duplicate key {key!r} in the object on line {number}"
                    self.errors.add(file_name(entity), number, key, message)
                    continue
                yield number, record
        self.progress.advance(number - told)

    def invalid(self, entity: str, number: int, line: bytes, exc: ValidationError) -> None:
        self.skipped[entity].append(number)
        if not line.strip():
            self.errors.add(file_name(entity), number, "", "empty line")
            return
        self.errors.add_validation_error(file_name(entity), number, exc)
        self.remember_invalid(entity, number, line)

    def remember_invalid(self, entity: str, number: int, line: bytes) -> None:
        """Keep the ids of an invalid record, so records referring to it raise no extra errors."""
        try:
            data = json.loads(line)
        except ValueError:
            return
        if not isinstance(data, dict) or entity not in self.ids:
            return
        if isinstance(data.get("id"), str):
            if (duplicates := self.external.get(entity)) is not None:
                duplicates.add_id(data["id"], number, reported=False)
            else:
                self.ids[entity].add(data["id"])
        advances = data.get("advances") if entity == "advance_schedules" else None
        for position, advance in enumerate(advances if isinstance(advances, list) else []):
            if isinstance(advance, dict) and isinstance(advance.get("id"), str):
                if self.advances_on_disk is not None:
                    self.advances_on_disk.add(advance["id"], number, position, reported=False)
                else:
                    self.advance_ids.add(advance["id"])

    def check_deletions(self) -> None:
        name, rows = file_name(DELETIONS), self.batch.spool(DELETIONS)
        for number, record in self.parse(DELETIONS):
            if record.id in self.deleted[record.entity]:
                self.errors.add(name, number, "id", f"{record.entity} {record.id!r} deleted twice")
            self.deleted[record.entity][record.id] = number
            rows.append(self.builder.deletions(record))

    def check_file(self, entity: str, *, references: bool = True) -> None:
        """Check every record of the file and keep its rows; duplicates are looked for in memory,
        or on disk for a large file of a full batch that nothing refers to (dupes.py)."""
        records = self.batch.manifest.files[file_name(entity)].records
        on_disk = self.batch.is_full and entity not in REFERRED_TO and records > bucket_entries()
        advances = self.advances_on_disk
        if advances is not None and not (
            entity == "advance_schedules" or (entity == "payments" and references)
        ):
            advances = None
        if not on_disk and advances is None:
            self.read_file(entity, references=references)
            return
        keys = NATURAL_KEYS.get(entity)
        duplicates = Duplicates(records, ", ".join(keys) if keys else None) if on_disk else None
        errors = self.errors
        held = FileErrors(errors.limit - len(errors.errors))
        if duplicates is not None:
            self.external[entity] = duplicates
        self.errors = held
        try:
            self.read_file(entity, references=references, duplicates=duplicates, held=held)
            self.errors = errors
            found: list[Iterable[tuple[int, float, str, str]]] = []
            if duplicates is not None:
                found.append(duplicates.found())
            if advances is not None:
                found.append(self.advance_problems(entity, advances))
            merge_errors(errors, held, file_name(entity), itertools.chain(*found))
        finally:
            self.errors = errors
            if duplicates is not None:
                duplicates.close()
                del self.external[entity]

    def advance_problems(
        self, entity: str, advances: AdvanceIds
    ) -> Iterator[tuple[int, float, str, str]]:
        """(line, place, field, message) of the duplicate advance ids found on disk at the end of
        the schedules file, or of the payments' references to unknown advances."""
        if entity == "advance_schedules":
            for value, line, position in advances.repeated():
                place, field = duplicate_advance_place(position), f"advances[{position}].id"
                yield line, place, field, f"duplicate advance id {value!r}"
            return
        (field,) = (name for name, target in SPECS[entity].references if target == "advances")
        for value, line in advances.unknown():
            yield line, ADVANCE_REFERENCE, field, unknown_in_full_batch("advances", value)

    def read_file(
        self,
        entity: str,
        *,
        references: bool = True,
        duplicates: Duplicates | None = None,
        held: FileErrors | None = None,
    ) -> None:
        name, ids, rows = (
            file_name(entity),
            self.ids[entity],
            self.batch.spool(entity),
        )
        deleted_here = self.deleted.get(entity)
        key_of, keys = SPECS[entity].natural_key, set()
        build, checks = self.builder.for_entity(entity), self.reference_checks(entity)
        has_advances = entity == "advance_schedules"
        consistency = consistency_checks.CHECKS.get(entity)
        newer = NEW_IN_1_1.get(entity, ()) if self.batch.manifest.version in VERSION_1_0 else ()
        # What only a delta's checks against the stored rows use (check_stored_natural_keys).
        stored_key = STORED_KEYS.get(entity) if not self.batch.is_full else None
        for number, record in self.parse(entity):
            if held is not None:
                held.place = BEFORE_ID
            row = build(record)
            for field in newer:
                if field in record.model_fields_set:
                    message = 'new in format 1.1: declare "version": "1.1" in manifest.json'
                    self.errors.add(name, number, field, message)
            if consistency is not None:
                for field, message in consistency(record):
                    self.errors.add(name, number, field, message)
            if duplicates is not None:
                duplicates.add_id(row[0], number)
            else:
                if row[0] in ids:
                    self.errors.add(name, number, "id", f"duplicate id {row[0]!r} in this file")
                ids.add(row[0])
            if deleted_here and row[0] in deleted_here:
                line = deleted_here[row[0]]
                self.errors.add(name, number, "id", f"also deleted by deletions.jsonl:{line}")
            if key_of is not None:
                key = hash(key_of(record))
                if duplicates is not None:
                    duplicates.add_key(key, number)
                else:
                    if key in keys:
                        fields = ", ".join(NATURAL_KEYS[entity])
                        self.errors.add(name, number, fields, "duplicate in this file")
                    keys.add(key)
                if stored_key is not None:
                    self.natural[entity][getattr(record, stored_key)] = (row[0], number)
            if has_advances:
                self.check_advances(name, number, record)
            if held is not None:
                held.place = AFTER_KEY
            for index, known, deleted in checks if references else ():
                value = row[index]
                if value is None:
                    continue
                if known is None:  # advances on disk: checked at the end of the file
                    self.advances_on_disk.refer(value, number)  # type: ignore[union-attr]
                elif value not in known or (deleted and value in deleted):
                    self.check_reference(name, number, SPECS[entity].references[index - 2], value)
            rows.append(row)

    def check_references(self, entity: str, rows: Iterable[Row]) -> None:
        """The reference checks of check_file, for rows checked elsewhere."""
        checks, name = self.reference_checks(entity), file_name(entity)
        on_disk = False
        for position, row in enumerate(rows):
            for index, known, deleted in checks:
                value = row[index]
                if value is None:
                    continue
                if known is None:  # advances on disk: checked below
                    on_disk = True
                    advances = self.advances_on_disk
                    advances.refer(value, self.line_number(entity, position))  # type: ignore[union-attr]
                elif value not in known or (deleted and value in deleted):
                    number = self.line_number(entity, position)
                    self.check_reference(name, number, SPECS[entity].references[index - 2], value)
        if on_disk and self.advances_on_disk is not None:
            for line, _place, field, message in self.advance_problems(
                entity, self.advances_on_disk
            ):
                self.errors.add(name, line, field, message)

    def line_number(self, entity: str, position: int) -> int:
        """The line of the `position`-th valid record (invalid lines have no row)."""
        number = position + 1
        for skipped in self.skipped[entity]:  # in ascending order
            if skipped <= number:
                number += 1
        return number

    def check_advances(self, name: str, number: int, record: AdvanceScheduleRecord) -> None:
        if not self.batch.is_full:
            self.schedule_lines[record.id] = number
        if (on_disk := self.advances_on_disk) is not None:  # duplicates: at the file's end
            for index, advance in enumerate(record.advances):
                on_disk.add(advance.id, number, index)
            return
        for index, advance in enumerate(record.advances):
            if advance.id in self.advance_ids:
                field = f"advances[{index}].id"
                self.errors.add(name, number, field, f"duplicate advance id {advance.id!r}")
            self.advance_ids.add(advance.id)

    def known(self, target: str) -> set[str]:
        if target == "advances":
            return self.advance_ids
        return self.ids.setdefault(target, set())

    def reference_checks(self, entity: str) -> list[tuple[int, set[str] | None, dict[str, int]]]:
        """(position in the row, ids of the target in this batch, ids this batch deletes) per
        reference; None instead of the ids for advances kept on disk (advances_on_disk)."""
        return [
            (
                2 + index,
                None
                if target == "advances" and self.advances_on_disk is not None
                else self.known(target),
                self.deleted.get(target, {}),
            )
            for index, (_field, target) in enumerate(SPECS[entity].references)
        ]

    def check_reference(self, name: str, number: int, ref: tuple[str, str], value: str) -> None:
        """A reference not found among the batch's records (or to one the batch deletes)."""
        field, target = ref
        if value in self.deleted.get(target, ()):
            message = f"refers to {target} {value!r}, which this batch deletes"
            self.errors.add(name, number, field, message)
        elif value in self.known(target):
            return
        elif self.batch.is_full:
            self.errors.add(name, number, field, unknown_in_full_batch(target, value))
        else:
            places = self.pending[target].setdefault(value, [])
            if len(places) < MAX_LOCATIONS:
                places.append((name, number, field))

    def resolve_in_database(self) -> None:
        """A delta may refer to rows the portal already holds: look them up."""
        for target, places_by_id in self.pending.items():
            stored = primary_keys(MODELS[target], list(places_by_id))
            for value, places in places_by_id.items():
                if value in stored:
                    continue
                for name, number, field in places:
                    message = f"unknown {target} id {value!r}: not in this batch nor in the portal"
                    self.errors.add(name, number, field, message)

    def check_stored_natural_keys(self) -> None:
        """A delta may not give a stored row's number (or code) to a row with another ZIS id,
        unless that stored row is deleted or changed in the same batch."""
        for entity, by_value in self.natural.items():
            field, values = STORED_KEYS[entity], list(by_value)
            in_batch = self.known(entity) | set(self.deleted.get(entity, {}))
            for start in range(0, len(values), LOOKUP_CHUNK):
                stored = (
                    MODELS[entity]
                    .objects.filter(**{f"{field}__in": values[start : start + LOOKUP_CHUNK]})
                    .order_by()
                    .values_list(field, "zis_id")
                )
                for value, holder in stored:
                    zis_id, number = by_value[value]
                    if holder == zis_id or holder in in_batch:
                        continue
                    message = (
                        f"{field} {value!r} already belongs to {entity} {holder!r} in the portal; "
                        f"change or delete that one in the same batch"
                    )
                    self.errors.add(file_name(entity), number, field, message)

    def check_deleted_dependants(self) -> None:
        """Refuse deleting a row that stored rows still refer to, unless they go or change too."""
        for parent, lines in self.deleted.items():
            wanted = list(lines)
            protecting = list(PROTECTING.get(parent, []))
            if parent == "advance_schedules":  # payments refer to its advances
                protecting.append(("payments", "advance__schedule"))
            for child, field in protecting:
                for start in range(0, len(wanted), LOOKUP_CHUNK):
                    rows = (
                        MODELS[child]
                        .objects.filter(
                            **{f"{field}__zis_id__in": wanted[start : start + LOOKUP_CHUNK]}
                        )
                        .order_by()
                        .values_list("zis_id", f"{field}__zis_id")
                    )
                    for child_id, parent_id in rows:
                        if child_id in self.deleted.get(child, {}) or child_id in self.known(child):
                            continue
                        message = (
                            f"{parent} {parent_id!r} is still referred to by {child} "
                            f"{child_id!r}: delete or change that in the same batch"
                        )
                        self.errors.add(file_name(DELETIONS), lines[parent_id], "id", message)

    def check_dropped_advances(self) -> None:
        """A delta's schedule that no longer lists an advance a payment is matched to: an error,
        unless the batch deletes that payment or matches it elsewhere."""
        if not self.schedule_lines:
            return
        ids, dropped = list(self.schedule_lines), {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            stored = (
                MODELS["advances"]
                .objects.filter(schedule__zis_id__in=ids[start : start + LOOKUP_CHUNK])
                .order_by()
                .values_list("zis_id", "schedule__zis_id")
            )
            dropped.update((a, s) for a, s in stored if a not in self.advance_ids)
        if not dropped:
            return
        name = file_name("payments")
        for position, row in enumerate(self.batch.rows.get("payments", [])):
            if row[4] in dropped:
                message = (
                    f"refers to advances {row[4]!r}, which advance_schedules "
                    f"{dropped[row[4]]!r} of this batch no longer lists"
                )
                self.errors.add(name, self.line_number("payments", position), "advance", message)
        listed = self.known("payments") | set(self.deleted.get("payments", {}))
        matched = (
            MODELS["payments"]
            .objects.filter(advance__zis_id__in=list(dropped))
            .order_by()
            .values_list("zis_id", "advance__zis_id")
        )
        for payment, advance in matched:
            if payment in listed:
                continue
            message = (
                f"drops advance {advance!r}, to which payments {payment!r} is still matched: "
                "change or delete that payment in the same batch"
            )
            line = self.schedule_lines[dropped[advance]]
            self.errors.add(file_name("advance_schedules"), line, "advances", message)


def unknown_in_full_batch(target: str, value: str) -> str:
    return f"unknown {target} id {value!r}: a full batch must contain it"
