"""The importer's own paths: rows built once, COPY text, updates, indexes rebuilt after bulk loads."""

from __future__ import annotations

import dataclasses
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from portal.models import Customer, Invoice, Payment
from tests.factories.zis import copy_batch, edit_record, lines, refresh_manifest, set_line
from zis.importer import import_batch, parallel
from zis.importer.checker import RecordChecker
from zis.importer.entities import SPECS
from zis.importer.rows import NULL, decode, esc, unescape
from zis.importer.validate import validate_batch
from zis.models import SyncRun

NEWER = "2025-03-01T08:00:00+01:00"
AWKWARD = "Tab\there, back\\slash, \\N, line\nbreak and\rreturn"


@pytest.mark.parametrize("text", ["plain", "", AWKWARD, "\\", "\\\\t", "Nováková"])
def test_copy_text_escaping_round_trips(text: str):
    escaped = esc(text)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert escaped != NULL
    assert unescape(escaped) == text


def test_decode_turns_a_tail_back_into_values():
    tail = "\t".join([esc(AWKWARD), NULL, "t", "f", "42", "12.50"])
    assert decode(tail, ["t", "", "b", "b", "i", ""]) == [AWKWARD, None, True, False, 42, "12.50"]


def test_awkward_text_is_stored_exactly(db, full_batch: Path):
    address = json.loads(lines(full_batch, "customers.jsonl")[0])["mailing_address"]
    edit_record(
        full_batch, "customers.jsonl", 1, name=AWKWARD, mailing_address=address | {"street": "\\N"}
    )
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    jana = Customer.objects.get(zis_id="C-1001")
    assert (jana.name, jana.mailing_street) == (AWKWARD, "\\N")


def test_full_batch_updates_changed_rows_and_replaces_their_parts(imported, tmp_path: Path):
    (tmp_path / "next").mkdir()
    batch = copy_batch("batch_full_v1", tmp_path / "next")
    invoice = json.loads(lines(batch, "invoices.jsonl")[0])
    (first, _second) = invoice["lines"]
    summary = {"vat_rate": "12", "base": "3900.99", "vat": "468.12", "total": "4369.11"}
    assert (first["base"], first["vat"], first["total"]) == ("3900.99", "468.12", "4369.11")
    edit_record(
        batch,
        "invoices.jsonl",
        1,
        updated_at=NEWER,
        lines=[first],
        vat_summary=[summary],
        total_base="3900.99",
        total_vat="468.12",
        total="4369.11",
        balance="-5230.89",  # advances paid 9600.00
    )
    edit_record(batch, "payments.jsonl", 1, updated_at=NEWER, amount="1.00")
    refresh_manifest(batch, batch_id="2025-03-01-full-0002")
    before = Invoice.objects.get(zis_id="F-2024-0001").pk

    run = import_batch(batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["invoices"] == {"created": 0, "updated": 1, "deleted": 0, "unchanged": 1}
    updated = Invoice.objects.get(zis_id="F-2024-0001")
    assert (updated.pk, updated.total) == (before, Decimal("4369.11"))
    assert list(updated.lines.values_list("position", "kind")) == [(1, "water")]
    assert updated.vat_summary.count() == 1
    paid = Payment.objects.get(zis_id="P-1")
    assert (paid.amount, paid.advance.zis_id) == (Decimal("1.00"), "A-1-01")
    assert run.total("created") == run.total("deleted") == 0


def index_definitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'portal_%%' "
            "UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'portal_%%'"
        )
        return {definition for (definition,) in cursor.fetchall()}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_bulk_load_rebuilds_every_index_and_constraint(db, full_batch: Path, monkeypatch):
    monkeypatch.setattr("zis.importer.apply.BULK_LOAD_THRESHOLD", 1)
    before = index_definitions()
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert index_definitions() == before


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_bulk_load_duplicate_is_caught_by_the_rebuilt_unique_index(
    db, full_batch: Path, monkeypatch, take_snapshot
):
    """Validation catches duplicates; should one slip through, the database still refuses it."""
    monkeypatch.setattr("zis.importer.apply.BULK_LOAD_THRESHOLD", 1)
    unchecked = dataclasses.replace(SPECS["customers"], natural_key=None)
    monkeypatch.setitem(SPECS, "customers", unchecked)
    edit_record(full_batch, "customers.jsonl", 2, number="100001")
    before = take_snapshot()

    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.REJECTED  # the batch is wrong: sending it again won't do
    assert "IntegrityError" in run.errors[0]["message"]
    assert "number" in run.errors[0]["message"]
    assert take_snapshot() == before


