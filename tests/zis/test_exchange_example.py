"""The example batch of zis/examples/ (what a ZIS vendor copies) imports as the spec says, and the
fields new in format 1.1 arrive where the portal keeps them."""

from __future__ import annotations

import shutil
from pathlib import Path

from portal.models import Customer, Payment
from tests.factories.zis import edit_record, refresh_manifest
from zis.importer import import_batch
from zis.models import SyncRun
from zis.records import ENTITIES

EXAMPLE = Path(__file__).resolve().parents[2] / "zis" / "examples" / "full-1.1"


def example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inbox" / EXAMPLE.name))


def test_the_example_batch_imports_completely(db, tmp_path: Path):
    run = import_batch(example(tmp_path))

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.errors == [] and run.warnings == []
    assert {entity for entity in ENTITIES if run.counts[entity]["created"]} == set(ENTITIES)
    bakery = Customer.objects.get(number="100002")
    assert str(bakery.seat_address) == "Mlýnská 1204/3, 280 02 Kolín"
    assert bakery.seat_ruian_code == 26107481
    assert Customer.objects.get(number="100001").seat_address is None
    assert Payment.objects.get(zis_id="P-1").zis_tax_document_number == "ZD-2025-000001"
    assert Payment.objects.get(zis_id="P-2").zis_tax_document_number == ""


def test_a_batch_of_version_1_0_may_not_carry_the_new_fields(db, tmp_path: Path):
    batch = example(tmp_path)
    refresh_manifest(batch, version=1)

    run = import_batch(batch)

    assert run.status == SyncRun.Status.REJECTED
    assert [(e["file"], e["line"], e["field"]) for e in run.errors] == [
        ("customers.jsonl", 2, "seat"),
        ("payments.jsonl", 1, "tax_document_number"),
    ]
    assert (
        run.errors[0]["message"] == 'new in format 1.1: declare "version": "1.1" in manifest.json'
    )


def test_version_1_0_written_as_text_is_read_too(db, tmp_path: Path):
    batch = example(tmp_path)
    edit_record(batch, "customers.jsonl", 2, seat=None)
    edit_record(batch, "payments.jsonl", 1, tax_document_number="")
    refresh_manifest(batch, version="1.0")
    # "seat": null and "tax_document_number": "" are what 1.1 allows; 1.0 knows neither key
    run = import_batch(batch)
    assert [e["field"] for e in run.errors] == ["seat", "tax_document_number"]


def test_an_optional_text_field_may_not_be_null(db, tmp_path: Path):
    batch = example(tmp_path)
    edit_record(batch, "customers.jsonl", 1, email=None)
    run = import_batch(batch)
    assert [(e["file"], e["line"], e["field"]) for e in run.errors] == [
        ("customers.jsonl", 1, "email")
    ]
    assert "Input should be a valid string" in run.errors[0]["message"]


def test_an_unknown_version_names_the_ones_read(db, tmp_path: Path):
    batch = example(tmp_path)
    refresh_manifest(batch, version="1.2")
    run = import_batch(batch)
    assert run.errors[0]["message"] == (
        'unsupported version \'1.2\' (this portal reads "1.1", "1.0" and 1)'
    )


def test_the_cubic_metre_is_stored_in_one_spelling_whatever_zis_writes(db, tmp_path: Path):
    from portal.billing.models import InvoiceLine

    run = import_batch(example(tmp_path))  # the example writes "m3"

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    units = set(InvoiceLine.objects.filter(quantity__isnull=False).values_list("unit", flat=True))
    assert units == {"m³"}
