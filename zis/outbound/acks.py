"""ZIS's acknowledgement of an outbound batch: checked, applied once, archived.

`acknowledge(ack, source)` marks the batch *acknowledged*, its accepted requests *confirmed* and its
rejected ones *rejected* (with ZIS's reason), and queues the customers' e-mails — all in one
transaction. The same acknowledgement again changes nothing; a different one for a batch already
acknowledged, one for a batch the portal does not know, and one whose request ids do not match the
batch exactly are refused with an `AckError` saying why. `pickup_acks()` applies the
``<batch_id>.ack.json`` files ZIS drops into ZIS_ACKS and moves each to ``processed/``, or to
``rejected/`` with a ``.report.txt`` beside it.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from portal.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.services.decisions import mark_confirmed, queue_decision_email
from zis.private import make_file_private, private_folder, write_private

from .export import record_written
from .models import OutboundBatch
from .records import (
    ACK_FORMAT,
    ADDRESS_CHANGES,
    ADVANCE_CHANGES,
    OUTBOUND_VERSION,
    SELF_READINGS,
    SUPPORTED_ACK_VERSIONS,
    Ack,
)
from .writer import ACKNOWLEDGED, outbox, read_folder, request_id

logger = logging.getLogger(__name__)

ACK_SUFFIX = ".ack.json"
ACK_FILE = "ack.json"
PROCESSED = "processed"
REJECTED = "rejected"
REPORT_SUFFIX = ".report.txt"
MAX_ACK_BYTES = 16 << 20
SHOWN_IDS = 20


class AckError(Exception):
    """The acknowledgement is refused; `status` is the HTTP answer, the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AckOutcome:
    batch: OutboundBatch
    confirmed: int
    rejected: int
    changed: bool  # False: this acknowledgement had been applied already

    def summary(self) -> str:
        if not self.changed:
            return f"Batch {self.batch.batch_id} was acknowledged already; nothing changed."
        return (
            f"Batch {self.batch.batch_id} acknowledged: {self.confirmed} confirmed, "
            f"{self.rejected} rejected by ZIS."
        )


# --- parsing ------------------------------------------------------------------------------------


def parse_ack(data: bytes) -> Ack:
    """Parse an ack.json document; raises AckError naming the fields that are wrong."""
    if len(data) > MAX_ACK_BYTES:
        raise AckError(f"The acknowledgement is larger than {MAX_ACK_BYTES} bytes.", 413)
    try:
        return Ack.model_validate_json(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or '(document)'}: {error['msg']}"
            for error in exc.errors()[:5]
        )
        raise AckError(f"{ACK_FILE} is not valid: {problems}") from exc


