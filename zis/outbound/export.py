"""export_approved: approved requests (and the numbers of the tax documents the portal issued) →
outbound batches in ZIS_OUTBOX, none lost, none twice.

Three steps, each safe to die in:

1. **Reserve** (one transaction): create the OutboundBatch row (status *reserved*) and stamp its
   batch id on the approved requests no batch holds yet (locked, skipping rows another exporter
   holds). Dying here rolls everything back.
2. **Write**: render the batch from the rows that carry its id (deterministic) into a hidden
   staging folder and rename it into the outbox as ``<batch_id>/``.
3. **Record** (the same transaction as the write, holding the batch row): the batch becomes
   *written*, its requests *sent*.

A run first finishes batches an earlier run reserved but did not record: one whose folder is in
the outbox already (the process died between 2 and 3) is recognised as it is; one without is
written again, with the same id and content. ZIS also deduplicates by batch id and request id.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    EInvoiceConsent,
    RequestStatus,
    SelfReadingRequest,
    TaxDocument,
)

from .models import OutboundBatch
from .writer import (
    OutboundError,
    approved_waiting,
    outbox,
    place_folder,
    read_folder,
    render_batch,
)

__all__ = ["OutboundError", "export_approved"]

logger = logging.getLogger(__name__)

# Requests of each kind per batch; more wait for the next batch of the same run.
MAX_REQUESTS_PER_KIND = 500
BATCH_ID_FORMAT = "out-{date:%Y%m%d}-{pk:06d}"
REQUEST_MODELS = (SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest)


def export_approved() -> list[OutboundBatch]:
    """Write every approved request that no batch holds yet; return the batches written now.

    Batches an earlier run reserved but did not record are finished first (see the module).
    """
    written = [batch for batch in map(write_batch, reserved_batch_ids()) if batch is not None]
    while (reserved := reserve_batch()) is not None:
        batch = write_batch(reserved.pk)
        if batch is None:  # another exporter took it over
            break
        written.append(batch)
    return written


def reserved_batch_ids() -> list[int]:
    return list(
        OutboundBatch.objects.filter(status=OutboundBatch.Status.RESERVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def waiting_ids(model: type) -> list[int]:
    """Approved requests no batch holds, oldest first, locked for this transaction."""
    rows = approved_waiting(model).select_for_update(skip_locked=True).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:MAX_REQUESTS_PER_KIND])


def waiting_tax_document_ids() -> list[int]:
    """Tax documents the portal numbered that no batch has reported yet, locked."""
    rows = (
        TaxDocument.objects.filter(
            numbered_by=TaxDocument.NumberedBy.PORTAL,
            outbound_batch_id="",
            customer__isnull=False,
        )
        .select_for_update(skip_locked=True)
        .order_by("pk")
    )
    return list(rows.values_list("pk", flat=True)[:MAX_REQUESTS_PER_KIND])


def waiting_consent_ids() -> list[int]:
    """E-invoice consents (and withdrawals) no batch has reported yet, locked."""
    rows = EInvoiceConsent.objects.filter(outbound_batch_id="").select_for_update(skip_locked=True)
    return list(rows.order_by("pk").values_list("pk", flat=True)[:MAX_REQUESTS_PER_KIND])


def reserve_batch() -> OutboundBatch | None:
    """Step 1: a new reserved batch holding the approved requests and the portal's new tax
    document numbers waiting; None if none wait."""
    with transaction.atomic():
        waiting = {model: waiting_ids(model) for model in REQUEST_MODELS}
        documents = waiting_tax_document_ids()
        consents = waiting_consent_ids()
        if not any(waiting.values()) and not documents and not consents:
            return None
        batch = OutboundBatch.objects.create(batch_id=f".reserving-{uuid.uuid4().hex}")
        batch.batch_id = BATCH_ID_FORMAT.format(date=batch.created_at, pk=batch.pk)
        counts = {
            model: model.objects.filter(
                pk__in=ids, status=RequestStatus.APPROVED, outbound_batch_id=""
            ).update(outbound_batch_id=batch.batch_id)
            for model, ids in waiting.items()
        }
        TaxDocument.objects.filter(pk__in=documents, outbound_batch_id="").update(
            outbound_batch_id=batch.batch_id
        )
        EInvoiceConsent.objects.filter(pk__in=consents, outbound_batch_id="").update(
            outbound_batch_id=batch.batch_id
        )
        batch.self_readings = counts[SelfReadingRequest]
        batch.address_changes = counts[AddressChangeRequest]
        batch.advance_changes = counts[AdvanceChangeRequest]
        batch.save(
            update_fields=["batch_id", "self_readings", "address_changes", "advance_changes"]
        )
    logger.info(
        "Reserved outbound batch %s (%d requests, %d tax documents)",
        batch.batch_id,
        batch.requests,
        len(documents),
    )
    return batch


def write_batch(pk: int) -> OutboundBatch | None:
    """Steps 2 and 3 for a reserved batch; None when it is not reserved (any more) or locked."""
    with transaction.atomic():
        batch = (
            OutboundBatch.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutboundBatch.Status.RESERVED)
            .first()
        )
        if batch is None:
            return None
        target = outbox() / batch.batch_id
        if read_folder(target) is None:
            if target.exists():
                raise OutboundError(
                    f"{target} exists but is not a complete outbound batch; move it away."
                )
            place_folder(target, render_batch(batch))
        else:  # written by a run that died before recording it: ZIS may have read it already
            logger.warning("Outbound batch %s was written before; recording it", batch.batch_id)
        record_written(batch, target)
    return batch


def record_written(batch: OutboundBatch, folder: Path) -> None:
    """Step 3: the batch is written, its requests are sent."""
    now = timezone.now()
    batch.status = OutboundBatch.Status.WRITTEN
    batch.written_at = now
    batch.path = str(folder)
    batch.save(update_fields=["status", "written_at", "path"])
    for model in REQUEST_MODELS:
        model.objects.filter(
            outbound_batch_id=batch.batch_id, status=RequestStatus.APPROVED
        ).update(status=RequestStatus.SENT, sent_at=now)
