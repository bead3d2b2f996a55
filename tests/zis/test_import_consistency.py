"""Consistency checks (EXCHANGE.md § 1.6): arithmetic that cannot be right refuses the batch;
what may legitimately be odd imports with a warning, stored on the sync run and shown to operators
(inspect view, listing, dashboard panel)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from portal.models import Invoice, RainwaterAssessment
from tests.factories.accounts import login_with_mfa
from tests.factories.zis import append_record, edit_record, lines
from zis.importer import import_batch
from zis.models import SyncRun


def first_invoice(batch: Path) -> dict[str, Any]:
    return json.loads(lines(batch, "invoices.jsonl")[0])


def errors(run: SyncRun) -> list[str]:
    return [f"{e['file']}:{e['line']}: {e['field']}: {e['message']}" for e in run.errors]


def refused(batch: Path, **changes: Any) -> list[str]:
    """Import the batch with the first invoice changed; it must be refused."""
    edit_record(batch, "invoices.jsonl", 1, **changes)
    run = import_batch(batch)
    assert run.status == SyncRun.Status.REJECTED
    assert not Invoice.objects.exists()
    return errors(run)


def test_the_recorded_batch_is_consistent(db, full_batch: Path):
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.SUCCEEDED and run.warnings == []


def test_a_line_whose_total_is_not_base_plus_vat(db, full_batch: Path):
    invoice = first_invoice(full_batch)
    invoice["lines"][0]["total"] = "4369.12"
    assert refused(full_batch, lines=invoice["lines"]) == [
        "invoices.jsonl:1: lines[0].total: 4369.12 is not base + vat (3900.99 + 468.12)"
    ]


def test_lines_that_do_not_add_up_to_the_summary_base(db, full_batch: Path):
    invoice = first_invoice(full_batch)
    invoice["lines"][1].update(base="3391.85", total="3798.87")
    assert refused(full_batch, lines=invoice["lines"]) == [
        "invoices.jsonl:1: vat_summary[0].base: 7292.83 is not the sum of the bases of the lines "
        "at 12 % (7292.84)"
    ]


def test_a_summary_vat_that_is_neither_the_lines_nor_the_rate(db, full_batch: Path):
    invoice = first_invoice(full_batch)
    summary = [{"vat_rate": "12", "base": "7292.83", "vat": "875.50", "total": "8168.33"}]
    assert refused(
        full_batch, vat_summary=summary, total_vat="875.50", total="8168.33", balance="-1431.67"
    ) == [
        "invoices.jsonl:1: vat_summary[0].vat: 875.50 is neither the sum of the VAT of the lines "
        "at 12 % (875.14) nor the base × rate (875.14)"
    ]
    assert invoice["vat_summary"][0]["vat"] == "875.14"


def test_a_summary_whose_rates_are_not_the_lines(db, full_batch: Path):
    summary = [{"vat_rate": "10", "base": "7292.83", "vat": "729.28", "total": "8022.11"}]
    found = refused(
        full_batch, vat_summary=summary, total_vat="729.28", total="8022.11", balance="-1577.89"
    )
    assert found == ["invoices.jsonl:1: vat_summary: its rates (10) are not the lines' rates (12)"]


def test_totals_that_are_not_the_summary(db, full_batch: Path):
    assert refused(full_batch, total_base="7292.00", total="8167.14", balance="-1432.86") == [
        "invoices.jsonl:1: total_base: 7292.00 is not the VAT summary's bases (7292.83)"
    ]


def test_a_total_that_is_not_base_plus_vat(db, full_batch: Path):
    assert refused(full_batch, total="8167.00", balance="-1433.00") == [
        "invoices.jsonl:1: total: 8167.00 is not total_base + total_vat (7292.83 + 875.14)"
    ]


def test_a_balance_that_is_not_total_minus_advances_paid(db, full_batch: Path):
    assert refused(full_batch, balance="-1432.00") == [
        "invoices.jsonl:1: balance: -1432.00 is not total − advances_paid (8167.97 − 9600.00)"
    ]


def test_an_advance_that_is_not_the_schedules_amount(db, full_batch: Path):
    schedule = json.loads(lines(full_batch, "advance_schedules.jsonl")[0])
    schedule["advances"][2]["amount"] = "750.00"
    edit_record(full_batch, "advance_schedules.jsonl", 1, advances=schedule["advances"])
    run = import_batch(full_batch)
    assert errors(run) == [
        "advance_schedules.jsonl:1: advances[2].amount: 750.00 is not the schedule's amount per "
        "advance (800.00)"
    ]


# --- warnings ------------------------------------------------------------------------------------


@pytest.fixture
def odd_batch(full_batch: Path) -> Path:
    """The recorded batch with a falling index of meter M-3 and an odd rainwater volume."""
    append_record(
        full_batch,
        "readings.jsonl",
        {
            "id": "R-FALL",
            "updated_at": "2025-01-10T08:00:00+01:00",
            "meter": "M-3",
            "date": "2025-01-05",
            "value": "1.000",
            "kind": "self",
        },
    )
    edit_record(full_batch, "rainwater.jsonl", 1, volume="900.000")
    return full_batch


def test_odd_figures_import_with_warnings(db, odd_batch: Path):
    run = import_batch(odd_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    line = len(lines(odd_batch.parent / "processed" / odd_batch.name, "readings.jsonl"))
    assert [(w["file"], w["line"], w["field"]) for w in run.warnings] == [
        ("readings.jsonl", line, "value"),
        ("rainwater.jsonl", 1, "volume"),
    ]
    assert run.warnings[0]["message"].startswith("1.000 m³ on 2025-01-05 is below ")
    assert "and no meter replacement lies between them" in run.warnings[0]["message"]
    assert run.warnings[1]["message"] == (
        "900.000 m³ differs from Σ area × coefficient × normal (886.655 m³)"
    )
    assert RainwaterAssessment.objects.get().volume == 900
    assert "Warnings (imported; check with ZIS whether they are right):" in run.report
    assert "2 warnings" in run.report.splitlines()[0]


def test_a_meter_replacement_explains_a_falling_index(db, full_batch: Path):
    """M-1 was replaced by M-2 on 30 June 2024: M-2 starts low, which is no warning."""
    assert import_batch(full_batch).warnings == []


@pytest.fixture
def admin_client(client: Any, administrator: Any) -> Any:
    login_with_mfa(client, administrator)
    return client


def test_operators_see_warnings_in_the_admin_and_on_the_dashboard(db, odd_batch, admin_client):
    run = import_batch(odd_batch)

    detail = admin_client.get(reverse("sync-runs:inspect", args=[run.pk])).content.decode()
    assert "900.000 m³ differs from Σ area × coefficient × normal (886.655 m³)" in detail
    listing = admin_client.get(reverse("sync-runs:index")).content.decode()
    assert re.search(r"<td[^>]*>\s*2\s*</td>", listing)
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = re.search(r'id="zis-sync-runs.*?</section>', dashboard, re.S).group(0)
    assert "2 varování ke kontrole" in panel
