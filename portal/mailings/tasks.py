"""Huey tasks of the mailings. Thin: they call `portal.mailings.services` and `.invitations`.

Each is idempotent (see the services): a task that runs twice, or is retried, sends nothing twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from . import invitations, services


@db_task(retries=2, retry_delay=300)
@lock_task("mailings-einvoices")
def send_einvoices_task() -> int:
    """After a ZIS import (zis.followups): e-mail the new invoices and payment calendars."""
    return services.send_einvoices()


@db_periodic_task(crontab(hour="7", minute="20"))
@lock_task("mailings-due-reminders")
def send_due_reminders_task() -> int:
    """Every morning: remind those who opted in of advances and invoices falling due."""
    return services.send_due_reminders()


@db_periodic_task(crontab(hour="7", minute="40"))
@lock_task("mailings-reading-invitations")
def send_invitations_task() -> int:
    """Every morning: invite customers with manually read meters to report the reading."""
    return invitations.send_invitations()
