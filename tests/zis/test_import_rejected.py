"""Every kind of bad batch is refused with a report naming file, line and field; nothing changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portal.models import Customer
from tests.factories.zis import (
    copy_batch,
    edit_record,
    read_manifest,
    refresh_manifest,
    set_line,
    write_json,
)
from zis.importer import import_batch
from zis.models import SyncRun

NEWER = "2025-03-01T08:00:00+01:00"


def broken_json(batch: Path) -> None:
    set_line(batch, "readings.jsonl", 3, '{"id":"R-3","updated_at":')


def wrong_boolean(batch: Path) -> None:
    edit_record(batch, "meters.jsonl", 2, remote_read="yes")


def decimal_as_number(batch: Path) -> None:
    edit_record(batch, "readings.jsonl", 4, value=45.125)


def unknown_reference(batch: Path) -> None:
    edit_record(batch, "readings.jsonl", 5, meter="M-404")


def duplicate_id(batch: Path) -> None:
    edit_record(batch, "payments.jsonl", 2, id="P-1")


def duplicate_natural_key(batch: Path) -> None:
    edit_record(batch, "readings.jsonl", 2, date="2023-12-31", kind="regular", replacement=None)


def missing_field(batch: Path) -> None:
    set_line(batch, "invoices.jsonl", 2, '{"id":"F-2024-0002","updated_at":"2025-01-10T08:00:00Z"}')


def checksum_mismatch(batch: Path) -> None:
    path = batch / "customers.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("Petr", "Pavel"), encoding="utf-8")


def count_mismatch(batch: Path) -> None:
    manifest = read_manifest(batch)
    manifest["files"]["readings.jsonl"]["records"] = 9
    write_json(batch / "manifest.json", manifest)


def unknown_version(batch: Path) -> None:
    refresh_manifest(batch, version=2)


def unknown_format(batch: Path) -> None:
    refresh_manifest(batch, format="someone-else")


def missing_file(batch: Path) -> None:
    (batch / "meters.jsonl").unlink()


def missing_manifest(batch: Path) -> None:
    (batch / "manifest.json").unlink()


def incomplete_full_batch(batch: Path) -> None:
    manifest = read_manifest(batch)
    del manifest["files"]["tariffs.jsonl"]
    write_json(batch / "manifest.json", manifest)


BAD_INPUTS: dict[str, tuple[Callable[[Path], None], str, int | None, str, str]] = {
    "broken JSON line": (broken_json, "readings.jsonl", 3, "", "not valid JSON"),
    "wrong type": (wrong_boolean, "meters.jsonl", 2, "remote_read", "valid boolean"),
    "decimal as a number": (decimal_as_number, "readings.jsonl", 4, "value", "string"),
    "unknown reference": (unknown_reference, "readings.jsonl", 5, "meter", "'M-404'"),
    "duplicate id": (duplicate_id, "payments.jsonl", 2, "id", "duplicate id 'P-1'"),
    "duplicate key": (duplicate_natural_key, "readings.jsonl", 2, "meter, date, kind", "dupl"),
    "missing field": (missing_field, "invoices.jsonl", 2, "number", "Field required"),
    "checksum mismatch": (checksum_mismatch, "customers.jsonl", None, "sha256", "checksum"),
    "count mismatch": (count_mismatch, "readings.jsonl", None, "records", "9 records"),
    "unknown version": (unknown_version, "manifest.json", None, "version", "version 2"),
    "unknown format": (unknown_format, "manifest.json", None, "format", "someone-else"),
    "missing file": (missing_file, "meters.jsonl", None, "", "missing from the batch folder"),
    "missing manifest": (missing_manifest, "manifest.json", None, "", "missing"),
    "incomplete full batch": (incomplete_full_batch, "tariffs.jsonl", None, "", "every entity"),
}


@pytest.fixture
def changed_batch(imported, inbox: Path) -> Path:
    """The full batch again, with one real change that a rejected import must not apply."""
    batch = copy_batch("batch_full_v1", inbox)
    edit_record(batch, "customers.jsonl", 1, name="Jana Změněná", updated_at=NEWER)
    refresh_manifest(batch, batch_id="2025-03-01-full-0002")
    return batch


@pytest.mark.parametrize("case", BAD_INPUTS.keys())
def test_bad_batch_is_rejected_and_changes_nothing(case: str, changed_batch: Path, take_snapshot):
    corrupt, file, line, field, fragment = BAD_INPUTS[case]
    corrupt(changed_batch)
    before = take_snapshot()

    run = import_batch(changed_batch)

    assert run.status == SyncRun.Status.REJECTED
    matching = [
        e
        for e in run.errors
        if (e["file"], e["line"], e["field"]) == (file, line, field) and fragment in e["message"]
    ]
    assert matching, run.report
    assert take_snapshot() == before
    assert Customer.objects.get(zis_id="C-1001").name == "Jana Nováková"
    rejected = changed_batch.parent / "rejected" / changed_batch.name
    assert not changed_batch.exists()
    where = file if line is None else f"{file}:{line}"
    assert where in (rejected / "report.txt").read_text(encoding="utf-8")
    report = json.loads((rejected / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "rejected"
    assert report["errors"]


def test_every_error_of_a_batch_is_reported(changed_batch: Path):
    unknown_reference(changed_batch)
    duplicate_id(changed_batch)
    wrong_boolean(changed_batch)
    run = import_batch(changed_batch)
    places = {(e["file"], e["line"], e["field"]) for e in run.errors}
    assert places == {
        ("readings.jsonl", 5, "meter"),
        ("payments.jsonl", 2, "id"),
        ("meters.jsonl", 2, "remote_read"),
    }


def test_nested_field_errors_name_the_path(changed_batch: Path):
    invoice = json.loads((changed_batch / "invoices.jsonl").read_text().splitlines()[0])
    invoice["lines"][1]["vat_rate"] = "20"
    edit_record(changed_batch, "invoices.jsonl", 1, lines=invoice["lines"])
    run = import_batch(changed_batch)
    assert [(e["line"], e["field"]) for e in run.errors] == [(1, "lines[1].vat_rate")]


def test_cross_field_rules_are_checked(changed_batch: Path):
    edit_record(changed_batch, "meters.jsonl", 1, removed_on="2017-01-01")
    edit_record(changed_batch, "supply_points.jsonl", 3, sipo_number=None)
    run = import_batch(changed_batch)
    assert {(e["file"], e["line"], e["field"]) for e in run.errors} == {
        ("meters.jsonl", 1, "removed_on"),
        ("supply_points.jsonl", 3, "sipo_number"),
    }


def test_delta_may_not_delete_a_row_still_referred_to(imported, delta_batch: Path, take_snapshot):
    lines = (delta_batch / "deletions.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if '"SP-3"' not in line and '"M-4"' not in line]
    (delta_batch / "deletions.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    refresh_manifest(delta_batch)
    before = take_snapshot()

    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.REJECTED
    customer_line = next(i for i, line in enumerate(kept, 1) if '"C-1003"' in line)
    errors = [(e["file"], e["line"], e["field"]) for e in run.errors]
    assert ("deletions.jsonl", customer_line, "id") in errors
    assert any("supply_points 'SP-3'" in e["message"] for e in run.errors)
    assert take_snapshot() == before


def test_delta_may_not_refer_to_a_row_it_deletes(imported, delta_batch: Path):
    edit_record(delta_batch, "readings.jsonl", 1, meter="M-4")
    run = import_batch(delta_batch)
    assert run.status == SyncRun.Status.REJECTED
    assert [(e["file"], e["line"], e["field"]) for e in run.errors] == [
        ("readings.jsonl", 1, "meter")
    ]


def test_delta_reference_unknown_to_batch_and_database(imported, delta_batch: Path):
    edit_record(delta_batch, "readings.jsonl", 1, meter="M-999")
    run = import_batch(delta_batch)
    assert run.status == SyncRun.Status.REJECTED
    (error,) = run.errors
    assert (error["file"], error["line"], error["field"]) == ("readings.jsonl", 1, "meter")
    assert "not in this batch nor in the portal" in error["message"]
