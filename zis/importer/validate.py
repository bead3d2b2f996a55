"""Validating a whole batch before anything is written: manifest, files, records, references."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zis.records import (
    DELETIONS,
    ENTITIES,
    ENTITY_FILES,
    FORMAT_NAME,
    MANIFEST_FILE,
    SUPPORTED_VERSIONS,
    AdvanceScheduleRecord,
    Manifest,
)

from .batch import Batch, digest_file, file_name, read_manifest_file, record_type
from .entities import MODELS, NATURAL_KEYS, PROTECTING, SPECS
from .errors import ErrorList
from .rows import RowBuilder
from .writer import primary_keys

MAX_LOCATIONS = 5
LOOKUP_CHUNK = 1000


def validate_batch(path: Path) -> tuple[Batch | None, ErrorList]:
    """Check everything about the batch at `path`; the batch is usable when no errors came back."""
    errors = ErrorList()
    manifest = check_manifest(path, errors)
    if manifest is None:
        return None, errors
    batch = Batch(path, manifest)
    readable = check_files(batch, errors)
    RecordChecker(batch, errors, readable).run()
    return batch, errors


def check_manifest(path: Path, errors: ErrorList) -> Manifest | None:
    if not path.is_dir():
        errors.add(str(path), None, "", "is not a batch folder")
        return None
    if not (path / MANIFEST_FILE).is_file():
        errors.add(MANIFEST_FILE, None, "", "missing: every batch needs a manifest.json")
        return None
    try:
        raw = json.loads((path / MANIFEST_FILE).read_bytes())
    except (OSError, ValueError) as exc:
        errors.add(MANIFEST_FILE, None, "", f"not readable JSON ({exc})")
        return None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        found = raw.get("format") if isinstance(raw, dict) else None
        errors.add(
            MANIFEST_FILE, None, "format", f"unknown format {found!r}, expected {FORMAT_NAME!r}"
        )
        return None
    if raw.get("version") not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        message = f"unsupported version {raw.get('version')!r} (this portal reads {supported})"
        errors.add(MANIFEST_FILE, None, "version", message)
        return None
    try:
        return read_manifest_file(path)
    except ValidationError as exc:
        errors.add_validation_error(MANIFEST_FILE, 1, exc)
        return None


def check_files(batch: Batch, errors: ErrorList) -> set[str]:
    """Listed files are known and present (all in a full batch); counts and checksums match."""
    files = batch.manifest.files
    for name in files:
        if name not in ENTITY_FILES:
            errors.add(name, None, "", "unknown file: not part of format version 1")
    if batch.is_full:
        for entity in ENTITIES:
            if file_name(entity) not in files:
                message = "missing from the manifest: a full batch lists every entity file"
                errors.add(file_name(entity), None, "", message)
        deletions = files.get(file_name(DELETIONS))
        if deletions is not None and deletions.records:
            errors.add(file_name(DELETIONS), None, "", "a full batch carries no deletions")
    readable = set()
    for name, listed in files.items():
        if name not in ENTITY_FILES:
            continue
        if not (batch.path / name).is_file():
            errors.add(name, None, "", "listed in the manifest but missing from the batch folder")
            continue
        readable.add(name.removesuffix(".jsonl"))
        sha256, lines = digest_file(batch.path / name)
        if sha256 != listed.sha256:
            message = f"checksum mismatch: the manifest says {listed.sha256}, the file has {sha256}"
            errors.add(name, None, "sha256", message)
        if lines != listed.records:
            message = f"the manifest says {listed.records} records, the file has {lines} lines"
            errors.add(name, None, "records", message)
    return readable


class RecordChecker:
    """Reads every record once: types, duplicates and references; keeps the rows to apply.

    Each valid record becomes a compact row (rows.py) in `batch.rows`; once any error is found
    the rows are dropped, since a rejected batch is not applied.
    """

    def __init__(self, batch: Batch, errors: ErrorList, readable: set[str]) -> None:
        self.batch = batch
        self.errors = errors
        self.readable = readable
        self.ids: dict[str, set[str]] = {}
        self.advance_ids: set[str] = set()
        self.deleted: dict[str, dict[str, int]] = defaultdict(dict)
        self.pending: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(dict)
        self.builder = RowBuilder()

    def run(self) -> None:
        if DELETIONS in self.readable:
            self.check_deletions()
        for entity in self.batch.entities():
            self.ids[entity] = set()
            if entity in self.readable:
                self.check_file(entity)
        if not self.batch.is_full:
            self.resolve_in_database()
            self.check_deleted_dependants()
        if self.errors:
            self.batch.rows.clear()

    def parse(self, entity: str) -> Iterator[tuple[int, Any]]:
        """Yield (line number, record) for every valid line; report the others."""
        validate = record_type(entity).__pydantic_validator__.validate_json
        with self.batch.open(entity) as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    record = validate(line)
                except ValidationError as exc:
                    self.invalid(entity, number, line, exc)
                    continue
                yield number, record

    def invalid(self, entity: str, number: int, line: bytes, exc: ValidationError) -> None:
        if not line.strip():
            self.errors.add(file_name(entity), number, "", "empty line")
            return
        self.errors.add_validation_error(file_name(entity), number, exc)
        self.remember_invalid(entity, line)

    def remember_invalid(self, entity: str, line: bytes) -> None:
        """Keep the ids of an invalid record, so records referring to it raise no extra errors."""
        try:
            data = json.loads(line)
        except ValueError:
            return
        if not isinstance(data, dict) or entity not in self.ids:
            return
        if isinstance(data.get("id"), str):
            self.ids[entity].add(data["id"])
        advances = data.get("advances") if entity == "advance_schedules" else None
        for advance in advances if isinstance(advances, list) else []:
            if isinstance(advance, dict) and isinstance(advance.get("id"), str):
                self.advance_ids.add(advance["id"])

    def check_deletions(self) -> None:
        name, rows = file_name(DELETIONS), self.batch.rows.setdefault(DELETIONS, [])
        for number, record in self.parse(DELETIONS):
            if record.id in self.deleted[record.entity]:
                self.errors.add(name, number, "id", f"{record.entity} {record.id!r} deleted twice")
            self.deleted[record.entity][record.id] = number
            rows.append(self.builder.deletions(record))

    def check_file(self, entity: str) -> None:
        name, ids, rows = (
            file_name(entity),
            self.ids[entity],
            self.batch.rows.setdefault(entity, []),
        )
        deleted_here = self.deleted.get(entity)
        key_of, keys = SPECS[entity].natural_key, set()
        build, checks = self.builder.for_entity(entity), self.reference_checks(entity)
        has_advances = entity == "advance_schedules"
        for number, record in self.parse(entity):
            row = build(record)
            if row[0] in ids:
                self.errors.add(name, number, "id", f"duplicate id {row[0]!r} in this file")
            ids.add(row[0])
            if deleted_here and row[0] in deleted_here:
                line = deleted_here[row[0]]
                self.errors.add(name, number, "id", f"also deleted by deletions.jsonl:{line}")
            if key_of is not None:
                key = hash(key_of(record))
                if key in keys:
                    fields = ", ".join(NATURAL_KEYS[entity])
                    self.errors.add(name, number, fields, "duplicate in this file")
                keys.add(key)
            if has_advances:
                self.check_advances(name, number, record)
            for index, known, deleted in checks:
                value = row[index]
                if value is not None and (value not in known or (deleted and value in deleted)):
                    self.check_reference(name, number, SPECS[entity].references[index - 2], value)
            rows.append(row)

    def check_advances(self, name: str, number: int, record: AdvanceScheduleRecord) -> None:
        for index, advance in enumerate(record.advances):
            if advance.id in self.advance_ids:
                field = f"advances[{index}].id"
                self.errors.add(name, number, field, f"duplicate advance id {advance.id!r}")
            self.advance_ids.add(advance.id)

    def known(self, target: str) -> set[str]:
        if target == "advances":
            return self.advance_ids
        return self.ids.setdefault(target, set())

    def reference_checks(self, entity: str) -> list[tuple[int, set[str], dict[str, int]]]:
        """(position in the row, ids of the target in this batch, ids this batch deletes) per
        reference."""
        return [
            (2 + index, self.known(target), self.deleted.get(target, {}))
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
            message = f"unknown {target} id {value!r}: a full batch must contain it"
            self.errors.add(name, number, field, message)
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

    def check_deleted_dependants(self) -> None:
        """Refuse deleting a row that stored rows still refer to, unless they go or change too."""
        for parent, lines in self.deleted.items():
            wanted = list(lines)
            for child, field in PROTECTING.get(parent, []):
                for start in range(0, len(wanted), LOOKUP_CHUNK):
                    rows = (
                        MODELS[child]
                        .objects.filter(
                            **{f"{field}__zis_id__in": wanted[start : start + LOOKUP_CHUNK]}
                        )
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
