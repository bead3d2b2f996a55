"""Huey tasks of the notices: send a published notice's e-mails without waiting for the sweep."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from portal.notifications import services as notifications

SEND_ROUNDS = 1000  # of notifications.SWEEP_LIMIT each: enough for any notice


@db_task(retries=3, retry_delay=60)
def send_notice_emails_task() -> int:
    """Send the due notifications (a notice queues them in bulk, without a task per row);
    the periodic sweep sends whatever this leaves."""
    sent = 0
    for _round in range(SEND_ROUNDS):
        count = notifications.send_due_notifications()
        sent += count
        if count == 0:
            break
    return sent