@pytest.fixture
def in_two_processes(monkeypatch):
    """Check the files nothing refers to in a forked child, however small the batch."""
    monkeypatch.setattr("zis.importer.parallel.PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr("zis.importer.parallel.CHILD_SHARE", 1.0)  # every such file
    forks = []
    original = parallel.run_in_child

    def run_in_child(work):
        forks.append(work)
        return original(work)

    monkeypatch.setattr(parallel, "run_in_child", run_in_child)
    return forks


def comparable(rows: dict) -> dict[str, list]:
    """Rows (read back from their spools) without the activation codes' hashes, which are
    salted afresh each time."""
    return {
        entity: [row[:2] for row in found] if entity == "activation_codes" else list(found)
        for entity, found in rows.items()
    }


def test_two_processes_build_the_same_rows(db, full_batch: Path, in_two_processes, monkeypatch):
    batch, errors = validate_batch(full_batch)
    assert in_two_processes, "the child process was not used"
    monkeypatch.setattr("zis.importer.parallel.PARALLEL_THRESHOLD", 10**9)
    alone, alone_errors = validate_batch(full_batch)
    assert len(in_two_processes) == 1
    assert not errors and not alone_errors
    assert comparable(batch.rows) == comparable(alone.rows)
    assert set(next(iter(batch.rows["payments"]))[2:5]) >= {"C-1001", "A-1-01"}


def test_two_processes_import(db, full_batch: Path, in_two_processes):
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.get(zis_id="P-2").invoice.number == "2025000002"


def test_two_processes_report_errors_with_their_lines(imported, inbox: Path, in_two_processes):
    batch = copy_batch("batch_full_v1", inbox)
    set_line(batch, "readings.jsonl", 2, '{"id":"R-2","updated_at":')  # a line without a row
    edit_record(batch, "readings.jsonl", 5, meter="M-404")  # checked here, after the child
    edit_record(batch, "payments.jsonl", 2, id="P-1")  # found by the child
    edit_record(batch, "meters.jsonl", 2, remote_read="yes")  # found here
    before = Customer.objects.count()

    run = import_batch(batch)

    assert run.status == SyncRun.Status.REJECTED
    assert in_two_processes
    assert [(e["file"], e["line"], e["field"]) for e in run.errors] == [
        ("meters.jsonl", 2, "remote_read"),
        ("readings.jsonl", 2, ""),
        ("readings.jsonl", 5, "meter"),
        ("payments.jsonl", 2, "id"),
    ]
    assert Customer.objects.count() == before


def test_a_failed_child_leaves_the_work_to_this_process(db, full_batch: Path, monkeypatch):
    monkeypatch.setattr("zis.importer.parallel.PARALLEL_THRESHOLD", 0)

    class Failed(parallel.Child):
        def __init__(self, work):
            self.out = None

        def result(self):
            return None

    monkeypatch.setattr(parallel, "run_in_child", Failed)
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["payments"]["created"] == 4


def test_a_crash_here_ends_the_child(db, full_batch: Path, in_two_processes, monkeypatch):
    original = RecordChecker.check_file

    def check_file(self, entity, **kwargs):
        if entity == "invoices" and os.getpid() == parent:
            raise RuntimeError("disk on fire")
        original(self, entity, **kwargs)

    parent = os.getpid()
    monkeypatch.setattr(RecordChecker, "check_file", check_file)
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.FAILED
    assert in_two_processes
    with pytest.raises(ChildProcessError):  # the child was collected: none is left
        os.waitpid(-1, os.WNOHANG)
