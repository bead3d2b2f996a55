"""Huey tasks of the ZIS boundary. Thin: they call zis.importer and return a count or a status."""

from __future__ import annotations

from pathlib import Path

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from zis.importer import import_batch, import_inbox

IMPORT_LOCK = "zis-import"


@db_periodic_task(crontab(minute="*"))
@lock_task(IMPORT_LOCK)
def import_inbox_task() -> int:
    """Every minute: import whatever batches wait in settings.ZIS_INBOX, oldest first."""
    return len(import_inbox())


@db_task(retries=5, retry_delay=30)
@lock_task(IMPORT_LOCK)
def import_batch_task(path: str, source: str = "folder") -> str:
    """Import one stored batch (e.g. an HTTP upload); retried while another import runs."""
    return import_batch(Path(path), source=source).status
