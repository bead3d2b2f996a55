"""A delta batch upserts what changed, keeps what is newer, and applies deletions."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AdvanceSchedule, Customer, Meter, Payment, Reading, SupplyPoint
from tests.factories.zis import append_record, dumps, refresh_manifest
from zis.importer import import_batch
from zis.models import SyncRun


def test_delta_updates_creates_and_deletes(imported, delta_batch: Path):
    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.kind == "delta"
    assert run.counts["customers"] == {"created": 1, "updated": 1, "deleted": 1, "unchanged": 1}
    assert run.counts["readings"] == {"created": 1, "updated": 0, "deleted": 2, "unchanged": 0}
    assert run.counts["meters"]["deleted"] == 1
    assert run.counts["supply_points"]["deleted"] == 1
    assert run.counts["payments"]["deleted"] == 1
    assert Customer.objects.get(zis_id="C-1001").name == "Jana Dvořáková"
    assert Customer.objects.get(zis_id="C-1004").mailing_municipality == "Kolín"
    assert not Customer.objects.filter(zis_id="C-1003").exists()
    assert not SupplyPoint.objects.filter(zis_id="SP-3").exists()
    assert not Meter.objects.filter(zis_id="M-4").exists()
    assert not Payment.objects.filter(zis_id="P-3").exists()
    assert Reading.objects.get(zis_id="R-9").meter.zis_id == "M-2"


def test_older_record_does_not_overwrite_newer(imported, delta_batch: Path):
    import_batch(delta_batch)
    # C-1002 in the delta is older than what the full batch stored.
    assert Customer.objects.get(zis_id="C-1002").name == "Pekárna U Mlýna s.r.o."


def test_delta_twice_changes_nothing(imported, delta_batch: Path, tmp_path: Path, take_snapshot):
    import_batch(delta_batch, move=False)
    before = take_snapshot()
    again = import_batch(delta_batch)
    assert again.status == SyncRun.Status.SUCCEEDED
    assert not again.changed
    assert take_snapshot() == before


def test_delta_may_refer_to_rows_already_stored(imported, delta_batch: Path):
    # R-9 refers to meter M-2, which only the database knows.
    assert not (delta_batch / "meters.jsonl").exists()
    assert import_batch(delta_batch).status == SyncRun.Status.SUCCEEDED


def test_delta_updates_a_schedule_and_its_advances(imported, delta_batch: Path):
    record = {
        "id": "AS-1",
        "updated_at": "2025-02-01T08:00:00+01:00",
        "customer": "C-1001",
        "supply_point": "SP-1",
        "valid_from": "2025-01-01",
        "frequency": "quarterly",
        "amount": "2400.00",
        "variable_symbol": "1000010001",
        "advances": [
            {"id": "A-1-01", "due_on": "2025-01-15", "amount": "2400.00", "vat_rate": "12"},
            {"id": "A-1-Q2", "due_on": "2025-06-30", "amount": "2400.00", "vat_rate": "12"},
        ],
    }
    (delta_batch / "advance_schedules.jsonl").touch()
    append_record(delta_batch, "advance_schedules.jsonl", record)

    with CaptureQueriesContext(connection) as queries:
        run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["advance_schedules"]["updated"] == 1
    # The importer's lookups of advances sort nothing: the model's ordering (schedule, then its
    # supply point's number) would join and sort two more large tables for each chunk.
    advance_lookups = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "portal_advance"' in q["sql"]
    ]
    assert advance_lookups
    assert not [sql for sql in advance_lookups if "ORDER BY" in sql or "portal_supplypoint" in sql]
    updated = AdvanceSchedule.objects.get(zis_id="AS-1")
    assert updated.frequency == "quarterly"
    assert list(updated.advances.values_list("zis_id", flat=True)) == ["A-1-01", "A-1-Q2"]
    # The payment matched to A-1-01 is still matched.
    assert Payment.objects.get(zis_id="P-1").advance.zis_id == "A-1-01"


def test_deletion_not_newer_than_the_row_is_ignored(imported, delta_batch: Path):
    stale = {"id": "P-3", "updated_at": "2024-01-01T00:00:00Z", "entity": "payments"}
    (delta_batch / "deletions.jsonl").write_text(dumps(stale) + "\n", encoding="utf-8")
    refresh_manifest(delta_batch)
    run = import_batch(delta_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.filter(zis_id="P-3").exists()
    assert run.counts["payments"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 1}


def new_customer(number: str) -> dict:
    return {
        "id": "C-1099",
        "updated_at": "2025-02-01T08:00:00+01:00",
        "number": number,
        "kind": "household",
        "name": "Nový odběratel",
        "language": "cs",
        "mailing_address": {
            "street": "Polní",
            "house_number": "12",
            "municipality": "Kolín",
            "postcode": "28002",
        },
    }


def test_delta_refuses_a_number_another_stored_customer_holds(
    imported, delta_batch: Path, take_snapshot
):
    # Only the new customer changes; C-1001 keeps 100001 in the portal.
    (delta_batch / "customers.jsonl").write_text(dumps(new_customer("100001")) + "\n")
    refresh_manifest(delta_batch)
    before = take_snapshot()

    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.REJECTED
    assert "customers.jsonl:1: number: number '100001' already belongs to customers 'C-1001'" in (
        run.report
    )
    assert take_snapshot() == before


def test_delta_may_reuse_the_number_of_a_customer_it_deletes(imported, delta_batch: Path):
    # C-1003 (100003) is deleted by the same batch, so its number is free.
    append_record(delta_batch, "customers.jsonl", new_customer("100003"))

    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Customer.objects.get(number="100003").zis_id == "C-1099"
