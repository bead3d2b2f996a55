"""Huey tasks of customer requests. Thin: they call `portal.requests.services`."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .services import advance_change, kept_photos


@db_periodic_task(crontab(hour="4", minute="10"))
def purge_kept_photos_task() -> int:
    """Every night: delete photos kept for self-reading forms that were never finished."""
    return kept_photos.purge_kept_photos()


@db_task(retries=2, retry_delay=120)
def recompute_projections_task(part: int = 0, parts: int = 1) -> int:
    """The advance projections of the `part`-th of `parts` shares of the supply points, again
    (after a ZIS import). A task, so that the import is not held up; each share is a task of
    its own, so that several workers share the work (PRAMEN_ADVISOR_TASKS). Two imports in
    quick succession never recompute the same share at the same time (the second waits for its
    retry)."""
    with lock_task(f"advisor-recompute-projections-{part}-of-{parts}"):
        return advance_change.recompute_projections(part=(part, parts))


def queue_projections() -> None:
    """Queue the recomputation of every supply point's projection, in PRAMEN_ADVISOR_TASKS
    tasks (one per task worker that may take one)."""
    parts = max(1, settings.PRAMEN_ADVISOR_TASKS)
    for part in range(parts):
        recompute_projections_task(part, parts)