def answer_of(ack: Ack | dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """What an acknowledgement says, independent of order and of `received_at`."""
    if isinstance(ack, dict):
        ack = Ack.model_validate(ack, strict=False)
    return sorted(ack.accepted), {item.request_id: item.reason for item in ack.rejected}


# --- applying -----------------------------------------------------------------------------------


def batch_requests(batch_id: str) -> dict[str, CustomerRequest]:
    """The requests of a batch by their request id."""
    found: dict[str, CustomerRequest] = {}
    for kind, model in (
        (SELF_READINGS, SelfReadingRequest),
        (ADDRESS_CHANGES, AddressChangeRequest),
        (ADVANCE_CHANGES, AdvanceChangeRequest),
    ):
        rows = model.objects.filter(outbound_batch_id=batch_id).select_related(
            "customer", "submitted_by"
        )
        found.update({request_id(kind, row.pk): row for row in rows})
    return found


def listing(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" … ({len(ids)} in all)" if len(ids) > SHOWN_IDS else "")


def check_ids(ack: Ack, expected: set[str]) -> None:
    """Each request of the batch exactly once, accepted or rejected; nothing else."""
    listed = Counter([*ack.accepted, *(item.request_id for item in ack.rejected)])
    twice = sorted(key for key, count in listed.items() if count > 1)
    unknown = sorted(set(listed) - expected)
    missing = sorted(expected - set(listed))
    problems = []
    if unknown:
        problems.append(f"request ids not in batch {ack.batch_id}: {listing(unknown)}")
    if twice:
        problems.append(f"request ids listed more than once: {listing(twice)}")
    if missing:
        problems.append(
            f"requests of batch {ack.batch_id} neither accepted nor rejected: {listing(missing)}"
        )
    if problems:
        raise AckError("The acknowledgement does not match the batch: " + "; ".join(problems) + ".")


def locked_batch(ack: Ack) -> OutboundBatch:
    """The acknowledged batch, locked; a reserved one whose folder was written is recorded now."""
    batch = OutboundBatch.objects.select_for_update().filter(batch_id=ack.batch_id).first()
    if batch is None:
        raise AckError(f"No outbound batch {ack.batch_id!r} is known.", 404)
    if batch.status == OutboundBatch.Status.RESERVED:
        folder = outbox() / batch.batch_id
        if read_folder(folder) is None:
            raise AckError(f"Outbound batch {ack.batch_id} has not been written yet.", 409)
        record_written(batch, folder)  # the exporter died after writing it; ZIS read it
    return batch


def acknowledge(ack: Ack, source: str) -> AckOutcome:
    """Apply ZIS's acknowledgement of one batch (see the module); raises AckError."""
    if ack.version not in SUPPORTED_ACK_VERSIONS:
        supported = ", ".join(map(str, sorted(SUPPORTED_ACK_VERSIONS)))
        raise AckError(f"version {ack.version} is not supported (supported: {supported}).")
    with transaction.atomic():
        batch = locked_batch(ack)
        requests = batch_requests(batch.batch_id)
        check_ids(ack, set(requests))
        if batch.status == OutboundBatch.Status.ACKNOWLEDGED:
            if answer_of(batch.ack) != answer_of(ack):
                raise AckError(
                    f"Outbound batch {batch.batch_id} was acknowledged already, "
                    "with a different answer.",
                    409,
                )
            outcome = AckOutcome(batch, batch.accepted, batch.rejected, changed=False)
        else:
            outcome = apply_answer(batch, ack, requests, source)
    archive_batch_folder(outcome.batch)
    return outcome


def apply_answer(
    batch: OutboundBatch, ack: Ack, requests: dict[str, CustomerRequest], source: str
) -> AckOutcome:
    accepted = [requests[key] for key in ack.accepted]
    confirmed = mark_confirmed(accepted)
    for item in ack.rejected:
        reject_by_zis(requests[item.request_id], item.reason)
    for row in accepted:
        row.refresh_from_db(fields=["status", "confirmed_at"])
        if row.status == RequestStatus.CONFIRMED:
            queue_decision_email(row, "request_confirmed")
    batch.status = OutboundBatch.Status.ACKNOWLEDGED
    batch.acknowledged_at = timezone.now()
    batch.accepted = len(ack.accepted)
    batch.rejected = len(ack.rejected)
    batch.ack = ack.model_dump(mode="json")
    batch.ack_source = source
    batch.save(
        update_fields=["status", "acknowledged_at", "accepted", "rejected", "ack", "ack_source"]
    )
    logger.info("Outbound batch %s acknowledged (%s)", batch.batch_id, source)
    return AckOutcome(batch, confirmed, len(ack.rejected), changed=True)


def reject_by_zis(request: CustomerRequest, reason: str) -> None:
    """ZIS refused a sent request: it ends rejected, with ZIS's reason shown to the customer.

    The operator's approval (`decided_at`, `decided_by`) stays as it was; `zis_rejected_at`
    says when ZIS answered, so the timeline shows approved → sent → rejected by ZIS."""
    updated = (
        type(request)
        .objects.filter(pk=request.pk, status=RequestStatus.SENT)
        .update(
            status=RequestStatus.REJECTED, rejection_reason=reason, zis_rejected_at=timezone.now()
        )
    )
    if updated:
        request.refresh_from_db()
        queue_decision_email(request, "request_rejected")


def archive_batch_folder(batch: OutboundBatch) -> None:
    """Move an acknowledged batch folder to ``acknowledged/`` in the outbox, ack.json inside.

    Best effort, after the commit: a folder that cannot be moved stays (and is tried again when
    the acknowledgement comes again); the database is what counts.
    """
    folder = Path(batch.path) if batch.path else None
    if folder is None or folder.parent != outbox() or not folder.is_dir():
        return
    target = outbox() / ACKNOWLEDGED / batch.batch_id
    try:
        target.parent.mkdir(exist_ok=True)
        document = json.dumps(batch.ack, indent=2, ensure_ascii=False) + "\n"
        (folder / ACK_FILE).write_text(document, encoding="utf-8")  # the answer applied
        folder.rename(target)
    except OSError:
        logger.exception("Could not move acknowledged batch %s", folder)
        return
    OutboundBatch.objects.filter(pk=batch.pk).update(path=str(target))
    batch.path = str(target)


def full_acceptance(batch_id: str) -> Ack:
    """An acknowledgement accepting every request of the batch, as ZIS would send it (for the
    demo and tests; `manage.py zis_ack --accept-all BATCH_ID`)."""
    return Ack(
        format=ACK_FORMAT,
        version=OUTBOUND_VERSION,
        batch_id=batch_id,
        received_at=timezone.now(),
        accepted=sorted(batch_requests(batch_id), key=lambda key: (key[:2], int(key[3:]))),
    )


def acknowledge_document(data: bytes, source: str, batch_id: str | None = None) -> AckOutcome:
    """Parse and apply an ack.json document (for `batch_id` when the caller names one)."""
    ack = parse_ack(data)
    if batch_id is not None and ack.batch_id != batch_id:
        raise AckError(f"The acknowledgement is for batch {ack.batch_id}, not for {batch_id}.")
    return acknowledge(ack, source)


# --- the acks folder ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AckFileResult:
    path: Path  # where the file lies now
    outcome: AckOutcome | None
    error: str = ""


def acks_folder() -> Path:
    return Path(settings.ZIS_ACKS)


def waiting_ack_files(folder: Path) -> list[Path]:
    """``*.ack.json`` files ZIS finished writing (hidden ones are still being written)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.name.endswith(ACK_SUFFIX) and not path.name.startswith(".")
    )


def pickup_acks(folder: Path | None = None) -> list[AckFileResult]:
    """Apply every acknowledgement file waiting in `folder` (default settings.ZIS_ACKS)."""
    folder = Path(folder) if folder is not None else acks_folder()
    return [process_ack_file(path) for path in waiting_ack_files(folder)]


def process_ack_file(path: Path, *, move: bool = True) -> AckFileResult:
    """Apply one ack file; move it to processed/ or (with a report) to rejected/."""
    try:
        if path.stat().st_size > MAX_ACK_BYTES:
            raise AckError(f"The acknowledgement is larger than {MAX_ACK_BYTES} bytes.", 413)
        ack = parse_ack(path.read_bytes())
        if move and path.name != f"{ack.batch_id}{ACK_SUFFIX}":
            raise AckError(
                f"The file is named {path.name} but acknowledges batch {ack.batch_id} "
                f"(expected {ack.batch_id}{ACK_SUFFIX})."
            )
        outcome = acknowledge(ack, OutboundBatch.AckSource.FOLDER)
    except AckError as exc:
        logger.warning("Refused acknowledgement %s: %s", path, exc)
        if not move:
            return AckFileResult(path, None, str(exc))
        target = move_aside(path, REJECTED)
        report = target.with_name(target.name + REPORT_SUFFIX)
        write_private(report, f"{path.name}: refused.\n{exc}\nNothing was changed.\n")
        return AckFileResult(target, None, str(exc))
    return AckFileResult(move_aside(path, PROCESSED) if move else path, outcome)


def move_aside(path: Path, kind: str) -> Path:
    folder = private_folder(path.parent / kind)
    target, counter = folder / path.name, 1
    while target.exists():
        counter += 1
        target = folder / f"{path.name}.{counter}"
    shutil.move(path, target)
    make_file_private(target)
    return target
