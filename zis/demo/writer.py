"""Streaming writer of one exchange batch (zis/EXCHANGE.md): JSON Lines per entity, manifest last.

Records are plain dicts whose values are already strings, numbers, booleans, lists or dicts; they
are encoded compactly (no spaces, UTF-8, no ASCII escaping) in the order their keys were inserted,
so the same records always give the same bytes. Each file's SHA-256 and line count are kept as it
is written. The batch is written into a hidden ``.<name>.partial`` folder and renamed into place
once the manifest is in, so an inbox watcher never sees half a batch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from zis.records import ENTITY_FILES, FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE

FLUSH_LINES = 4096


def day(value: date) -> str:
    return value.isoformat()


def stamp(value: date) -> str:
    """A record's ``updated_at``: six in the morning UTC of the given day."""
    return f"{value.isoformat()}T06:00:00Z"


def amount(value: Decimal) -> str:
    """Money as a decimal string with exactly two places."""
    return f"{value:.2f}"


def volume(value: Decimal) -> str:
    """m³ as a decimal string with exactly three places."""
    return f"{value:.3f}"


def litres(value: int) -> str:
    """Whole litres as m³ with three places, without going through floats."""
    whole, rest = divmod(value, 1000)
    return f"{whole}.{rest:03d}"


class _EntityFile:
    __slots__ = ("buffer", "count", "digest", "handle")

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.buffer: list[str] = []
        self.count = 0

    def flush(self) -> None:
        if self.buffer:
            data = "".join(self.buffer).encode()
            self.digest.update(data)
            self.handle.write(data)
            self.buffer.clear()


class BatchWriter:
    """Writes the entity files of one batch as records arrive, then the manifest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.partial = folder.with_name(f".{folder.name}.partial")
        if self.partial.exists():
            shutil.rmtree(self.partial)
        self.partial.mkdir(parents=True)
        self._encode = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), check_circular=False
        ).encode
        self._files = {name: _EntityFile((self.partial / name).open("wb")) for name in ENTITY_FILES}

    def write(self, entity: str, record: dict[str, Any]) -> None:
        """Append one record to ``<entity>.jsonl``."""
        file = self._files[f"{entity}.jsonl"]
        file.buffer.append(self._encode(record) + "\n")
        file.count += 1
        if len(file.buffer) >= FLUSH_LINES:
            file.flush()

    def write_line(self, entity: str, line: str) -> None:
        """Append a record already encoded as a compact JSON object followed by a newline.

        For the bulkiest records (readings, daily values, payments), whose values are ids, dates,
        decimals and fixed words that never need escaping; it saves the general encoder's time.
        """
        file = self._files[f"{entity}.jsonl"]
        file.buffer.append(line)
        file.count += 1
        if len(file.buffer) >= FLUSH_LINES:
            file.flush()

    def counts(self) -> dict[str, int]:
        return {name.removesuffix(".jsonl"): file.count for name, file in self._files.items()}

    def finish(self, *, batch_id: str, created: str, kind: str = "full") -> Path:
        """Close the files, write ``manifest.json`` and move the batch into place."""
        files = {}
        for name, file in self._files.items():
            file.flush()
            file.handle.close()
            files[name] = {"records": file.count, "sha256": file.digest.hexdigest()}
        manifest = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "batch_id": batch_id,
            "created": created,
            "kind": kind,
            "files": files,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (self.partial / MANIFEST_FILE).write_text(text, encoding="utf-8")
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.partial.rename(self.folder)
        return self.folder

    def abort(self) -> None:
        """Close and remove the unfinished batch."""
        for file in self._files.values():
            file.handle.close()
        shutil.rmtree(self.partial, ignore_errors=True)
