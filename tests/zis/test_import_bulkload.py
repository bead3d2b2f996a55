"""Large files into empty tables load with foreign keys checked once at the end (PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from portal.models import Payment, Reading
from zis.importer import import_batch
from zis.models import SyncRun

TABLES = ("portal_payment", "portal_reading", "portal_advance", "portal_invoiceline")


def foreign_keys() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, count(*) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) GROUP BY 1",
            [list(TABLES)],
        )
        return dict(cursor.fetchall())


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zis.importer.apply.BULK_LOAD_THRESHOLD", 1)


def test_bulk_load_imports_the_same_rows_and_restores_foreign_keys(
    db, full_batch: Path, small_threshold
):
    before = foreign_keys()
    assert before or connection.vendor != "postgresql"
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.get(zis_id="P-2").invoice.number == "2025000002"
    assert Reading.objects.count() == 8
    assert foreign_keys() == before


def test_bulk_load_crash_rolls_back_data_and_constraints(
    db, full_batch: Path, small_threshold, crash_at_payments
):
    before = foreign_keys()
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.FAILED
    assert Reading.objects.count() == 0
    assert foreign_keys() == before
