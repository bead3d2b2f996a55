"""Validated rows kept on disk, not in memory: the import's memory does not grow with the batch.

Validation appends each checked row to its file's RowSpool. Every `chunk_rows` rows the
spool writes its buffer to an anonymous temporary file (marshal, the fastest way to write and
read back tuples of text) and forgets it, so a spool holds at most one chunk in memory
whatever the size of the file. The apply step then reads the rows back one chunk at a time.
The temporary file vanishes when the spool is closed or the process ends.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings

from .rows import Row

DEFAULT_CHUNK_ROWS = 10_000
SET_ASIDE_ROWS = 1000  # fewer rows stay in memory when their file is checked (set_aside)


def chunk_rows() -> int:
    """Rows held in memory at a time per file (ZIS_IMPORT_CHUNK_ROWS)."""
    return max(1, int(getattr(settings, "ZIS_IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS)))


class RowSpool:
    """An append-only sequence of rows, spilled to a temporary file a chunk at a time."""

    def __init__(self, chunk: int | None = None) -> None:
        self.chunk = chunk or chunk_rows()
        self.buffer: list[Row] = []
        self.file: IO[bytes] | None = None
        self.count = 0
        self.chunks_written = 0
        self.most_held = 0  # the largest number of rows this spool ever held in memory

    def append(self, row: Row) -> None:
        self.buffer.append(row)
        self.count += 1
        if len(self.buffer) >= self.chunk:
            self.most_held = max(self.most_held, len(self.buffer))
            self._spill()

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)

    def set_aside(self) -> None:
        """Write the rows still in memory to the file too, unless they are few: once a file is
        checked its rows wait for the apply step, and the spools of a dozen files together
        would otherwise hold up to a chunk each all that time."""
        if len(self.buffer) >= SET_ASIDE_ROWS:
            self.most_held = max(self.most_held, len(self.buffer))
            self._spill()

    def _spill(self) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="zis-rows-", dir=spool_folder())  # noqa: SIM115 - closed in close()
        data = marshal.dumps(self.buffer)
        self.file.seek(0, 2)
        self.file.write(len(data).to_bytes(8, "little"))
        self.file.write(data)
        self.chunks_written += 1
        self.buffer = []

    def chunks(self) -> Iterator[list[Row]]:
        """The rows in order, a list of at most `chunk` rows at a time."""
        self.most_held = max(self.most_held, len(self.buffer))
        if self.file is not None:
            self.file.flush()
            position = 0
            for _ in range(self.chunks_written):
                self.file.seek(position)
                size = int.from_bytes(self.file.read(8), "little")
                data = self.file.read(size)
                position += 8 + size
                yield marshal.loads(data)  # noqa: S302 - written by this process
        if self.buffer:
            yield list(self.buffer)

    def __iter__(self) -> Iterator[Row]:
        for chunk in self.chunks():
            yield from chunk

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        self.buffer = []
        self.chunks_written = self.count = 0

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def spool_folder() -> str | None:
    """Where the spools go (ZIS_IMPORT_SPOOL_DIR; the system's temporary folder by default)."""
    folder = getattr(settings, "ZIS_IMPORT_SPOOL_DIR", "")
    return str(folder) if folder else None
