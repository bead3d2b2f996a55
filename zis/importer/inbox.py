"""The inbox folder: batches ZIS (or the HTTP door) put there wait to be imported in order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from zis.models import SyncRun
from zis.records import MANIFEST_FILE

from .batch import read_manifest
from .run import PROCESSED, REJECTED, import_batch

EARLIEST = datetime.min.replace(tzinfo=UTC)


def pending_batches(inbox: Path) -> list[Path]:
    """Batch folders ready to import, oldest first (by manifest `created`, then by name).

    Skipped: processed/ and rejected/, hidden folders (uploads in progress) and folders without
    manifest.json (ZIS writes the manifest last). An unreadable manifest sorts first and is
    rejected by the import with a report.
    """
    if not inbox.is_dir():
        return []
    ready = [
        folder
        for folder in inbox.iterdir()
        if folder.is_dir()
        and folder.name not in {PROCESSED, REJECTED}
        and not folder.name.startswith(".")
        and (folder / MANIFEST_FILE).is_file()
    ]

    def order(folder: Path) -> tuple[datetime, str]:
        manifest = read_manifest(folder)
        return (manifest.created if manifest else EARLIEST, folder.name)

    return sorted(ready, key=order)


def import_inbox(inbox: Path | None = None) -> list[SyncRun]:
    """Import every batch waiting in `inbox` (default settings.ZIS_INBOX), oldest first."""
    folder = Path(inbox) if inbox is not None else Path(settings.ZIS_INBOX)
    return [import_batch(path) for path in pending_batches(folder)]
