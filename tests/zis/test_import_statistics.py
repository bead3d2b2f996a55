"""After a large import the planner's statistics are fresh (PostgreSQL): pages read by index."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.factories.billing import CustomerFactory
from zis.importer import import_batch
from zis.importer.run import refresh_statistics
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


def test_tables_an_import_changed_little_keep_their_statistics(db, full_batch: Path, monkeypatch):
    """A nightly delta changing a few rows of each large table ANALYZEs none of them."""
    monkeypatch.setattr("zis.importer.run.ANALYZE_AFTER_ROWS", 1)
    assert import_batch(full_batch).status == SyncRun.Status.SUCCEEDED
    assert estimated_rows("portal_customer") == 3
    CustomerFactory.create_batch(3)
    monkeypatch.setattr("zis.importer.run.ANALYZE_SHARE", 0.5)

    assert not refresh_statistics({"customers": {"updated": 1, "unchanged": 2}})
    assert estimated_rows("portal_customer") == 3  # 1 of 3 rows: under half

    assert refresh_statistics({"customers": {"updated": 2, "unchanged": 1}})
    assert estimated_rows("portal_customer") == 6
