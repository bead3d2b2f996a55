"""The portal's huey tasks live in their feature packages; huey's consumer imports each installed
app's `tasks` module, so this one imports theirs to register them."""

from portal.documents import tasks as document_tasks
from portal.mailings import tasks as mailing_tasks
from portal.notices import tasks as notice_tasks
from portal.notifications import tasks as notification_tasks
from portal.requests import tasks as request_tasks

__all__ = ["document_tasks", "mailing_tasks", "notice_tasks", "notification_tasks", "request_tasks"]
