"""Huey tasks of the public website (huey's consumer imports every app's `tasks` module)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cms_pages.submissions import purge_form_submissions


@db_periodic_task(crontab(hour="3", minute="50"))
def purge_form_submissions_task() -> int:
    """Every night: delete "ask us" submissions older than
    PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS (0: keep)."""
    return purge_form_submissions()
