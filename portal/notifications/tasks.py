"""Huey tasks of the e-mail outbox. Thin: they take ids and call `portal.notifications.services`.

`send_notification_task` is enqueued when a notification's transaction
commits; the periodic `send_due_notifications_task` sends whatever is due (retries after
back-off, rows whose task got lost, rows of a worker that died). SMTP failures are recorded on the
row and retried by the sweep (`portal.notifications.services`); huey's own retries only cover an
unexpected error such as a database that is briefly unavailable.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services as notifications


@db_task(retries=3, retry_delay=60)
def send_notification_task(notification_id: int) -> str | None:
    """Send one notification now if it is due; returns its status afterwards."""
    notification = notifications.send_notification(notification_id)
    return notification.status if notification else None


@db_periodic_task(crontab(minute="*"))
def send_due_notifications_task() -> int:
    """Every minute: send the notifications that are due; returns how many went out."""
    return notifications.send_due_notifications()
