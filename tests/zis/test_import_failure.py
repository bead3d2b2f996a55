"""A crash half-way through applying a batch rolls everything back and records a failed run (or a
rejected one when the database refused a value of the batch)."""

from __future__ import annotations

from pathlib import Path

from portal.models import Customer, Invoice
from tests.factories.zis import copy_batch, edit_record, refresh_manifest
from zis.importer import import_batch
from zis.models import SyncRun


def test_crash_in_first_import_leaves_database_empty(db, full_batch: Path, crash_at_payments):
    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.FAILED
    assert "RuntimeError: disk on fire" in run.errors[0]["message"]
    assert Customer.objects.count() == 0
    assert Invoice.objects.count() == 0
    assert (full_batch.parent / "rejected" / full_batch.name / "report.txt").is_file()
    assert "Retrying may help" in run.report


def test_crash_leaves_earlier_data_untouched(
    imported, inbox: Path, take_snapshot, crash_at_payments
):
    batch = copy_batch("batch_full_v1", inbox)
    edit_record(batch, "customers.jsonl", 1, name="Jana Změněná", updated_at="2025-03-01T08:00:00Z")
    refresh_manifest(batch)
    before = take_snapshot()

    run = import_batch(batch)

    assert run.status == SyncRun.Status.FAILED
    assert take_snapshot() == before
    assert SyncRun.objects.filter(status=SyncRun.Status.FAILED).count() == 1


def test_database_constraint_half_way_is_a_rejected_run(imported, delta_batch: Path, take_snapshot):
    """A new customer takes a number the portal already holds for another: the database refuses.
    Sending the batch again would not help, so the batch is rejected, not failed."""
    edit_record(delta_batch, "customers.jsonl", 2, number="100099")  # older: not applied
    edit_record(delta_batch, "customers.jsonl", 3, number="100002")
    before = take_snapshot()

    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.REJECTED
    assert "the database refused a value of this batch" in run.errors[0]["message"]
    assert "IntegrityError" in run.errors[0]["message"]
    assert "The batch is wrong: correct it and send it again." in run.report
    assert take_snapshot() == before
    assert Customer.objects.get(zis_id="C-1001").name == "Jana Nováková"
