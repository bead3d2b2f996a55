"""A database connection killed in the middle of work leaves nothing half-done.

PostgreSQL's `pg_terminate_backend` ends the connection of an import (after customers, meters and
invoices are written, before the payments) and of an operator's decision (after the request's
status and the history entry are written, before the customer's e-mail is queued). Nothing of
either is left in the database, and running the job again finishes it.

PostgreSQL only: SQLite has no server connection to kill (its transactions are tested by the
crash tests of the importer, tests/zis/test_import_failure.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.models import (
    Customer,
    Invoice,
    Notification,
    Payment,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.services import decisions
from portal.requests.services.submission import submit_self_reading
from tests.factories.billing import household_with_history
from tests.factories.zis import copy_batch
from tests.requests.conftest import PLAUSIBLE, token
from zis.importer import apply as apply_module
from zis.importer import import_batch
from zis.models import SyncRun

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_terminate_backend needs PostgreSQL (CI runs this on its PostgreSQL pass)",
    ),
]


def kill_own_connection() -> None:
    """Terminate the default connection's server process from a second connection, and wait
    until it is gone; the default connection's next statement fails."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        killer.close()


@pytest.fixture
def kill_during(monkeypatch):
    """Kill the connection when `owner.name` is next called (once), then let it run."""

    def arm(owner, name: str, when=lambda *args, **kwargs: True) -> list[bool]:
        original = getattr(owner, name)
        killed: list[bool] = []

        def wrapper(*args, **kwargs):
            if not killed and when(*args, **kwargs):
                killed.append(True)
                kill_own_connection()
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)
        return killed

    return arm


def batch_rows(batch: Path, name: str) -> int:
    return sum(1 for line in (batch / name).read_text(encoding="utf-8").splitlines() if line)


def test_an_import_killed_half_way_leaves_nothing_and_the_next_run_completes_it(
    tmp_path, kill_during
):
    killed = kill_during(
        apply_module, "apply_entity", when=lambda spec, ctx: spec.name == "payments"
    )
    (tmp_path / "first").mkdir()
    run = import_batch(copy_batch("batch_full_v1", tmp_path / "first"))

    assert killed, "the import never reached the payments"
    assert run.status == SyncRun.Status.FAILED
    assert (
        "terminat" in run.errors[0]["message"].lower() or "connection" in run.errors[0]["message"]
    )
    assert Customer.objects.count() == 0  # written before the kill, rolled back with it
    assert Invoice.objects.count() == 0
    assert Payment.objects.count() == 0

    (tmp_path / "again").mkdir()
    batch = copy_batch("batch_full_v1", tmp_path / "again")
    rerun = import_batch(batch, move=False)
    assert rerun.status == SyncRun.Status.SUCCEEDED, rerun.report
    assert Customer.objects.count() == batch_rows(batch, "customers.jsonl")
    assert Invoice.objects.count() == batch_rows(batch, "invoices.jsonl")
    assert Payment.objects.count() == batch_rows(batch, "payments.jsonl")
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert rerun.batch_id == manifest["batch_id"]


def test_a_decision_killed_half_way_leaves_the_request_pending_and_can_be_made_again(
    customer, customer_record, operator, kill_during
):
    household = household_with_history(customer_record, timezone.localdate())
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token(), language="cs"
    )
    killed = kill_during(decisions, "queue_decision_email")

    with pytest.raises(DatabaseError):
        decisions.approve_request(reading, operator)

    assert killed
    reading = SelfReadingRequest.objects.get(pk=reading.pk)
    assert reading.status == RequestStatus.PENDING
    assert reading.decided_by is None and reading.decided_at is None
    assert not Notification.objects.filter(template="request_approved").exists()
    assert not ModelLogEntry.objects.for_instance(reading).filter(action__contains="approve")

    decisions.approve_request(reading, operator)  # the operator tries again: it goes through

    reading.refresh_from_db()
    assert reading.status == RequestStatus.APPROVED and reading.decided_by == operator
    assert Notification.objects.filter(template="request_approved").count() == 1
