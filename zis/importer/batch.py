"""Reading a batch folder: its manifest and the records of its JSON Lines files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from zis.records import (
    DELETIONS,
    ENTITIES,
    ENTITY_RECORDS,
    FULL,
    MANIFEST_FILE,
    DeletionRecord,
    EntityRecord,
    Manifest,
)

from .spool import RowSpool

READ_SIZE = 1 << 20


def file_name(entity: str) -> str:
    return f"{entity}.jsonl"


def record_type(entity: str) -> type[EntityRecord]:
    return DeletionRecord if entity == DELETIONS else ENTITY_RECORDS[entity]


@dataclass(frozen=True)
class Batch:
    """A batch whose manifest has been read. Files are streamed, never loaded whole.

    `rows` holds, per entity, the compact rows validation built from its records (see rows.py)
    in a spool on disk (spool.py): the apply step writes those, a chunk at a time, and never
    reads the files again.
    """

    path: Path
    manifest: Manifest
    rows: dict[str, RowSpool] = field(default_factory=dict, compare=False, repr=False)
    # What may legitimately be odd: imported, and shown to operators (file, line, field, message).
    warnings: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)

    @property
    def batch_id(self) -> str:
        return self.manifest.batch_id

    @property
    def is_full(self) -> bool:
        return self.manifest.kind == FULL

    def spool(self, entity: str) -> RowSpool:
        """The entity's spool of validated rows (created empty when missing)."""
        if entity not in self.rows:
            self.rows[entity] = RowSpool()
        return self.rows[entity]

    def row_count(self) -> int:
        """Validated rows of the entity files (deletions aside)."""
        return sum(len(spool) for entity, spool in self.rows.items() if entity != DELETIONS)

    def take(self, entity: str) -> RowSpool:
        """Remove and return the entity's spool (an empty one when there is none)."""
        return self.rows.pop(entity, None) or RowSpool()

    def discard_rows(self) -> None:
        """Close every spool (their temporary files go)."""
        for spool in self.rows.values():
            spool.close()
        self.rows.clear()

    def has(self, entity: str) -> bool:
        return file_name(entity) in self.manifest.files

    def entities(self) -> list[str]:
        """The entity files this batch carries, in dependency order."""
        return [entity for entity in ENTITIES if self.has(entity)]

    def size(self, entity: str) -> int:
        """The size of the entity's file in bytes."""
        return (self.path / file_name(entity)).stat().st_size

    def open(self, entity: str) -> BinaryIO:
        """The entity's file, to read line by line."""
        return (self.path / file_name(entity)).open("rb", buffering=READ_SIZE)


def read_manifest_file(path: Path) -> Manifest:
    """Parse manifest.json; raises OSError or ValidationError (bad JSON or schema)."""
    return Manifest.model_validate_json((path / MANIFEST_FILE).read_bytes())


def read_manifest(path: Path) -> Manifest | None:
    try:
        return read_manifest_file(path)
    except (OSError, ValidationError):
        return None


BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Digest:
    sha256: str
    lines: int  # a last line without \n counts
    final_newline: bool  # the file is empty or ends with \n
    bom: bool  # the file starts with a UTF-8 byte-order mark


def digest_file(path: Path) -> Digest:
    """SHA-256 of the file's bytes, its number of lines, and how it starts and ends."""
    sha = hashlib.sha256()
    lines = 0
    last = b"\n"
    first = b""
    with path.open("rb") as handle:
        while block := handle.read(READ_SIZE):
            if not first:
                first = block[:3]
            sha.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        lines += 1
    return Digest(sha.hexdigest(), lines, last == b"\n", first == BOM)
