"""Huey tasks of customer requests. Thin: they call `portal.requests.services`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import kept_photos


@db_periodic_task(crontab(hour="4", minute="10"))
def purge_kept_photos_task() -> int:
    """Every night: delete photos kept for self-reading forms that were never finished."""
    return kept_photos.purge_kept_photos()
