"""Typed records of the outbound direction (portal → ZIS) and of ZIS's acknowledgement.

The human spec is zis/EXCHANGE.md § 2; the two must agree. Like the inbound records these are
strict and refuse unknown fields: the exporter validates every record it writes (so a batch never
carries something the spec does not allow), and the acknowledgement from ZIS is parsed with them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from zis.records import Address, BatchId, ManifestFile, Money, Record, Volume, ZisId

OUTBOUND_FORMAT = "pramen-zis-outbound"
ACK_FORMAT = "pramen-zis-ack"
OUTBOUND_VERSION = 1
SUPPORTED_ACK_VERSIONS = frozenset({OUTBOUND_VERSION})

SELF_READINGS = "self_readings"
ADDRESS_CHANGES = "address_changes"
OUTBOUND_FILES = (f"{SELF_READINGS}.jsonl", f"{ADDRESS_CHANGES}.jsonl")
# Present only in a batch that reports tax documents (zis/EXCHANGE.md, "Tax documents the portal
# numbered"): not requests, so ZIS neither accepts nor rejects them one by one.
TAX_DOCUMENTS = "tax_documents"
TAX_DOCUMENTS_FILE = f"{TAX_DOCUMENTS}.jsonl"
TAX_DOCUMENT_ID_PREFIX = "td-"
# Present only in a batch that reports e-invoice consents (zis/EXCHANGE.md § 2.6); facts, as above.
EINVOICE_CONSENTS = "einvoice_consents"
EINVOICE_CONSENTS_FILE = f"{EINVOICE_CONSENTS}.jsonl"
EINVOICE_CONSENT_ID_PREFIX = "ec-"
# Present only in a batch that carries advance changes (zis/EXCHANGE.md § 2.2.3, exchange 1.1).
ADVANCE_CHANGES = "advance_changes"
ADVANCE_CHANGES_FILE = f"{ADVANCE_CHANGES}.jsonl"
# Request ids: "sr-<n>" for a self-reading, "ac-<n>" for an address change, "ad-<n>" for an
# advance change (n: the portal's key).
REQUEST_ID_PREFIXES = {SELF_READINGS: "sr-", ADDRESS_CHANGES: "ac-", ADVANCE_CHANGES: "ad-"}

RequestId = Annotated[str, StringConstraints(pattern=r"^(sr|ac|ad)-[1-9][0-9]{0,18}$")]
Name = Annotated[str, StringConstraints(max_length=255)]
Note = Annotated[str, StringConstraints(max_length=5000)]
Reason = Annotated[str, StringConstraints(max_length=1000)]


class OutboundRequest(Record):
    """What every outbound record carries: which request, whose, and who approved it when."""

    request_id: RequestId
    customer: ZisId
    customer_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    submitted_at: AwareDatetime
    approved_at: AwareDatetime
    approved_by: Name


class OutboundSelfReading(OutboundRequest):
    """One line of self_readings.jsonl: a meter reading the customer reported."""

    supply_point: ZisId
    supply_point_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    meter: ZisId
    meter_serial: Name
    date: dt.date
    value: Volume
    flagged: bool
    flag_reason: Note


class OutboundAddressChange(OutboundRequest):
    """One line of address_changes.jsonl: the customer's new mailing address."""

    mailing_address: Address
    effective_date: dt.date
    note: Note


class OutboundAdvanceChange(OutboundRequest):
    """One line of advance_changes.jsonl: the new advance of a supply point's payment calendar."""

    supply_point: ZisId
    supply_point_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    current_amount: Money
    new_amount: Money
    suggested_amount: Money
    auto_approved: bool


class OutboundTaxDocument(Record):
    """One line of tax_documents.jsonl: a tax document the portal issued and numbered for a
    received advance payment, for ZIS's VAT records."""

    document_id: Annotated[str, StringConstraints(pattern=r"^td-[1-9][0-9]{0,18}$")]
    number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    customer: ZisId
    customer_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    payment: ZisId
    variable_symbol: Annotated[str, StringConstraints(max_length=10)]
    issued_on: dt.date
    tax_point_on: dt.date
    vat_rate: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")]
    base: Money
    vat: Money
    total: Money


class OutboundEInvoiceConsent(Record):
    """One line of einvoice_consents.jsonl: a customer chose e-invoices (paperless) or went back
    to paper, through one of the portal users linked to it."""

    consent_id: Annotated[str, StringConstraints(pattern=r"^ec-[1-9][0-9]{0,18}$")]
    customer: ZisId
    customer_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    consented: bool
    at: AwareDatetime
    email: Annotated[str, StringConstraints(max_length=254)]


class OutboundManifest(Record):
    format: Literal["pramen-zis-outbound"]
    version: Literal[1]
    batch_id: BatchId
    created: AwareDatetime
    files: dict[str, ManifestFile]


class AckRejection(Record):
    request_id: RequestId
    reason: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class Ack(Record):
    """ack.json: ZIS's answer to one outbound batch."""

    format: Literal["pramen-zis-ack"]
    version: int
    batch_id: BatchId
    received_at: AwareDatetime
    accepted: Annotated[list[RequestId], Field(max_length=100_000)]
    rejected: Annotated[list[AckRejection], Field(max_length=100_000)] = []
