"""Purging what the outbound exchange leaves behind once ZIS has answered.

Acknowledged batch folders are moved to ``ZIS_OUTBOX/acknowledged/<batch_id>/`` (with the applied
``ack.json`` inside) and applied acknowledgement files to ``ZIS_ACKS/processed/``. They hold
customers' personal data (names, addresses, readings), and what they say is in the database
(Admin → ZIS → Outbound batches keeps the answer; the batch's files can be rendered again from
the rows), so they should not be kept for long. `purge_acknowledged(days)` deletes the ones
older than `days`; `manage.py zis_purge_batches` calls it next to the inbound purge.

Never touched: batches not yet acknowledged (in the outbox itself), refused acknowledgements in
``ZIS_ACKS/rejected/`` (an operator reads their reports), symbolic links.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from .acks import ACK_FILE, PROCESSED
from .writer import ACKNOWLEDGED, outbox

DAY = 86400


def acknowledged_folders(folder: Path | None = None) -> Iterator[Path]:
    """Every batch folder in ``ZIS_OUTBOX/acknowledged/``."""
    archive = (folder or outbox()) / ACKNOWLEDGED
    if archive.is_dir():
        yield from sorted(p for p in archive.iterdir() if p.is_dir() and not p.is_symlink())


def processed_ack_files(folder: Path | None = None) -> Iterator[Path]:
    """Every applied acknowledgement file in ``ZIS_ACKS/processed/``."""
    archive = (folder or Path(settings.ZIS_ACKS)) / PROCESSED
    if archive.is_dir():
        yield from sorted(p for p in archive.iterdir() if p.is_file() and not p.is_symlink())


def archived_at(path: Path) -> float:
    """When it was archived: a batch folder's ack.json (written when it was moved), else its
    own modification time."""
    times = [path.stat().st_mtime]
    if path.is_dir() and (path / ACK_FILE).is_file():
        times.append((path / ACK_FILE).stat().st_mtime)
    return max(times)


def purge_acknowledged(
    older_than_days: int, *, dry_run: bool = False, now: float | None = None
) -> list[Path]:
    """Delete acknowledged batch folders and processed acknowledgement files archived more
    than `older_than_days` days ago; return what was (with `dry_run`: would be) deleted."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    limit = (now if now is not None else time.time()) - older_than_days * DAY
    purged = [
        path
        for path in [*acknowledged_folders(), *processed_ack_files()]
        if archived_at(path) < limit
    ]
    if not dry_run:
        for path in purged:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
    return purged
