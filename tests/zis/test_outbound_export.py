"""Approved requests go to ZIS as outbound batches (zis/EXCHANGE.md § 2): exactly once.

The exporter reserves, writes and records; these tests kill it between the steps and check that a
rerun finishes the same batch (same id, same content) and that no request is lost or sent twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from portal.models import AddressChangeRequest, RequestStatus, SelfReadingRequest
from tests.factories.requests import approved_address_change, approved_self_reading
from tests.factories.zis import folder_bytes
from zis.models import OutboundBatch
from zis.outbound import export as export_module
from zis.outbound import writer
from zis.outbound.export import export_approved
from zis.records import MANIFEST_FILE

pytestmark = pytest.mark.django_db


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def exported_ids(outbox: Path) -> list[str]:
    """Every request id in every batch folder of the outbox (acknowledged ones too)."""
    ids = []
    for manifest in sorted(outbox.glob("**/" + MANIFEST_FILE)):
        for name in ("self_readings.jsonl", "address_changes.jsonl"):
            ids += [record["request_id"] for record in read_jsonl(manifest.parent / name)]
    return ids


# --- what a batch holds ---------------------------------------------------------------------------


def test_export_writes_the_manifest_and_the_records_with_their_values(outbox, meter, operator):
    reading = approved_self_reading(meter, operator, flagged=True, flag_reason="Spotřeba 5× vyšší.")
    change = approved_address_change(meter.supply_point.customer, operator)

    [batch] = export_approved()

    folder = outbox / batch.batch_id
    assert batch.batch_id == f"out-{batch.created_at:%Y%m%d}-{batch.pk:06d}"
    assert batch.status == OutboundBatch.Status.WRITTEN and batch.path == str(folder)
    assert (batch.self_readings, batch.address_changes) == (1, 1)
    assert sorted(path.name for path in folder.iterdir()) == [
        "address_changes.jsonl",
        "manifest.json",
        "self_readings.jsonl",
    ]
    assert read_jsonl(folder / "self_readings.jsonl") == [
        {
            "request_id": f"sr-{reading.pk}",
            "customer": "C-1001",
            "customer_number": "100001",
            "submitted_at": "2025-02-28T09:15:42Z",
            "approved_at": "2025-03-01T07:30:05Z",
            "approved_by": "Olga Operátorová",
            "supply_point": "SP-2001",
            "supply_point_number": "OM-000201",
            "meter": "M-3001",
            "meter_serial": "SE-12345678",
            "date": "2025-02-28",
            "value": "124.500",
            "flagged": True,
            "flag_reason": "Spotřeba 5× vyšší.",
        }
    ]
    assert read_jsonl(folder / "address_changes.jsonl") == [
        {
            "request_id": f"ac-{change.pk}",
            "customer": "C-1001",
            "customer_number": "100001",
            "submitted_at": "2025-02-28T09:15:42Z",
            "approved_at": "2025-03-01T07:30:05Z",
            "approved_by": "Olga Operátorová",
            "mailing_address": {
                "street": "Zelinářská",
                "house_number": "515",
                "orientation_number": "2a",
                "part_of_municipality": "Dejvice",
                "municipality": "Praha",
                "postcode": "16000",
                "ruian_code": "21727861",
            },
            "effective_date": "2025-04-01",
            "note": "Stěhujeme se.",
        }
    ]
    manifest = json.loads((folder / MANIFEST_FILE).read_bytes())
    created = batch.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert manifest == {
        "format": "pramen-zis-outbound",
        "version": 1,
        "batch_id": batch.batch_id,
        "created": created,
        "files": {
            name: {
                "records": 1,
                "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            }
            for name in ("self_readings.jsonl", "address_changes.jsonl")
        },
    }
    for request in (reading, change):
        request.refresh_from_db()
        assert request.status == RequestStatus.SENT
        assert request.outbound_batch_id == batch.batch_id
        assert request.sent_at == batch.written_at
    assert [event.kind for event in reading.timeline()] == ["submitted", "approved", "sent"]


def test_only_approved_requests_go_out(outbox, meter, operator):
    customer = meter.supply_point.customer
    approved = approved_self_reading(meter, operator)
    approved_self_reading(meter, status=RequestStatus.PENDING, date=dt.date(2025, 2, 27))
    approved_self_reading(
        meter, operator, status=RequestStatus.REJECTED, rejection_reason="Nečitelné."
    )
    approved_address_change(customer, status=RequestStatus.PENDING, decided_at=None)
    approved_address_change(customer, operator, status=RequestStatus.REJECTED)

    [batch] = export_approved()

    assert (batch.self_readings, batch.address_changes) == (1, 0)
    assert exported_ids(outbox) == [f"sr-{approved.pk}"]
    assert (outbox / batch.batch_id / "address_changes.jsonl").read_bytes() == b""
    manifest = json.loads((outbox / batch.batch_id / MANIFEST_FILE).read_bytes())
    assert manifest["files"]["address_changes.jsonl"]["records"] == 0
    assert SelfReadingRequest.objects.filter(status=RequestStatus.PENDING).count() == 1
    assert SelfReadingRequest.objects.filter(status=RequestStatus.REJECTED).count() == 1
    assert not AddressChangeRequest.objects.exclude(outbound_batch_id="").exists()


def test_nothing_waiting_writes_no_batch(outbox, meter):
    approved_self_reading(meter, status=RequestStatus.PENDING)
    assert export_approved() == []
    assert not OutboundBatch.objects.exists()
    assert not outbox.exists() or list(outbox.iterdir()) == []


def test_nothing_is_exported_twice_across_runs(outbox, meter, operator):
    first = approved_self_reading(meter, operator)
    [batch_1] = export_approved()
    assert export_approved() == []

    second = approved_self_reading(meter, operator, date=dt.date(2025, 3, 31), value=Decimal("130"))
    [batch_2] = export_approved()

    assert batch_2.batch_id != batch_1.batch_id
    assert exported_ids(outbox) == [f"sr-{first.pk}", f"sr-{second.pk}"]
    assert OutboundBatch.objects.count() == 2
    assert export_approved() == []


def test_many_requests_are_split_into_batches(outbox, meter, operator, monkeypatch):
    monkeypatch.setattr(export_module, "MAX_REQUESTS_PER_KIND", 2)
    readings = [
        approved_self_reading(meter, operator, date=dt.date(2025, 1, day)) for day in range(1, 6)
    ]
    batches = export_approved()
    assert [batch.self_readings for batch in batches] == [2, 2, 1]
    assert exported_ids(outbox) == [f"sr-{reading.pk}" for reading in readings]


# --- a crash between the steps ----------------------------------------------------------------------


def test_a_crash_between_writing_and_recording_is_finished_by_the_next_run(
    outbox, meter, operator, monkeypatch
):
    reading = approved_self_reading(meter, operator)
    change = approved_address_change(meter.supply_point.customer, operator)

    def die(batch: OutboundBatch, folder: Path) -> None:
        raise SystemExit("killed after the rename")

    with monkeypatch.context() as patch:
        patch.setattr(export_module, "record_written", die)
        with pytest.raises(SystemExit):
            export_approved()

    batch = OutboundBatch.objects.get()
    assert batch.status == OutboundBatch.Status.RESERVED
    folder = outbox / batch.batch_id
    written = folder_bytes(folder)  # ZIS may have read this already
    reading.refresh_from_db()
    assert reading.status == RequestStatus.APPROVED
    assert reading.outbound_batch_id == batch.batch_id

    [rerun] = export_approved()

    assert rerun.batch_id == batch.batch_id
    assert OutboundBatch.objects.count() == 1
    assert folder_bytes(folder) == written
    assert sorted(path.name for path in outbox.iterdir()) == [batch.batch_id]
    assert sorted(exported_ids(outbox)) == sorted([f"sr-{reading.pk}", f"ac-{change.pk}"])
    for request in (reading, change):
        request.refresh_from_db()
        assert request.status == RequestStatus.SENT
        assert request.outbound_batch_id == batch.batch_id
    assert export_approved() == []


def test_a_crash_while_writing_is_written_again_with_the_same_id_and_content(
    outbox, meter, operator, monkeypatch
):
    reading = approved_self_reading(meter, operator)
    original = writer.place_folder

    def die_halfway(target: Path, files: dict[str, bytes]) -> None:
        staging = target.parent / f"{writer.STAGING_PREFIX}{target.name}"
        staging.mkdir(parents=True)
        (staging / "self_readings.jsonl").write_bytes(files["self_readings.jsonl"][:10])
        raise SystemExit("killed while writing")

    with monkeypatch.context() as patch:
        patch.setattr(export_module, "place_folder", die_halfway)
        with pytest.raises(SystemExit):
            export_approved()

    batch = OutboundBatch.objects.get()
    assert batch.status == OutboundBatch.Status.RESERVED
    assert not (outbox / batch.batch_id).exists()
    expected = writer.render_batch(batch)
    # Approved meanwhile: goes into a batch of its own, not into the one being finished.
    later = approved_self_reading(meter, operator, date=dt.date(2025, 3, 31))
    assert writer.place_folder is original

    first, second = export_approved()

    assert first.batch_id == batch.batch_id
    assert folder_bytes(outbox / batch.batch_id) == expected
    assert exported_ids(outbox) == [f"sr-{reading.pk}", f"sr-{later.pk}"]
    assert second.batch_id != batch.batch_id and second.self_readings == 1
    assert sorted(path.name for path in outbox.iterdir()) == [first.batch_id, second.batch_id]


def test_a_crash_while_reserving_changes_nothing(outbox, meter, operator, monkeypatch):
    reading = approved_self_reading(meter, operator)

    def die(*args: Any, **kwargs: Any) -> None:
        raise SystemExit("killed while reserving")

    with monkeypatch.context() as patch:
        patch.setattr(OutboundBatch, "save", die)
        with pytest.raises(SystemExit):
            export_approved()

    assert not OutboundBatch.objects.exists()
    reading.refresh_from_db()
    assert (reading.status, reading.outbound_batch_id) == (RequestStatus.APPROVED, "")
    [batch] = export_approved()
    assert exported_ids(outbox) == [f"sr-{reading.pk}"] and batch.self_readings == 1


def test_rendering_a_batch_again_gives_the_same_bytes(outbox, meter, operator):
    approved_self_reading(meter, operator)
    approved_address_change(meter.supply_point.customer, operator)
    [batch] = export_approved()
    assert writer.render_batch(batch) == folder_bytes(outbox / batch.batch_id)
    assert writer.zip_batch(batch) == writer.zip_batch(batch)


def test_something_else_in_the_way_of_a_batch_folder_stops_the_export(
    outbox, meter, operator, monkeypatch
):
    approved_self_reading(meter, operator)
    with monkeypatch.context() as patch:
        patch.setattr(export_module, "record_written", lambda batch, folder: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            export_approved()
    batch = OutboundBatch.objects.get()
    (outbox / batch.batch_id / MANIFEST_FILE).unlink()  # not a batch folder any more

    with pytest.raises(export_module.OutboundError, match="move it away"):
        export_approved()
    assert OutboundBatch.objects.get().status == OutboundBatch.Status.RESERVED


# --- for operators -----------------------------------------------------------------------------------


def test_the_export_command_reports_what_it_wrote(outbox, meter, operator, capsys):
    approved_self_reading(meter, operator)
    call_command("zis_export")
    batch = OutboundBatch.objects.get()
    out = capsys.readouterr().out
    assert f"Batch {batch.batch_id} written to {outbox / batch.batch_id}" in out
    assert "1 self-readings, 0 address changes" in out
    call_command("zis_export")
    assert "No approved request waits for export." in capsys.readouterr().out


def test_the_periodic_task_exports(outbox, meter, operator):
    from zis.tasks import export_outbound_task

    approved_self_reading(meter, operator)
    assert export_outbound_task.call_local() == 1
    assert OutboundBatch.objects.get().status == OutboundBatch.Status.WRITTEN


def test_a_request_the_format_cannot_carry_stops_the_export_with_its_id(outbox, meter, operator):
    change = approved_address_change(meter.supply_point.customer, operator, note="x" * 5001)
    with pytest.raises(export_module.OutboundError, match=f"Request ac-{change.pk} cannot be"):
        export_approved()
    change.refresh_from_db()
    assert change.status == RequestStatus.APPROVED
    assert not (outbox / change.outbound_batch_id).exists()
