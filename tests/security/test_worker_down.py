"""E-mails queued while no task worker runs are sent once one starts.

The task queue is huey on a SQLite file (the embedded default) with no consumer; an operator's
decision commits and queues the customer's e-mail. Nothing is sent. Then a huey consumer starts
(threads in this process, as `manage.py run_huey` would run them) and sends it. An e-mail whose
task never reached the queue (Redis down at the commit) is sent by the periodic sweep, which the
consumer's scheduler enqueues every minute (here: enqueued at once).
"""

from __future__ import annotations

import signal
import time

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from portal.models import Notification
from portal.notifications import services as notification_services
from portal.notifications.tasks import send_due_notifications_task
from portal.requests.services.decisions import approve_request
from portal.requests.services.submission import submit_self_reading
from tests.factories.billing import household_with_history
from tests.requests.conftest import PLAUSIBLE, token

# The worker runs in other threads: they must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 60  # seconds at most for the worker to send (it takes well under one)


@pytest.fixture
def queue_without_worker(tmp_path):
    """huey as in production: tasks are queued, in a SQLite file, and nothing runs them."""
    immediate, storage = HUEY.immediate, HUEY.storage
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(tmp_path / "huey.sqlite3"))
    yield HUEY
    HUEY.storage = storage
    HUEY._immediate = immediate


class Worker:
    """A huey consumer with two worker threads, as `manage.py run_huey` runs them."""

    def __init__(self, huey):
        self.huey = huey
        self.consumers = []

    def start(self):
        consumer = self.huey.create_consumer(
            workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2
        )
        consumer.start()
        self.consumers.append(consumer)

    def stop(self):
        """Stop once the running tasks are done (graceful: the workers are joined)."""
        while self.consumers:
            self.consumers.pop().stop(graceful=True)


@pytest.fixture
def worker(queue_without_worker):
    """A worker to start; stopped after the test at the latest."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    worker = Worker(queue_without_worker)
    yield worker
    worker.stop()
    for sig, handler in handlers.items():  # the consumer installs its own
        signal.signal(sig, handler)


def wait_until_sent(notification: Notification, worker: Worker) -> Notification:
    """The row after the worker has sent its e-mail and stopped.

    The test waits on the outbox rather than polling the table: with SQLite's shared in-memory
    test database a read in this thread can make the worker's write fail with "table is locked".
    """
    deadline = time.monotonic() + WAIT
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop()
    notification.refresh_from_db()
    return notification


@pytest.fixture
def decided(customer, customer_record, operator):
    """An approved self-reading: its e-mail to the customer is queued, as after a decision."""
    household = household_with_history(customer_record, timezone.localdate())
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token(), language="cs"
    )
    mail.outbox.clear()
    approve_request(reading, operator)
    return Notification.objects.get(template="request_approved")


def test_an_email_queued_while_no_worker_runs_is_sent_when_one_starts(
    queue_without_worker, worker, decided, customer
):
    assert queue_without_worker.pending_count() == 1  # the send task waits in the queue
    decided.refresh_from_db()
    assert decided.status == Notification.Status.QUEUED
    assert mail.outbox == []

    worker.start()

    assert wait_until_sent(decided, worker).status == Notification.Status.SENT
    assert [message.to for message in mail.outbox] == [[customer.email]]
    assert queue_without_worker.pending_count() == 0


def test_an_email_whose_task_was_lost_is_sent_by_the_sweep(
    queue_without_worker, worker, customer, customer_record, operator, monkeypatch
):
    def queue_down(notification_id):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notification_services, "enqueue_notification", queue_down)
    household = household_with_history(customer_record, timezone.localdate())
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token(), language="cs"
    )
    approve_request(reading, operator)  # the decision stands although its task was lost
    notification = Notification.objects.get(template="request_approved")
    assert queue_without_worker.pending_count() == 0
    monkeypatch.undo()

    worker.start()
    send_due_notifications_task()  # what the consumer's scheduler enqueues every minute

    assert wait_until_sent(notification, worker).status == Notification.Status.SENT
    assert len(mail.outbox) >= 1 and mail.outbox[-1].to == [customer.email]
