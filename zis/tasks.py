"""Huey tasks of the ZIS boundary. Thin: they call zis.importer or zis.outbound and return a count
or a status."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from zis.importer import import_batch, import_inbox
from zis.importer.purge import purge_batches
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved
from zis.outbound.purge import purge_acknowledged

IMPORT_LOCK = "zis-import"
EXPORT_LOCK = "zis-export"
ACKS_LOCK = "zis-acks"


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


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_batches_task() -> int:
    """Every night: delete archived batch folders older than ZIS_PURGE_AFTER_DAYS (0: keep)."""
    days = settings.ZIS_PURGE_AFTER_DAYS
    return len(purge_batches(days)) + len(purge_acknowledged(days)) if days > 0 else 0


@db_periodic_task(crontab(minute="*"))
@lock_task(EXPORT_LOCK)
def export_outbound_task() -> int:
    """Every minute: write approved requests into outbound batches in settings.ZIS_OUTBOX."""
    return len(export_approved())


@db_periodic_task(crontab(minute="*"))
@lock_task(ACKS_LOCK)
def pickup_acks_task() -> int:
    """Every minute: apply the acknowledgements ZIS dropped into settings.ZIS_ACKS."""
    return len(pickup_acks())
