"""Importing in bounded memory: validated rows wait on disk, a chunk at a time, and the import
stays all-or-nothing and idempotent whatever the chunk size."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.models import Customer, Invoice, Payment, Reading
from tests.factories.zis import refresh_manifest
from tests.zis.conftest import snapshot
from zis.demo import generate_batch
from zis.importer import apply as apply_module
from zis.importer import import_batch
from zis.importer import spool as spool_module
from zis.importer.spool import RowSpool
from zis.importer.validate import validate_batch
from zis.models import SyncRun

CHUNK = 7


def test_spool_holds_at_most_one_chunk_and_gives_the_rows_back_in_order():
    rows = [(f"R-{n}", "2026-01-01T00:00:00+00:00", f"tail {n}") for n in range(25)]
    with RowSpool(chunk=10) as spool:
        spool.extend(rows)
        assert len(spool.buffer) == 5  # the rest went to the temporary file
        assert [len(chunk) for chunk in spool.chunks()] == [10, 10, 5]
        assert list(spool) == rows
        assert len(spool) == 25
        assert spool.most_held == 10
    assert spool.file is None


def test_a_checked_files_rows_are_set_aside_on_disk_unless_few():
    rows = [(f"R-{n}", "2026-01-01T00:00:00+00:00", f"tail {n}") for n in range(1500)]
    with RowSpool(chunk=10_000) as spool:
        spool.extend(rows)
        spool.set_aside()
        assert spool.buffer == [] and spool.file is not None
        spool.extend(rows[:5])
        spool.set_aside()  # a few rows stay in memory
        assert len(spool.buffer) == 5
        assert list(spool) == rows + rows[:5]


def test_spool_chunk_size_comes_from_the_setting(settings):
    settings.ZIS_IMPORT_CHUNK_ROWS = 3
    assert RowSpool().chunk == 3


@pytest.fixture(scope="module")
def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 supply points over 2 years: hundreds of readings, dozens of invoices."""
    out = tmp_path_factory.mktemp("demo")
    return generate_batch(out, supply_points=12, years=2, seed=3, end_date=date(2026, 10, 31))


