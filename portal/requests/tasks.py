"""Huey tasks of customer requests. Thin: they call `portal.requests.services`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .services import advance_change, kept_photos


@db_periodic_task(crontab(hour="4", minute="10"))
def purge_kept_photos_task() -> int:
    """Every night: delete photos kept for self-reading forms that were never finished."""
    return kept_photos.purge_kept_photos()


@db_task(retries=2, retry_delay=120)
def recompute_projections_task() -> int:
    """Every supply point's advance projection again (after a ZIS import). A task, so that the
    import is not held up; two imports in quick succession never recompute at the same time
    (the second waits for its retry)."""
    with lock_task("advisor-recompute-projections"):
        return advance_change.recompute_projections()
