"""zis/EXCHANGE.md and zis/records.py agree: every field table of the spec lists exactly the fields
of its record, says rightly which are required, and gives the maximum length the importer checks.
Also: the sections are numbered in order."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import annotated_types
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from zis import records as r
from zis.outbound import records as outbound

SPEC = Path(r.__file__).with_name("EXCHANGE.md")

# The heading of each field table (#### …) and the record it describes.
TABLES: dict[str, type[BaseModel]] = {
    "manifest.json": r.Manifest,
    "manifest.json files": r.ManifestFile,
    "Address": r.Address,
    "`customers`": r.CustomerRecord,
    "`tariffs`": r.TariffRecord,
    "`tariffs` prices": r.TariffPriceRecord,
    "`supply_points`": r.SupplyPointRecord,
    "`meters`": r.MeterRecord,
    "`readings`": r.ReadingRecord,
    "`daily_consumption`": r.DailyConsumptionRecord,
    "`invoices`": r.InvoiceRecord,
    "`invoices` lines": r.InvoiceLineRecord,
    "`invoices` VAT summary": r.VatSummaryRecord,
    "`advance_schedules`": r.AdvanceScheduleRecord,
    "`advance_schedules` advances": r.AdvanceRecord,
    "`payments`": r.PaymentRecord,
    "`rainwater`": r.RainwaterRecord,
    "`rainwater` areas": r.RainwaterAreas,
    "`activation_codes`": r.ActivationCodeRecord,
    "`deletions`": r.DeletionRecord,
    "`einvoice_consents`": outbound.OutboundEInvoiceConsent,
}
ROW = re.compile(r"^\| `([A-Za-z_0-9]+)` \| (.*?) \| (yes|no) \| (\d+|–) \|(.*)\|$")


def field_tables() -> dict[str, list[tuple[str, bool, int | None]]]:
    """{heading: [(field, required, max length)]} of every #### table in the spec."""
    tables: dict[str, list[tuple[str, bool, int | None]]] = {}
    heading = None
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#### "):
            heading = line[5:].strip()
            continue
        if line.startswith("#"):
            heading = None
        match = ROW.match(line)
        if heading is not None and match:
            name, _type, required, length, _meaning = match.groups()
            limit = None if length == "–" else int(length)
            tables.setdefault(heading, []).append((name, required == "yes", limit))
    return tables


def constraints(annotation: object) -> list[object]:
    """The metadata of `annotation` and of the types it is made of (`X | None`)."""
    found = list(getattr(annotation, "__metadata__", ()))
    for arg in typing.get_args(annotation):
        found += constraints(arg)
    return found


def max_length(info: FieldInfo) -> int | None:
    metadata = [*info.metadata, *constraints(info.annotation)]
    found = [m.max_length for m in metadata if getattr(m, "max_length", None) is not None]
    found += [m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)]
    return found[0] if found else None


def expected(model: type[BaseModel]) -> list[tuple[str, bool, int | None]]:
    return [
        (name, info.is_required(), max_length(info)) for name, info in model.model_fields.items()
    ]


def test_every_record_has_a_table():
    assert set(field_tables()) == set(TABLES)


@pytest.mark.parametrize("heading", list(TABLES))
def test_the_table_lists_the_records_fields(heading):
    assert field_tables()[heading] == expected(TABLES[heading])


def test_every_entity_file_is_in_the_file_list():
    spec = SPEC.read_text(encoding="utf-8")
    section = spec.split("### 1.1 Files and their order")[1].split("### 1.2")[0]
    listed = re.findall(r"^\| `([a-z_]+\.jsonl)` \|", section, re.M)
    assert listed == list(r.ENTITY_FILES)


def test_the_sections_are_numbered_in_order():
    numbers = re.findall(r"^##+ (\d+(?:\.\d+)*)\.? ", SPEC.read_text(encoding="utf-8"), re.M)
    keys = [tuple(int(part) for part in number.split(".")) for number in numbers]
    assert keys == sorted(keys)
    assert {(4, 3), (4, 4), (4, 5), (2, 2, 1), (2, 2, 2)} <= set(keys)


def test_the_spec_names_the_version_of_records_py():
    assert SPEC.read_text(encoding="utf-8").startswith(
        f"# The ZIS exchange format, version {r.FORMAT_VERSION}\n"
    )
