"""manage.py zis_purge_batches --older-than DAYS: delete imported and refused ZIS batch folders.

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
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.outbound.purge import purge_acknowledged

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


class Command(BaseCommand):
    help = (
        "Delete processed and rejected ZIS batch folders, acknowledged outbound batches and "
        "processed acknowledgements older than the given number of days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="age in days (at least 1)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be deleted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["older_than"]
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        purged = purge_batches(days, dry_run=options["dry_run"])
        # Outbound batches ZIS acknowledged and the acknowledgements it sent (zis/outbound/).
        purged += purge_acknowledged(days, dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        for folder in purged:
            self.stdout.write(f"{verb} {folder}")
        self.stdout.write(
            f"{verb} {len(purged)} batch folder(s) or file(s) older than {days} days."
        )
