"""Deleting imported and refused ZIS batch folders after a while (`manage.py zis_purge_batches`).

Imported batches stay in ``ZIS_INBOX/processed/`` and ``rejected/`` (and ``ZIS_INBOX/http/…`` for
HTTP uploads) with their reports. They hold personal data and plain activation codes, and
what they brought is in the database and in the sync runs (Admin → ZIS → Sync runs) — so they
should not be kept for long. The daily task `zis.tasks.purge_batches_task` runs this with
ZIS_PURGE_AFTER_DAYS. A folder's age is the time its import finished (its report was written).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ARCHIVES = ("processed", "rejected")
UPLOADS = "http"  # zis.http.store.UPLOADS: HTTP uploads live in their own subfolder


def archive_folders(inbox: Path) -> Iterator[Path]:
    """Every batch folder in the inbox's processed/ and rejected/ archives."""
    for base in (inbox, inbox / UPLOADS):
        for archive in ARCHIVES:
            folder = base / archive
            if folder.is_dir():
                yield from sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())


def finished_at(folder: Path) -> float:
    """When the batch was archived: its report's time, else the folder's."""
    times = [folder.stat().st_mtime]
    times += [
        (folder / name).stat().st_mtime
        for name in ("report.json", "report.txt")
        if (folder / name).exists()
    ]
    return max(times)


def purge_batches(
    older_than_days: int, *, dry_run: bool = False, now: float | None = None
) -> list[Path]:
    """Delete archived batch folders older than the given number of days; return them."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    limit = (now if now is not None else time.time()) - older_than_days * 86400
    purged = [
        folder
        for folder in archive_folders(Path(settings.ZIS_INBOX))
        if finished_at(folder) < limit
    ]
    if not dry_run:
        for folder in purged:
            shutil.rmtree(folder)
    return purged