@pytest.fixture
def small_chunks(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[RowSpool]:
    """Chunks of CHUNK rows; returns every spool the import makes."""
    settings.ZIS_IMPORT_CHUNK_ROWS = CHUNK
    made: list[RowSpool] = []
    original = RowSpool.__init__

    def init(self: RowSpool, chunk: int | None = None) -> None:
        original(self, chunk)
        made.append(self)

    monkeypatch.setattr(spool_module.RowSpool, "__init__", init)
    return made


def test_validation_holds_no_more_than_a_chunk_of_each_file(db, demo_batch, small_chunks):
    batch, errors = validate_batch(demo_batch)
    assert not errors
    readings = batch.rows["readings"]
    assert len(readings) > 5 * CHUNK
    assert readings.chunks_written >= 5
    assert all(spool.most_held <= CHUNK and len(spool.buffer) < CHUNK for spool in small_chunks)
    batch.discard_rows()


def test_the_import_writes_a_chunk_at_a_time_and_gets_everything(
    db, demo_batch, small_chunks, monkeypatch, tmp_path
):
    written: list[int] = []
    original = apply_module.write_rows

    def write_rows(spec, new, changed, changed_pks, ctx):
        written.append(len(new) + len(changed))
        return original(spec, new, changed, changed_pks, ctx)

    monkeypatch.setattr(apply_module, "write_rows", write_rows)
    run = import_batch(demo_batch, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert max(written) <= CHUNK
    assert run.counts["readings"]["created"] == Reading.objects.count() > 5 * CHUNK
    assert all(spool.most_held <= CHUNK for spool in small_chunks)
    assert all(spool.file is None for spool in small_chunks)  # every temporary file is gone


def test_reimporting_the_same_batch_in_chunks_changes_nothing(db, demo_batch, small_chunks):
    first = import_batch(demo_batch, move=False)
    assert first.status == SyncRun.Status.SUCCEEDED, first.report
    before = snapshot()
    again = import_batch(demo_batch, move=False)
    assert again.status == SyncRun.Status.SUCCEEDED, again.report
    assert not again.changed
    assert again.total("unchanged") == first.total("created")
    assert snapshot() == before


def test_a_failure_in_the_last_chunk_changes_nothing(db, demo_batch, small_chunks, monkeypatch):
    """All-or-nothing: earlier chunks were written in the same transaction and roll back."""
    calls = {"payments": 0}
    original = apply_module.write_rows
    payments = (demo_batch / "payments.jsonl").read_bytes().count(b"\n")
    last_chunk = -(-payments // CHUNK)

    def write_rows(spec, new, changed, changed_pks, ctx):
        if spec.name == "payments":
            calls["payments"] += 1
            if calls["payments"] == last_chunk:
                raise OSError("disk full")
        return original(spec, new, changed, changed_pks, ctx)

    monkeypatch.setattr(apply_module, "write_rows", write_rows)
    run = import_batch(demo_batch, move=False)
    assert run.status == SyncRun.Status.FAILED
    assert calls["payments"] == last_chunk > 1
    assert not Customer.objects.exists()
    assert not Invoice.objects.exists()
    assert not Payment.objects.exists()
    assert not Reading.objects.exists()


def test_a_full_batch_in_chunks_deletes_only_what_it_no_longer_lists(
    db, demo_batch, small_chunks, tmp_path
):
    import_batch(demo_batch, move=False)
    copy = tmp_path / demo_batch.name
    shutil.copytree(demo_batch, copy)
    lines = (copy / "readings.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = lines[: len(lines) - 3]
    (copy / "readings.jsonl").write_text("".join(kept), encoding="utf-8")
    refresh_manifest(copy)
    run = import_batch(copy, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["readings"]["deleted"] == 3
    assert run.counts["readings"]["unchanged"] == len(kept)
    assert Reading.objects.count() == len(kept)


@pytest.mark.parametrize("read_ahead", [False, True], ids=["looked up", "read ahead"])
def test_with_few_keys_kept_references_are_looked_up_and_the_import_is_the_same(
    db, demo_batch, small_chunks, settings, monkeypatch, read_ahead
):
    """The keys of referenced rows are bounded (ZIS_IMPORT_KEYS_KEPT): beyond the bound the
    maps are emptied, and the chunks look up what they refer to in the database (and, after
    many, the keys of the rows that follow)."""
    read: list[int] = []
    if read_ahead:
        monkeypatch.setattr(apply_module, "READ_AHEAD_AFTER", 1)
        original_after = apply_module.keys_after

        def keys_after(model, pk, count):
            found = original_after(model, pk, count)
            read.append(len(found))
            return found

        monkeypatch.setattr(apply_module, "keys_after", keys_after)
    looked_up: list[int] = []
    original = apply_module.primary_keys

    def primary_keys(model, zis_ids):
        looked_up.append(len(zis_ids))
        return original(model, zis_ids)

    monkeypatch.setattr(apply_module, "primary_keys", primary_keys)
    settings.ZIS_IMPORT_KEYS_KEPT = 3
    run = import_batch(demo_batch, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert sum(looked_up) > 100  # references found in the database, not in the maps
    assert bool(sum(read)) == read_ahead
    bounded = snapshot()
    again = import_batch(demo_batch, move=False)  # stored rows found, keys bounded still
    assert again.status == SyncRun.Status.SUCCEEDED, again.report
    assert not again.changed
    assert snapshot() == bounded
    listed = [json.loads(line) for line in (demo_batch / "payments.jsonl").read_text().splitlines()]
    stored = {
        zis_id: (customer, invoice, advance)
        for zis_id, customer, invoice, advance in Payment.objects.values_list(
            "zis_id", "customer__zis_id", "invoice__zis_id", "advance__zis_id"
        )
    }
    assert stored == {
        record["id"]: (record["customer"], record.get("invoice"), record.get("advance"))
        for record in listed
    }
    readings = Reading.objects.values_list("zis_id", "meter__zis_id")
    assert dict(readings) == {
        record["id"]: record["meter"]
        for record in map(json.loads, (demo_batch / "readings.jsonl").read_text().splitlines())
    }


def test_the_keys_kept_stay_within_the_bound(db, demo_batch, small_chunks, settings, monkeypatch):
    settings.ZIS_IMPORT_KEYS_KEPT = 5
    largest: dict[str, int] = {}
    original = apply_module.ApplyContext.reference_maps

    def reference_maps(self, spec, groups):
        for target, known in self.pks.items():
            largest[target] = max(largest.get(target, 0), len(known))
        return original(self, spec, groups)

    monkeypatch.setattr(apply_module.ApplyContext, "reference_maps", reference_maps)
    run = import_batch(demo_batch, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert largest and max(largest.values()) <= 5 + 2 * CHUNK * 4  # bound + a chunk's advances
