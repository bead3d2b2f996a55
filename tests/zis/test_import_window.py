"""A full batch finds the stored versions of its rows by reading the table ahead in key order
(zis/importer/window.py): whatever the order of the batch, it finds exactly what a lookup by ZIS
id finds, and an unchanged batch in another order still changes nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from portal.models import Reading
from tests.factories.zis import copy_batch, lines, refresh_manifest
from zis.importer import import_batch
from zis.importer.listed import last_pk
from zis.importer.window import StoredWindow
from zis.importer.writer import stored_versions
from zis.models import SyncRun


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


@pytest.mark.parametrize("order", ["stored", "reversed", "shuffled", "some missing, some new"])
@pytest.mark.parametrize("size", [1, 3, 100])
def test_the_window_finds_what_a_lookup_by_id_finds(imported, order, size):
    stored = list(Reading.objects.order_by("pk").values_list("zis_id", flat=True))
    listed = list(stored)
    if order == "reversed":
        listed.reverse()
    elif order == "shuffled":
        random.Random(size).shuffle(listed)
    elif order == "some missing, some new":
        listed = [listed[0], "R-NEW-1", *listed[3:6], "R-NEW-2", listed[-1]]
    window = StoredWindow(Reading, last_pk(Reading))

    found = {}
    for chunk in chunks(listed, size):
        versions = window.versions(chunk)
        assert set(versions) <= set(chunk)
        found.update(versions)

    assert found == stored_versions(Reading, listed)
    assert len(window.held) <= max(4 * size, len(stored))


def test_the_window_stops_reading_when_the_batch_is_in_another_order(imported):
    stored = list(Reading.objects.order_by("pk").values_list("zis_id", flat=True))
    window = StoredWindow(Reading, last_pk(Reading))
    assert set(window.versions(stored[:2])) == set(stored[:2])  # in order: found in the window
    assert not window.done

    assert set(window.versions(stored[-2:])) == set(stored[-2:])  # beyond the window: looked up
    assert window.done
    assert window.held == {}


def test_the_window_reads_no_row_above_its_last_key(imported):
    """Rows above the table's largest key before the batch are the batch's own."""
    last = last_pk(Reading) - 2
    window = StoredWindow(Reading, last)
    window.versions(["R-1", "R-2", "R-3"])
    window.versions(list(Reading.objects.values_list("zis_id", flat=True)))
    assert window.done
    assert window.after <= last
    assert all(pk <= last for pk, _at in window.held.values())


def test_an_unchanged_full_batch_in_another_order_changes_nothing(imported, tmp_path: Path):
    (tmp_path / "again").mkdir()
    batch = copy_batch("batch_full_v1", tmp_path / "again")
    for name in ("readings.jsonl", "payments.jsonl", "customers.jsonl"):
        rows = lines(batch, name)
        random.Random(name).shuffle(rows)
        (batch / name).write_text("".join(f"{line}\n" for line in rows), encoding="utf-8")
    refresh_manifest(batch, batch_id="2025-01-11-full-0002")

    run = import_batch(batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.total("created") == run.total("updated") == run.total("deleted") == 0
    assert not run.changed
