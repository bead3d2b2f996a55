"""After a large import the planner's statistics are fresh (PostgreSQL): pages read by index."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from zis.importer import import_batch
from zis.models import SyncRun

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"
)


def estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


def test_a_large_import_refreshes_the_statistics(db, full_batch: Path, monkeypatch):
    monkeypatch.setattr("zis.importer.run.ANALYZE_AFTER_ROWS", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_customer")  # statistics of the empty table
    assert estimated_rows("portal_customer") == 0

    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert estimated_rows("portal_customer") == 3
    assert estimated_rows("portal_reading") > 0
