"""Purging ZIS_OUTBOX/acknowledged/ and ZIS_ACKS/processed/ once they are old enough."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.factories.requests import approved_self_reading
from tests.factories.zis import ack_document, drop_ack
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved
from zis.outbound.purge import purge_acknowledged

pytestmark = pytest.mark.django_db


DAYS = 30


@pytest.fixture
def archived(settings: Any, outbox: Path, meter: Any, operator: Any) -> dict[str, Path]:
    """One acknowledged batch (folder and ack file archived), one batch waiting for ZIS and a
    refused acknowledgement file."""
    acks = Path(settings.ZIS_ACKS)
    reading = approved_self_reading(meter, operator)
    [done] = export_approved()
    drop_ack(acks, ack_document(done.batch_id, [f"sr-{reading.pk}"]))
    drop_ack(acks, {"format": "nonsense"}, name="broken.ack.json")
    pickup_acks()
    approved_self_reading(meter, operator, date=dt.date(2025, 3, 31), value=Decimal("130"))
    [waiting] = export_approved()
    return {
        "folder": outbox / "acknowledged" / done.batch_id,
        "ack": acks / "processed" / f"{done.batch_id}.ack.json",
        "waiting": outbox / waiting.batch_id,
        "refused": acks / "rejected" / "broken.ack.json",
    }


def test_recent_archives_are_kept(archived):
    assert purge_acknowledged(DAYS) == []
    assert all(path.exists() for path in archived.values())


def test_old_archives_are_deleted_and_nothing_else(archived):
    later = time.time() + (DAYS + 1) * 86400

    assert purge_acknowledged(DAYS, dry_run=True, now=later) == [
        archived["folder"],
        archived["ack"],
    ]
    assert archived["folder"].is_dir()  # a dry run deletes nothing

    purged = purge_acknowledged(DAYS, now=later)

    assert purged == [archived["folder"], archived["ack"]]
    assert not archived["folder"].exists() and not archived["ack"].exists()
    assert archived["waiting"].is_dir()  # not acknowledged yet: ZIS has still to read it
    assert archived["refused"].is_file()  # an operator reads its report


def test_the_age_must_be_at_least_a_day(archived):
    with pytest.raises(ValueError):
        purge_acknowledged(0)
