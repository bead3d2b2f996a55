"""Where uploaded batches go, and what the door knows about a batch id.

An accepted upload is unpacked into a hidden staging folder in the inbox and renamed, whole, to
``ZIS_INBOX/http/<received>-<batch_id>/``; its import is queued at once (`import_batch_task`), and
the importer moves it on to ``ZIS_INBOX/http/processed/`` or ``rejected/``. The periodic inbox
import does not look into ``http/``, so an upload is imported exactly once, by its own task.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from zis.importer.report import render_json
from zis.models import SyncRun
from zis.private import make_private, private_folder
from zis.records import MANIFEST_FILE

from .archive import Limits, check_archive, open_archive, unpack

UPLOADS = "http"
RECEIVED_FORMAT = "%Y%m%dT%H%M%S%fZ"  # folder names: <received>-<batch_id>
STAGING_PREFIX = ".incoming-"
QUEUED = "queued"


@dataclass(frozen=True)
class StoredUpload:
    batch_id: str
    path: Path
    received_at: datetime


def archive_limits() -> Limits:
    return Limits(
        file_bytes=settings.ZIS_MAX_BATCH_FILE_BYTES, total_bytes=settings.ZIS_MAX_BATCH_BYTES
    )


def uploads_folder() -> Path:
    return Path(settings.ZIS_INBOX) / UPLOADS


def store_upload(upload: IO[bytes]) -> StoredUpload:
    """Check the ZIP in `upload` and unpack it into the inbox; raises ArchiveError (nothing kept)."""
    limits = archive_limits()
    with open_archive(upload) as archive:
        checked = check_archive(archive, limits)
        received_at = timezone.now()
        inbox = Path(settings.ZIS_INBOX)
        inbox.mkdir(parents=True, exist_ok=True)  # made by the installation, owned by ZIS
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=inbox))  # mode 0700
        unpack(checked, staging, limits)  # removes the staging folder on failure
    name = f"{received_at.strftime(RECEIVED_FORMAT)}-{checked.batch_id}"
    try:
        target = unique_folder(uploads_folder(), name)
        private_folder(target.parent)
        make_private(staging)
        staging.rename(target)  # the importer sees the batch whole or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StoredUpload(checked.batch_id, target, received_at)


def discard_upload(stored: StoredUpload) -> None:
    """Remove an upload whose import could not be queued (ZIS is told to send it again)."""
    shutil.rmtree(stored.path, ignore_errors=True)


def unique_folder(parent: Path, name: str) -> Path:
    target, counter = parent / name, 1
    while target.exists():
        counter += 1
        target = parent / f"{name}.{counter}"
    return target


def waiting_upload(batch_id: str) -> bool:
    """An upload of this batch id waits in the inbox for its import."""
    folder = uploads_folder()
    if not folder.is_dir():
        return False
    return any(
        path.name.partition("-")[2] == batch_id and (path / MANIFEST_FILE).is_file()
        for path in folder.iterdir()
        if path.is_dir()
    )


def batch_status(batch_id: str) -> dict[str, Any] | None:
    """What ZIS learns about a batch: its latest sync run, "queued", or None (unknown)."""
    run = SyncRun.objects.filter(batch_id=batch_id).order_by("-started_at", "-pk").first()
    if (run is None or run.status != SyncRun.Status.RUNNING) and waiting_upload(batch_id):
        return {"batch_id": batch_id, "status": QUEUED}
    if run is None:
        return None
    status = render_json(run)
    received_at = run.received_at or received_from_folder(run.path)
    status["received_at"] = received_at.isoformat() if received_at else None
    return status


def received_from_folder(path: str) -> datetime | None:
    """When an upload arrived, from its folder name (import_batch_task does not pass it on)."""
    stamp = Path(path).name.partition("-")[0]
    try:
        return datetime.strptime(stamp, RECEIVED_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
