"""Rendering an outbound batch from the database, and placing its folder into the outbox.

Rendering is deterministic: the same rows give the same bytes (records ordered by request id,
timestamps in UTC to the second, the manifest's `created` from the batch row). A batch folder
appears in the outbox whole or not at all: it is written into a hidden staging folder, synced to
disk and renamed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from portal.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    EInvoiceConsent,
    RequestStatus,
    SelfReadingRequest,
    TaxDocument,
)
from zis.records import MANIFEST_FILE, Address, Record
from zis.records import ManifestFile as ManifestEntry

from .models import OutboundBatch
from .records import (
    ADDRESS_CHANGES,
    ADVANCE_CHANGES,
    ADVANCE_CHANGES_FILE,
    EINVOICE_CONSENT_ID_PREFIX,
    EINVOICE_CONSENTS_FILE,
    OUTBOUND_FILES,
    OUTBOUND_FORMAT,
    OUTBOUND_VERSION,
    REQUEST_ID_PREFIXES,
    SELF_READINGS,
    TAX_DOCUMENT_ID_PREFIX,
    TAX_DOCUMENTS_FILE,
    OutboundAddressChange,
    OutboundAdvanceChange,
    OutboundEInvoiceConsent,
    OutboundManifest,
    OutboundSelfReading,
    OutboundTaxDocument,
)

STAGING_PREFIX = ".writing-"
ACKNOWLEDGED = "acknowledged"
VOLUME_PLACES = Decimal("0.001")
BATCH_FILES = frozenset({MANIFEST_FILE, *OUTBOUND_FILES})


def outbox() -> Path:
    return Path(settings.ZIS_OUTBOX)


def request_id(kind: str, pk: int) -> str:
    """The stable id ZIS knows a request by: "sr-12" (self-reading), "ac-7" (address change)."""
    return f"{REQUEST_ID_PREFIXES[kind]}{pk}"


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def timestamp(moment: datetime | None) -> str | None:
    """A timestamp as the exchange writes it: UTC to the second, "2025-03-01T07:31:00Z"."""
    return None if moment is None else utc(moment).isoformat().replace("+00:00", "Z")


def approved_at(request: SelfReadingRequest | AddressChangeRequest) -> datetime:
    # An approval always records its time; the fallback keeps one odd row from stopping the export.
    return utc(request.decided_at or request.submitted_at)


def operator_name(user: Any) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.email or user.get_username())[:255]


def request_fields(kind: str, request: Any) -> dict[str, Any]:
    """The fields every outbound request record starts with (zis/EXCHANGE.md § 2.2)."""
    return {
        "request_id": request_id(kind, request.pk),
        "customer": request.customer.zis_id,
        "customer_number": request.customer.number,
        "submitted_at": utc(request.submitted_at),
        "approved_at": approved_at(request),
        "approved_by": operator_name(request.decided_by),
    }


def self_reading_record(request: SelfReadingRequest) -> OutboundSelfReading:
    meter = request.meter
    supply_point = meter.supply_point
    return OutboundSelfReading(
        **request_fields(SELF_READINGS, request),
        supply_point=supply_point.zis_id,
        supply_point_number=supply_point.number,
        meter=meter.zis_id,
        meter_serial=meter.serial_number,
        date=request.date,
        value=format(request.value.quantize(VOLUME_PLACES), "f"),
        flagged=request.flagged,
        flag_reason=request.flag_reason,
    )


def address_change_record(request: AddressChangeRequest) -> OutboundAddressChange:
    return OutboundAddressChange(
        **request_fields(ADDRESS_CHANGES, request),
        mailing_address=Address(
            street=request.street,
            house_number=request.house_number,
            orientation_number=request.orientation_number,
            part_of_municipality=request.part_of_municipality,
            municipality=request.municipality,
            postcode=request.postcode,
            ruian_code=None if request.ruian_code is None else str(request.ruian_code),
        ),
        effective_date=request.effective_date,
        note=request.note,
    )


def advance_change_record(request: AdvanceChangeRequest) -> OutboundAdvanceChange:
    supply_point = request.supply_point
    return OutboundAdvanceChange(
        **request_fields(ADVANCE_CHANGES, request),
        supply_point=supply_point.zis_id,
        supply_point_number=supply_point.number,
        current_amount=f"{request.current_amount:.2f}",
        new_amount=f"{request.requested_amount:.2f}",
        suggested_amount=f"{request.suggested_amount:.2f}",
        auto_approved=request.auto_approved,
    )


def batch_advance_changes(batch_id: str) -> Iterable[AdvanceChangeRequest]:
    return (
        AdvanceChangeRequest.objects.filter(outbound_batch_id=batch_id)
        .select_related("customer", "supply_point", "decided_by")
        .order_by("pk")
    )


def batch_self_readings(batch_id: str) -> Iterable[SelfReadingRequest]:
    return (
        SelfReadingRequest.objects.filter(outbound_batch_id=batch_id)
        .select_related("customer", "meter__supply_point", "decided_by")
        .order_by("pk")
    )


def batch_address_changes(batch_id: str) -> Iterable[AddressChangeRequest]:
    return (
        AddressChangeRequest.objects.filter(outbound_batch_id=batch_id)
        .select_related("customer", "decided_by")
        .order_by("pk")
    )


def batch_tax_documents(batch_id: str) -> Iterable[TaxDocument]:
    return (
        TaxDocument.objects.filter(outbound_batch_id=batch_id)
        .select_related("customer", "payment")
        .order_by("pk")
    )


def tax_document_record(document: TaxDocument) -> OutboundTaxDocument:
    return OutboundTaxDocument(
        document_id=f"{TAX_DOCUMENT_ID_PREFIX}{document.pk}",
        number=document.number,
        customer=document.customer.zis_id,
        customer_number=document.customer.number,
        payment=document.payment_zis_id,
        variable_symbol=document.variable_symbol,
        issued_on=document.issued_on,
        tax_point_on=document.tax_point_on,
        vat_rate=f"{document.vat_rate.normalize():f}",
        base=f"{document.base:.2f}",
        vat=f"{document.vat:.2f}",
        total=f"{document.total:.2f}",
    )


def tax_documents_jsonl(documents: Iterable[TaxDocument]) -> bytes:
    lines = []
    for document in documents:
        try:
            record = tax_document_record(document)
        except ValidationError as exc:
            raise OutboundError(
                f"Tax document {document.number} cannot be exported: {exc}"
            ) from exc
        lines.append(record.model_dump_json().encode() + b"\n")
    return b"".join(lines)


def einvoice_consents_jsonl(batch_id: str) -> bytes:
    """The e-invoice consents and withdrawals the batch reports, oldest first."""
    rows = (
        EInvoiceConsent.objects.filter(outbound_batch_id=batch_id)
        .select_related("customer")
        .order_by("pk")
    )
    return b"".join(
        OutboundEInvoiceConsent(
            consent_id=f"{EINVOICE_CONSENT_ID_PREFIX}{row.pk}",
            customer=row.customer.zis_id,
            customer_number=row.customer.number,
            consented=row.consented,
            at=utc(row.at),
            email=row.email,
        )
        .model_dump_json()
        .encode()
        + b"\n"
        for row in rows
    )


class OutboundError(Exception):
    """A batch cannot be written as it is; an operator must look at what the message names."""


def jsonl(kind: str, requests: Iterable[Any], make: Callable[[Any], Record]) -> bytes:
    lines = []
    for request in requests:
        try:
            record = make(request)
        except ValidationError as exc:
            raise OutboundError(
                f"Request {request_id(kind, request.pk)} cannot be exported: {exc}"
            ) from exc
        lines.append(record.model_dump_json().encode() + b"\n")
    return b"".join(lines)


def render_batch(batch: OutboundBatch) -> dict[str, bytes]:
    """The files of the batch, manifest last: file name → bytes."""
    files = {
        f"{SELF_READINGS}.jsonl": jsonl(
            SELF_READINGS, batch_self_readings(batch.batch_id), self_reading_record
        ),
        f"{ADDRESS_CHANGES}.jsonl": jsonl(
            ADDRESS_CHANGES, batch_address_changes(batch.batch_id), address_change_record
        ),
    }
    advance_changes = jsonl(
        ADVANCE_CHANGES, batch_advance_changes(batch.batch_id), advance_change_record
    )
    if advance_changes:  # the file exists only in a batch that carries advance changes
        files[ADVANCE_CHANGES_FILE] = advance_changes
    tax_documents = tax_documents_jsonl(batch_tax_documents(batch.batch_id))
    if tax_documents:  # the file exists only in a batch that reports tax documents
        files[TAX_DOCUMENTS_FILE] = tax_documents
    if consents := einvoice_consents_jsonl(batch.batch_id):  # likewise only when there are some
        files[EINVOICE_CONSENTS_FILE] = consents
    manifest = OutboundManifest(
        format=OUTBOUND_FORMAT,
        version=OUTBOUND_VERSION,
        batch_id=batch.batch_id,
        created=utc(batch.created_at),
        files={
            name: ManifestEntry(records=data.count(b"\n"), sha256=hashlib.sha256(data).hexdigest())
            for name, data in files.items()
        },
    )
    document = json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False)
    files[MANIFEST_FILE] = (document + "\n").encode()
    return files


def place_folder(target: Path, files: dict[str, bytes]) -> None:
    """Write `files` into the new folder `target` atomically (staging folder, fsync, rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f"{STAGING_PREFIX}{target.name}"
    shutil.rmtree(staging, ignore_errors=True)  # left over by a crash: written again
    staging.mkdir()
    for name, data in files.items():
        with (staging / name).open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    sync_folder(staging)
    staging.rename(target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_folder(folder: Path) -> dict[str, bytes] | None:
    """The files of a written batch folder, or None when it is gone (or not a whole batch)."""
    if not all((folder / name).is_file() for name in BATCH_FILES):
        return None
    optional = {TAX_DOCUMENTS_FILE, EINVOICE_CONSENTS_FILE, ADVANCE_CHANGES_FILE}
    names = sorted(BATCH_FILES | (optional & {p.name for p in folder.iterdir()}))
    return {name: (folder / name).read_bytes() for name in names}


def batch_files(batch: OutboundBatch) -> dict[str, bytes]:
    """What ZIS downloads: the folder as written, or rendered again if the folder was lost."""
    return (read_folder(Path(batch.path)) if batch.path else None) or render_batch(batch)


def zip_batch(batch: OutboundBatch) -> bytes:
    """A ZIP of the batch folder (`<batch_id>/manifest.json`, …), the same bytes every time."""
    files = batch_files(batch)
    stamp = utc(batch.created_at).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{batch.batch_id}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def approved_waiting(model: type[Any]) -> Any:
    """Approved requests of one kind that no batch holds yet."""
    return model.objects.filter(status=RequestStatus.APPROVED, outbound_batch_id="")
