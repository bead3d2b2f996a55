"""References exactly as EXCHANGE.md § 1.3 says: removing a row another row still refers to is an
error naming both, unless the same batch changes the referring row; a full batch leaves the
portal holding what it lists, payment matches included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portal.models import Advance, Payment
from tests.factories.zis import copy_batch, dumps, lines, refresh_manifest
from zis.importer import import_batch
from zis.models import SyncRun

LATER = "2025-02-01T08:00:00+01:00"


def delta(tmp_path: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    """A delta batch with the given records."""
    folder = tmp_path / "delta"
    folder.mkdir()
    for name, records in files.items():
        (folder / f"{name}.jsonl").write_text("".join(dumps(record) + "\n" for record in records))
    manifest = {"format": "pramen-zis", "version": 1, "batch_id": "delta-refs", "kind": "delta"}
    (folder / "manifest.json").write_text(json.dumps({**manifest, "created": LATER, "files": {}}))
    refresh_manifest(folder)
    return folder


def record(file: str, zis_id: str, **changes: Any) -> dict[str, Any]:
    """A record of the recorded full batch, changed."""
    batch = Path(__file__).resolve().parents[1] / "fixtures" / "zis" / "batch_full_v1"
    for line in lines(batch, file):
        found = json.loads(line)
        if found["id"] == zis_id:
            return {**found, "updated_at": LATER, **changes}
    raise KeyError(zis_id)


def deletion(entity: str, zis_id: str) -> dict[str, Any]:
    return {"id": zis_id, "updated_at": LATER, "entity": entity}


def errors(run: SyncRun) -> list[str]:
    return [f"{e['file']}:{e['line']}: {e['field']}: {e['message']}" for e in run.errors]


def test_deleting_an_invoice_a_payment_is_matched_to_is_an_error(imported, tmp_path):
    run = import_batch(delta(tmp_path, {"deletions": [deletion("invoices", "F-2024-0002")]}))

    assert run.status == SyncRun.Status.REJECTED
    assert errors(run) == [
        "deletions.jsonl:1: id: invoices 'F-2024-0002' is still referred to by payments 'P-2': "
        "delete or change that in the same batch"
    ]
    assert Payment.objects.get(zis_id="P-2").invoice.zis_id == "F-2024-0002"


def test_deleting_the_invoice_with_its_payment_unmatched_in_the_same_batch_is_fine(
    imported, tmp_path
):
    unmatched = record("payments.jsonl", "P-2")
    del unmatched["invoice"]
    folder = delta(
        tmp_path,
        {"payments": [unmatched], "deletions": [deletion("invoices", "F-2024-0002")]},
    )

    run = import_batch(folder)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.get(zis_id="P-2").invoice is None


def test_a_payment_still_matched_to_the_deleted_invoice_is_an_error(imported, tmp_path):
    folder = delta(
        tmp_path,
        {
            "payments": [record("payments.jsonl", "P-2")],
            "deletions": [deletion("invoices", "F-2024-0002")],
        },
    )
    run = import_batch(folder)
    assert errors(run) == [
        "payments.jsonl:1: invoice: refers to invoices 'F-2024-0002', which this batch deletes"
    ]


def test_a_schedule_that_drops_a_matched_advance_is_an_error(imported, tmp_path):
    schedule = record("advance_schedules.jsonl", "AS-1")
    schedule["advances"] = [a for a in schedule["advances"] if a["id"] != "A-1-01"]

    run = import_batch(delta(tmp_path, {"advance_schedules": [schedule]}))

    assert run.status == SyncRun.Status.REJECTED
    assert errors(run) == [
        "advance_schedules.jsonl:1: advances: drops advance 'A-1-01', to which payments 'P-1' "
        "is still matched: change or delete that payment in the same batch"
    ]
    assert Payment.objects.get(zis_id="P-1").advance.zis_id == "A-1-01"


def test_a_payment_of_the_batch_matched_to_the_dropped_advance_is_an_error(imported, tmp_path):
    schedule = record("advance_schedules.jsonl", "AS-1")
    schedule["advances"] = [a for a in schedule["advances"] if a["id"] != "A-1-01"]
    folder = delta(
        tmp_path,
        {"advance_schedules": [schedule], "payments": [record("payments.jsonl", "P-1")]},
    )
    run = import_batch(folder)
    assert errors(run) == [
        "payments.jsonl:1: advance: refers to advances 'A-1-01', which advance_schedules "
        "'AS-1' of this batch no longer lists"
    ]


def test_dropping_the_advance_and_rematching_its_payment_is_fine(imported, tmp_path):
    schedule = record("advance_schedules.jsonl", "AS-1")
    schedule["advances"] = [a for a in schedule["advances"] if a["id"] != "A-1-01"]
    payment = record("payments.jsonl", "P-1", advance="A-1-02")
    folder = delta(tmp_path, {"advance_schedules": [schedule], "payments": [payment]})

    run = import_batch(folder)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.get(zis_id="P-1").advance.zis_id == "A-1-02"
    assert not Advance.objects.filter(zis_id="A-1-01").exists()


def test_deleting_a_schedule_whose_advance_a_payment_is_matched_to_is_an_error(imported, tmp_path):
    run = import_batch(delta(tmp_path, {"deletions": [deletion("advance_schedules", "AS-1")]}))
    assert errors(run) == [
        "deletions.jsonl:1: id: advance_schedules 'AS-1' is still referred to by payments "
        "'P-1': delete or change that in the same batch"
    ]


def test_a_full_batch_omitting_a_matched_invoice_is_an_error(imported, tmp_path):
    (tmp_path / "again").mkdir()
    folder = copy_batch("batch_full_v1", tmp_path / "again")
    kept = [line for line in lines(folder, "invoices.jsonl") if "F-2024-0002" not in line]
    (folder / "invoices.jsonl").write_text("".join(line + "\n" for line in kept))
    refresh_manifest(folder, batch_id="full-again")

    run = import_batch(folder)

    assert run.status == SyncRun.Status.REJECTED
    assert (
        "payments.jsonl:2: invoice: unknown invoices id 'F-2024-0002': a full batch must contain it"
        in errors(run)
    )


def test_a_full_batch_restores_a_cleared_match(imported, tmp_path):
    Payment.objects.filter(zis_id__in=["P-1", "P-2"]).update(invoice=None, advance=None)
    (tmp_path / "again").mkdir()
    folder = copy_batch("batch_full_v1", tmp_path / "again")
    refresh_manifest(folder, batch_id="full-again")  # the same records, not newer

    run = import_batch(folder)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert Payment.objects.get(zis_id="P-2").invoice.zis_id == "F-2024-0002"
    assert Payment.objects.get(zis_id="P-1").advance.zis_id == "A-1-01"
    assert run.counts["payments"] == {"created": 0, "updated": 2, "deleted": 0, "unchanged": 2}
