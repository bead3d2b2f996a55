"""A full batch meets the stored rows in their own order: read them ahead by key range.

A full batch lists every row in ZIS's order (customer after customer), and the stored rows were
written in that order by the first import, so their keys follow it too. Looking up the stored
version of each listed row by its ZIS id costs an index probe per row (22 µs of PostgreSQL's CPU
per reading at 500,000 supply points, more than writing it into an empty table). Instead the
window reads the table's next rows by key, as many as the chunk holds, in one range of the
primary key's index, and finds most of the chunk's rows among them. Rows it does not find (added
later by a delta, so further on in key order, or not stored at all) are looked up by ZIS id as
before; rows read ahead wait, a bounded number of them, for the chunks that list them. When a
chunk finds more of its rows by ZIS id than in the window, the batch is in another order than
the table, and the window stops reading: every later row is looked up by its ZIS id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models

from .writer import stored_versions, versions_after

Version = tuple[int, int | None]  # (primary key, updated_at in µs)

HELD_CHUNKS = 4  # rows read ahead and not yet listed are forgotten beyond this many chunks


@dataclass
class StoredWindow:
    """The stored rows of one table with keys up to `last` (the largest before the batch),
    read in key order as a full batch's chunks ask for them."""

    model: type[models.Model]
    last: int
    after: int = 0  # the largest key read so far
    done: bool = False  # every stored row up to `last` was read
    held: dict[str, Version] = field(default_factory=dict)

    def versions(self, zis_ids: Sequence[str]) -> dict[str, Version]:
        """{zis_id: (pk, updated_at)} of the listed ids that are stored (any of them)."""
        self._read(len(zis_ids))
        found, missing = self._take(zis_ids)
        if missing and not self.done:  # rows the batch no longer lists held the window back
            self._read(len(missing))
            more, missing = self._take(missing)
            found.update(more)
        if missing:
            looked_up = stored_versions(self.model, missing)
            if len(looked_up) > len(found):  # the batch's order is not the stored one: stop
                self.done = True
                self.held.clear()
            found.update(looked_up)
        if len(self.held) > HELD_CHUNKS * max(len(zis_ids), 1):
            self.held.clear()  # bounded; a row forgotten here is looked up by its ZIS id
        return found

    def _read(self, count: int) -> None:
        if self.done or count <= 0:
            return
        rows = versions_after(self.model, self.after, self.last, count)
        if len(rows) < count:
            self.done = True
        if rows:
            self.after = rows[-1][1]
            self.held.update((zis_id, (pk, at)) for zis_id, pk, at in rows)

    def _take(self, zis_ids: Sequence[str]) -> tuple[dict[str, Version], list[str]]:
        found: dict[str, Version] = {}
        missing: list[str] = []
        held = self.held
        for zis_id in zis_ids:
            version = held.pop(zis_id, None)
            if version is None:
                missing.append(zis_id)
            else:
                found[zis_id] = version
        return found, missing
