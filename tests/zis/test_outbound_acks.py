"""ZIS acknowledges an outbound batch: its requests become confirmed, once (EXCHANGE.md § 2.4).

Through the acks folder (and `manage.py zis_ack`): a good acknowledgement is applied and moved to
processed/, the same one again changes nothing, and a wrong one goes to rejected/ with a report
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from portal.models import Notification, RequestStatus, SelfReadingRequest
from tests.factories.requests import (
    APPROVED_DECIDED,
    approved_address_change,
    approved_self_reading,
)
from tests.factories.zis import ack_document, drop_ack
from zis.models import OutboundBatch
from zis.outbound import export as export_module
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def acks(settings: Any, outbox: Path) -> Path:
    return Path(settings.ZIS_ACKS)


@pytest.fixture
def sent(outbox: Path, meter: Any, operator: Any) -> dict[str, Any]:
    """A written batch with a self-reading and an address change."""
    reading = approved_self_reading(meter, operator)
    change = approved_address_change(meter.supply_point.customer, operator)
    [batch] = export_approved()
    return {"batch": batch, "reading": reading, "change": change}


def statuses(*requests: Any) -> list[str]:
    for request in requests:
        request.refresh_from_db()
    return [request.status for request in requests]


def test_a_folder_ack_confirms_the_requests(acks, outbox, sent):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    drop_ack(acks, ack_document(batch.batch_id, [f"sr-{reading.pk}", f"ac-{change.pk}"]))

    [result] = pickup_acks()

    assert result.error == "" and result.outcome.changed
    assert result.path == acks / "processed" / f"{batch.batch_id}.ack.json"
    assert statuses(reading, change) == [RequestStatus.CONFIRMED, RequestStatus.CONFIRMED]
    assert reading.confirmed_at is not None
    assert [event.kind for event in reading.timeline()][-1] == "confirmed"
    batch.refresh_from_db()
    assert batch.status == OutboundBatch.Status.ACKNOWLEDGED
    assert (batch.accepted, batch.rejected, batch.ack_source) == (2, 0, "folder")
    archived = outbox / "acknowledged" / batch.batch_id
    assert batch.path == str(archived) and not (outbox / batch.batch_id).exists()
    assert json.loads((archived / "ack.json").read_bytes())["accepted"] == [
        f"sr-{reading.pk}",
        f"ac-{change.pk}",
    ]
    mails = Notification.objects.filter(template="request_confirmed").order_by("pk")
    assert [(mail.recipient, mail.context["kind"]) for mail in mails] == [
        ("jana@example.cz", "self_reading"),
        ("jana@example.cz", "address_change"),
    ]
    assert mails[0].context["reading_value"] == "124.500"
    assert mails[1].context["effective_date"] == "2025-04-01"


def test_the_same_ack_twice_changes_nothing(acks, sent):
    batch, reading = sent["batch"], sent["reading"]
    document = ack_document(batch.batch_id, [f"sr-{reading.pk}", f"ac-{sent['change'].pk}"])
    drop_ack(acks, document)
    pickup_acks()
    reading.refresh_from_db()
    confirmed_at = reading.confirmed_at

    drop_ack(acks, {**document, "received_at": "2025-03-01T10:00:00+01:00"})
    [again] = pickup_acks()

    assert again.error == "" and not again.outcome.changed
    assert "nothing changed" in again.outcome.summary()
    reading.refresh_from_db()
    assert reading.confirmed_at == confirmed_at
    assert Notification.objects.filter(template="request_confirmed").count() == 2
    assert sorted(path.name for path in (acks / "processed").iterdir()) == [
        f"{batch.batch_id}.ack.json",
        f"{batch.batch_id}.ack.json.2",
    ]


def test_requests_zis_rejects_end_rejected_with_its_reason(acks, sent):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    reason = "Vodoměr byl 27. 2. 2025 vyměněn."
    drop_ack(
        acks, ack_document(batch.batch_id, [f"ac-{change.pk}"], [(f"sr-{reading.pk}", reason)])
    )

    [result] = pickup_acks()

    assert (result.outcome.confirmed, result.outcome.rejected) == (1, 1)
    assert statuses(reading, change) == [RequestStatus.REJECTED, RequestStatus.CONFIRMED]
    assert reading.rejection_reason == reason and reading.confirmed_at is None
    rejected_mail = Notification.objects.get(template="request_rejected")
    assert rejected_mail.context["reason"] == reason
    batch.refresh_from_db()
    assert (batch.accepted, batch.rejected) == (1, 1)


def test_the_timeline_after_a_zis_rejection_keeps_the_operators_approval(acks, sent):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    reason = "Vodoměr byl 27. 2. 2025 vyměněn."
    drop_ack(
        acks, ack_document(batch.batch_id, [f"ac-{change.pk}"], [(f"sr-{reading.pk}", reason)])
    )
    pickup_acks()
    reading.refresh_from_db()
    batch.refresh_from_db()

    events = reading.timeline()
    assert [event.kind for event in events] == ["submitted", "approved", "sent", "zis_rejected"]
    approved, rejected = events[1], events[-1]
    assert (approved.at, approved.actor) == (APPROVED_DECIDED, "Olga Operátorová")
    assert (rejected.label, rejected.detail) == ("Zamítnuto fakturačním systémem", reason)
    assert rejected.at == reading.zis_rejected_at
    assert rejected.at >= batch.written_at > approved.at
    assert reading.decided_at == APPROVED_DECIDED  # the approval record is kept


def refusals(batch_id: str, reading: str, change: str) -> list[tuple[str, dict | str, str]]:
    """(file name, content, what the report says) of acknowledgements that must be refused."""
    good = ack_document(batch_id, [reading, change])
    return [
        (
            "out-20250101-999999.ack.json",
            ack_document("out-20250101-999999", [reading, change]),
            "No outbound batch 'out-20250101-999999' is known.",
        ),
        (None, ack_document(batch_id, [reading, change, "sr-999999"]), "request ids not in batch"),
        (None, ack_document(batch_id, [reading]), f"neither accepted nor rejected: {change}"),
        (
            None,
            ack_document(batch_id, [reading, change], [(reading, "x")]),
            f"listed more than once: {reading}",
        ),
        (None, '{"format": "pramen-zis-ack", "version": 1,', "Invalid JSON"),
        (None, {**good, "format": "pramen-zis"}, "format: Input should be 'pramen-zis-ack'"),
        (None, {**good, "version": 2}, "version 2 is not supported"),
        (None, {**good, "accepted": [reading, 17]}, "accepted.1"),
        (None, {**good, "comment": "hi"}, "comment: Extra inputs are not permitted"),
        ("other-name.ack.json", good, f"acknowledges batch {batch_id}"),
    ]


def test_wrong_acks_are_refused_with_a_report_and_change_nothing(acks, sent):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    cases = refusals(batch.batch_id, f"sr-{reading.pk}", f"ac-{change.pk}")
    for name, content, expected in cases:
        path = acks / (name or f"{batch.batch_id}.ack.json")
        acks.mkdir(exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")

        [result] = pickup_acks()

        assert result.outcome is None and expected in result.error, (expected, result.error)
        assert result.path.parent == acks / "rejected"
        report = result.path.with_name(result.path.name + ".report.txt").read_text("utf-8")
        assert expected in report and "Nothing was changed." in report
    assert statuses(reading, change) == [RequestStatus.SENT, RequestStatus.SENT]
    batch.refresh_from_db()
    assert batch.status == OutboundBatch.Status.WRITTEN
    assert not Notification.objects.exists()
    assert not (acks / "processed").exists()


def test_a_different_answer_for_an_acknowledged_batch_is_refused(acks, sent):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    drop_ack(acks, ack_document(batch.batch_id, [f"sr-{reading.pk}", f"ac-{change.pk}"]))
    pickup_acks()
    drop_ack(acks, ack_document(batch.batch_id, [f"ac-{change.pk}"], [(f"sr-{reading.pk}", "no")]))

    [result] = pickup_acks()

    assert "acknowledged already, with a different answer" in result.error
    assert statuses(reading, change) == [RequestStatus.CONFIRMED, RequestStatus.CONFIRMED]


def test_files_still_being_written_are_left_alone(acks, sent):
    acks.mkdir(exist_ok=True)
    (acks / f".{sent['batch'].batch_id}.ack.json").write_text("{", "utf-8")
    (acks / "notes.txt").write_text("hello", "utf-8")
    assert pickup_acks() == []
    assert sorted(path.name for path in acks.iterdir()) == [
        f".{sent['batch'].batch_id}.ack.json",
        "notes.txt",
    ]


def test_an_ack_for_a_batch_written_but_not_recorded_records_it(
    acks, outbox, meter, operator, monkeypatch
):
    """The exporter died after the rename; ZIS read the folder and answered before the rerun."""
    reading = approved_self_reading(meter, operator)
    with monkeypatch.context() as patch:
        patch.setattr(export_module, "record_written", lambda batch, folder: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            export_approved()
    batch = OutboundBatch.objects.get()
    drop_ack(acks, ack_document(batch.batch_id, [f"sr-{reading.pk}"]))

    [result] = pickup_acks()

    assert result.error == ""
    assert statuses(reading) == [RequestStatus.CONFIRMED]
    assert reading.sent_at is not None and reading.confirmed_at is not None
    assert export_approved() == []
    assert OutboundBatch.objects.get().status == OutboundBatch.Status.ACKNOWLEDGED


def test_an_ack_for_a_batch_not_written_yet_is_refused(acks, outbox, meter, operator, monkeypatch):
    reading = approved_self_reading(meter, operator)
    with monkeypatch.context() as patch:
        patch.setattr(export_module, "place_folder", lambda target, files: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            export_approved()
    batch = OutboundBatch.objects.get()
    drop_ack(acks, ack_document(batch.batch_id, [f"sr-{reading.pk}"]))
    [result] = pickup_acks()
    assert "has not been written yet" in result.error
    assert statuses(reading) == [RequestStatus.APPROVED]


def test_the_ack_command_applies_a_file_and_reports_refusals(tmp_path, sent, capsys):
    batch, reading, change = sent["batch"], sent["reading"], sent["change"]
    path = tmp_path / "ack.json"
    path.write_text(json.dumps(ack_document(batch.batch_id, [f"sr-{reading.pk}"])), "utf-8")
    with pytest.raises(CommandError, match="1 acknowledgement"):
        call_command("zis_ack", str(path))
    assert f"neither accepted nor rejected: ac-{change.pk}" in capsys.readouterr().err
    assert path.exists() and statuses(reading) == [RequestStatus.SENT]

    document = ack_document(batch.batch_id, [f"sr-{reading.pk}", f"ac-{change.pk}"])
    path.write_text(json.dumps(document), "utf-8")
    call_command("zis_ack", str(path))
    assert f"Batch {batch.batch_id} acknowledged: 2 confirmed, 0 rejected by ZIS." in (
        capsys.readouterr().out
    )
    assert statuses(reading, change) == [RequestStatus.CONFIRMED, RequestStatus.CONFIRMED]


def test_the_ack_command_and_task_pick_up_the_acks_folder(acks, sent, capsys):
    from zis.tasks import pickup_acks_task

    batch = sent["batch"]
    call_command("zis_ack")
    assert "No acknowledgement waits." in capsys.readouterr().out
    ids = [f"sr-{sent['reading'].pk}", f"ac-{sent['change'].pk}"]
    drop_ack(acks, ack_document(batch.batch_id, ids))
    assert pickup_acks_task.call_local() == 1
    assert SelfReadingRequest.objects.get().status == RequestStatus.CONFIRMED


def test_confirmed_timestamps_are_recorded(acks, sent):
    before = dt.datetime.now(dt.UTC)
    ids = [f"sr-{sent['reading'].pk}", f"ac-{sent['change'].pk}"]
    drop_ack(acks, ack_document(sent["batch"].batch_id, ids))
    pickup_acks()
    batch = OutboundBatch.objects.get()
    assert batch.acknowledged_at >= before
    assert SelfReadingRequest.objects.get().confirmed_at >= before


def test_the_ack_command_can_play_zis_and_accept_a_whole_batch(sent, capsys):
    batch = sent["batch"]
    call_command("zis_ack", "--accept-all", batch.batch_id)
    assert f"Batch {batch.batch_id} acknowledged: 2 confirmed, 0 rejected by ZIS." in (
        capsys.readouterr().out
    )
    assert statuses(sent["reading"], sent["change"]) == [RequestStatus.CONFIRMED] * 2
    with pytest.raises(CommandError, match="No outbound batch 'out-20990101-000001' is known"):
        call_command("zis_ack", "--accept-all", "out-20990101-000001")
