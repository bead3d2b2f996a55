"""Fixtures of the ZIS tests: copies of the recorded batches, a snapshot of the portal data, and
the outbox with a meter whose approved requests go out to ZIS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal import models as portal_models
from tests.factories import billing as f
from tests.factories.zis import copy_batch
from zis.importer import apply as apply_module
from zis.importer import import_batch
from zis.models import SyncRun

MIRRORED = [
    portal_models.Customer,
    portal_models.Tariff,
    portal_models.TariffPrice,
    portal_models.SupplyPoint,
    portal_models.Meter,
    portal_models.Reading,
    portal_models.DailyConsumption,
    portal_models.Invoice,
    portal_models.InvoiceLine,
    portal_models.VatSummaryLine,
    portal_models.AdvanceSchedule,
    portal_models.Advance,
    portal_models.Payment,
    portal_models.RainwaterAssessment,
    portal_models.ActivationCode,
]


@pytest.fixture
def inbox(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    settings.ZIS_INBOX = folder
    return folder


@pytest.fixture
def full_batch(inbox: Path) -> Path:
    return copy_batch("batch_full_v1", inbox)


@pytest.fixture
def delta_batch(inbox: Path) -> Path:
    return copy_batch("batch_delta_v1", inbox)


@pytest.fixture
def imported(db: None, tmp_path: Path) -> SyncRun:
    """The full recorded batch, imported (from its own folder, outside the inbox)."""
    (tmp_path / "first").mkdir()
    run = import_batch(copy_batch("batch_full_v1", tmp_path / "first"))
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    return run


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every mirrored table, to prove an import changed nothing."""
    return {model._meta.label: sorted(model.objects.values_list(), key=repr) for model in MIRRORED}


@pytest.fixture
def take_snapshot() -> Any:
    return snapshot


@pytest.fixture
def crash_at_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply every entity up to invoices and schedules, then fail on payments."""
    original = apply_module.apply_entity

    def apply_entity(spec, ctx):
        if spec.name == "payments":
            raise RuntimeError("disk on fire")
        original(spec, ctx)

    monkeypatch.setattr(apply_module, "apply_entity", apply_entity)


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    """Empty outbound and acknowledgement folders; returns the outbox."""
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    settings.ZIS_ACKS = tmp_path / "acks"
    return settings.ZIS_OUTBOX


@pytest.fixture
def meter(db: None) -> Any:
    """Meter SE-12345678 (M-3001) of supply point OM-000201 of customer 100001 Jana Nováková,
    who has no portal account (e-mails about her requests go to her address from ZIS)."""
    customer = f.CustomerFactory(
        zis_id="C-1001", number="100001", name="Jana Nováková", email="jana@example.cz"
    )
    supply_point = f.SupplyPointFactory(zis_id="SP-2001", number="OM-000201", customer=customer)
    return f.MeterFactory(zis_id="M-3001", serial_number="SE-12345678", supply_point=supply_point)
