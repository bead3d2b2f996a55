"""The tax documents the portal numbers reach ZIS's VAT records: each is reported once, in an
outbound batch's tax_documents.jsonl (zis/EXCHANGE.md); those ZIS numbered itself are not."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from portal.documents import issuing
from portal.models import Payment
from zis.outbound.acks import acknowledge, full_acceptance
from zis.outbound.export import export_approved
from zis.outbound.records import OutboundTaxDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path) -> Path:
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    settings.ZIS_ACKS = tmp_path / "acks"
    return settings.ZIS_OUTBOX


def test_the_portals_numbers_are_reported_once(world, payments_model, outbox):
    first = Payment.objects.get(zis_id="P-1")
    Payment.objects.create(
        zis_id="P-1-zis",
        zis_updated_at=first.zis_updated_at,
        customer=first.customer,
        received_on=dt.date(2025, 1, 20),
        amount=Decimal("100.00"),
        method="card",
        advance=first.advance,
        zis_tax_document_number="ZIS-77",
    )
    assert issuing.issue_pending("ZD", dt.date(2025, 1, 21)) == 2

    (batch,) = export_approved()
    folder = outbox / batch.batch_id
    lines = (folder / "tax_documents.jsonl").read_text(encoding="utf-8").splitlines()
    records = [OutboundTaxDocument.model_validate_json(line) for line in lines]
    assert [record.model_dump(mode="json") for record in records] == [
        {
            "document_id": records[0].document_id,
            "number": "ZD2025000001",
            "customer": "C-1001",
            "customer_number": "100001",
            "payment": "P-1",
            "variable_symbol": "1000010001",
            "issued_on": "2025-01-21",
            "tax_point_on": "2025-01-14",
            "vat_rate": "12",
            "base": "714.29",
            "vat": "85.71",
            "total": "800.00",
        }
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["tax_documents.jsonl"]["records"] == 1
    assert export_approved() == []  # reported once

    outcome = acknowledge(full_acceptance(batch.batch_id), "folder")
    assert outcome.changed and outcome.confirmed == 0


def test_a_batch_without_tax_documents_has_no_such_file(world, outbox, payments_model):
    assert export_approved() == []
    assert not outbox.exists() or not list(outbox.rglob("tax_documents.jsonl"))
