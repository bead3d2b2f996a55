"""A full batch imports to exactly the recorded rows; importing it again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import (
    ActivationCode,
    Advance,
    Customer,
    DailyConsumption,
    Invoice,
    InvoiceLine,
    Meter,
    Payment,
    RainwaterAssessment,
    Reading,
    SupplyPoint,
    Tariff,
)
from tests.factories.zis import copy_batch, lines, refresh_manifest
from zis.importer import import_batch
from zis.importer.writer import delete_parts
from zis.models import SyncRun

EXPECTED_ROWS = {
    "customers": 3,
    "tariffs": 1,
    "supply_points": 3,
    "meters": 4,
    "readings": 8,
    "daily_consumption": 3,
    "invoices": 2,
    "advance_schedules": 2,
    "payments": 4,
    "rainwater": 1,
    "activation_codes": 2,
}


def test_full_batch_creates_every_record(db, full_batch: Path):
    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.batch_id == "2025-01-10-full-0001"
    assert run.kind == "full"
    created = {entity: counts["created"] for entity, counts in run.counts.items()}
    assert created == EXPECTED_ROWS
    assert run.total("updated") == run.total("deleted") == run.total("unchanged") == 0
    assert run.duration is not None
    assert run.finished_at >= run.started_at


def test_customer_and_address_are_stored_as_sent(imported):
    jana = Customer.objects.get(zis_id="C-1001")
    assert jana.name == "Jana Nováková"
    assert jana.number == "100001"
    assert jana.kind == Customer.Kind.HOUSEHOLD
    assert jana.email == "jana.novakova@example.cz"
    assert str(jana.mailing_address) == "Zelinářská 515/2, Dejvice, 160 00 Praha"
    assert jana.mailing_ruian_code == 21717012
    assert jana.zis_updated_at == dt.datetime(2025, 1, 10, 7, 0, tzinfo=dt.UTC)
    bakery = Customer.objects.get(number="100002")
    assert (bakery.ico, bakery.dic, bakery.is_business) == ("27074358", "CZ27074358", True)


def test_supply_points_meters_and_readings(imported):
    home = SupplyPoint.objects.get(number="OM-000001")
    assert home.customer.zis_id == "C-1001"
    assert home.tariff.code == "STD"
    assert home.advance_amount == Decimal("800.00")
    assert SupplyPoint.objects.get(zis_id="SP-3").sipo_number == "1234567890"
    assert list(home.meters.values_list("serial_number", flat=True)) == [
        "SE-18-004211",
        "DI-24-000117",
    ]
    final = Reading.objects.get(meter__zis_id="M-1", kind=Reading.Kind.REPLACEMENT)
    assert (final.value, final.replacement, final.date) == (
        Decimal("150.250"),
        "final",
        dt.date(2024, 6, 30),
    )
    assert Meter.objects.get(zis_id="M-2").remote_read is True
    days = DailyConsumption.objects.filter(meter__zis_id="M-2").order_by("day")
    assert [d.volume for d in days] == [Decimal("0.212"), Decimal("0.198"), Decimal("0.305")]


def test_tariff_prices_keep_their_vat_rates(imported):
    tariff = Tariff.objects.get(code="STD")
    assert [(p.valid_from.year, p.water_price, p.vat_rate) for p in tariff.prices.all()] == [
        (2023, Decimal("49.80"), Decimal("10")),
        (2024, Decimal("52.10"), Decimal("12")),
    ]
    assert tariff.price_on(dt.date(2024, 3, 1)).sewage_price == Decimal("45.30")


def test_invoice_with_lines_and_vat_summary(imported):
    invoice = Invoice.objects.get(number="2025000002")
    assert invoice.total == Decimal("71166.45")
    assert invoice.balance == Decimal("47166.45")
    assert invoice.supply_point.zis_id == "SP-2"
    assert [(line.kind, line.base) for line in invoice.lines.all()] == [
        ("water", Decimal("12504.00")),
        ("sewage", Decimal("10872.00")),
        ("rainwater", Decimal("40165.47")),
    ]
    assert sum(line.total for line in invoice.lines.all()) == invoice.total
    (summary,) = invoice.vat_summary.all()
    assert (summary.vat_rate, summary.vat) == (Decimal("12"), Decimal("7624.98"))
    assert Invoice.objects.get(number="2025000001").is_overpaid


def test_advances_payments_rainwater_and_codes(imported):
    schedule_advances = Advance.objects.filter(schedule__zis_id="AS-1")
    assert [a.due_on.month for a in schedule_advances] == [1, 2, 3]
    paid = Payment.objects.get(zis_id="P-1")
    assert paid.advance.zis_id == "A-1-01"
    assert paid.invoice is None
    assert Payment.objects.get(zis_id="P-2").invoice.number == "2025000002"
    assert Payment.objects.get(zis_id="P-4").amount == Decimal("-1432.03")
    rain = RainwaterAssessment.objects.get(supply_point__zis_id="SP-2", year=2024)
    assert (rain.area_a, rain.area_c, rain.area_f) == (
        Decimal("1200.00"),
        Decimal("500.00"),
        Decimal("250.00"),
    )
    assert rain.volume == rain.compute_volume() == Decimal("886.655")
    code = ActivationCode.objects.get(zis_id="AC-1")
    assert "K7M2" not in code.code_hash
    assert code.check_code("k7m2 q9xp")
    assert not code.check_code("K7M2-Q9XQ")


def test_second_import_changes_nothing(imported, tmp_path: Path, take_snapshot):
    before = take_snapshot()
    (tmp_path / "again").mkdir()
    again = import_batch(copy_batch("batch_full_v1", tmp_path / "again"))

    assert again.status == SyncRun.Status.SUCCEEDED
    assert again.total("created") == again.total("updated") == again.total("deleted") == 0
    assert again.total("unchanged") == sum(EXPECTED_ROWS.values())
    assert not again.changed
    assert take_snapshot() == before


def test_batch_is_moved_to_processed_with_reports(db, full_batch: Path):
    run = import_batch(full_batch)

    target = full_batch.parent / "processed" / full_batch.name
    assert not full_batch.exists()
    assert run.path == str(target)
    assert (target / "manifest.json").is_file()
    report = json.loads((target / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "succeeded"
    assert report["counts"]["invoices"]["created"] == 2
    text = (target / "report.txt").read_text(encoding="utf-8")
    assert "2025-01-10-full-0001" in text
    assert "succeeded" in text


def test_move_false_leaves_the_folder(db, full_batch: Path):
    import_batch(full_batch, move=False)
    assert (full_batch / "manifest.json").is_file()
    assert not (full_batch / "report.txt").exists()


def test_full_batch_deletes_what_it_no_longer_lists(imported, tmp_path: Path):
    (tmp_path / "next").mkdir()
    batch = copy_batch("batch_full_v1", tmp_path / "next")
    _drop_lines(batch, "payments.jsonl", "P-3")
    _drop_lines(batch, "readings.jsonl", "M-4")
    _drop_lines(batch, "meters.jsonl", "M-4")
    _drop_lines(batch, "supply_points.jsonl", "SP-3")
    _drop_lines(batch, "customers.jsonl", "C-1003")
    _drop_lines(batch, "daily_consumption.jsonl", "D-2-20241229")
    refresh_manifest(batch, batch_id="2025-01-11-full-0002")

    run = import_batch(batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    deleted = {entity: c["deleted"] for entity, c in run.counts.items() if c["deleted"]}
    assert deleted == {
        "customers": 1,
        "supply_points": 1,
        "meters": 1,
        "readings": 2,
        "daily_consumption": 1,
        "payments": 1,
    }
    assert not Customer.objects.filter(zis_id="C-1003").exists()
    assert Customer.objects.count() == 2
    assert DailyConsumption.objects.count() == 2


def test_full_batch_with_as_many_rows_replaces_one_given_a_new_id(imported, tmp_path: Path):
    """As many payments as stored, but one under a new id: the old one goes, the new one comes."""
    (tmp_path / "next").mkdir()
    batch = copy_batch("batch_full_v1", tmp_path / "next")
    payments = batch / "payments.jsonl"
    payments.write_text(payments.read_text().replace('"P-3"', '"P-9"'), encoding="utf-8")
    refresh_manifest(batch, batch_id="2025-01-11-full-0002")

    run = import_batch(batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["payments"] == {"created": 1, "updated": 0, "deleted": 1, "unchanged": 3}
    assert set(Payment.objects.values_list("zis_id", flat=True)) == {"P-1", "P-2", "P-4", "P-9"}


def test_replaced_invoice_lines_go_in_one_statement(imported):
    """Nothing listens for the deletion of an invoice's lines, so Django deletes them without
    loading them first (a nightly delta replaces thousands)."""
    invoice = Invoice.objects.get(number="2025000001")
    with CaptureQueriesContext(connection) as queries:
        delete_parts(InvoiceLine, "invoice", [invoice.pk])
    assert len(queries) == 1
    assert not InvoiceLine.objects.filter(invoice=invoice).exists()


def test_full_import_keeps_operator_issued_activation_codes(imported, tmp_path: Path):
    manual = ActivationCode(customer=Customer.objects.get(zis_id="C-1001"))
    manual.set_code("OPERATOR-1")
    manual.save()
    (tmp_path / "again").mkdir()
    run = import_batch(copy_batch("batch_full_v1", tmp_path / "again"))
    assert run.counts["activation_codes"]["deleted"] == 0
    assert ActivationCode.objects.filter(zis_id__isnull=True).count() == 1


def _drop_lines(batch: Path, file: str, marker: str) -> None:
    kept = [line for line in lines(batch, file) if f'"{marker}"' not in line]
    (batch / file).write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
