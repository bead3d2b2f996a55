"""The stored projection, recomputed from the database, and the customer's advance change:
approved at once inside the utility's bounds, an operator's decision outside them, then the
outbound record to ZIS, its acknowledgement and the "waiting for the new payment calendar"."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from wagtail.models import Site

from portal.models import (
    AdvanceChangeRequest,
    AdvanceProjection,
    Notification,
    PortalSettings,
    RequestStatus,
)
from portal.requests.services.advance_change import (
    recompute_projections,
    submit_advance_change,
    waiting_for_calendar,
)
from portal.requests.services.decisions import approve_request, reject_request
from portal.requests.services.errors import RequestRefused
from tests.factories import billing as f
from tests.factories.requests import self_reading
from tests.factories.zis import ack_document, drop_ack
from zis.followups import after_import
from zis.models import SyncRun
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def point(customer_record: Any) -> Any:
    """0.1 m³ a day, billing period July 2025 – June 2026, the price rises on New Year, eight
    monthly advances of 300 paid and four due."""
    tariff = f.TariffFactory()
    f.TariffPriceFactory(
        tariff=tariff,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        water_price=D("55.00"),
        sewage_price=D("45.00"),
    )
    f.TariffPriceFactory(
        tariff=tariff,
        valid_from=dt.date(2026, 1, 1),
        water_price=D("60.00"),
        sewage_price=D("50.00"),
    )
    supply_point = f.SupplyPointFactory(
        customer=customer_record, tariff=tariff, advance_amount=D("300.00")
    )
    meter = f.MeterFactory(supply_point=supply_point)
    for day, value in ((dt.date(2024, 7, 1), "100.000"), (dt.date(2025, 6, 30), "136.400")):
        f.ReadingFactory(meter=meter, date=day, value=D(value))
    f.InvoiceFactory(
        customer=customer_record,
        supply_point=supply_point,
        period_start=dt.date(2024, 7, 1),
        period_end=dt.date(2025, 6, 30),
    )
    schedule = f.AdvanceScheduleFactory(
        customer=customer_record,
        supply_point=supply_point,
        valid_from=dt.date(2025, 7, 1),
        amount=D("300.00"),
    )
    for month in range(12):
        due = dt.date(2025 + (6 + month) // 12, (6 + month) % 12 + 1, 15)
        advance = f.AdvanceFactory(schedule=schedule, due_on=due, amount=D("300.00"))
        if due < TODAY:
            f.PaymentFactory(
                customer=customer_record, advance=advance, amount=D("300.00"), received_on=due
            )
    return meter


def test_recompute_stores_one_projection_per_supply_point(point, customer):
    f.ReadingFactory(meter=point, date=dt.date(2026, 2, 28), value=D("160.700"))
    assert recompute_projections(today=TODAY) == 1
    assert recompute_projections(today=TODAY) == 1  # again: the same row, updated
    projection = AdvanceProjection.objects.get()
    assert (projection.period_start, projection.period_end) == (
        dt.date(2025, 7, 1),
        dt.date(2026, 6, 30),
    )
    assert projection.total_volume == D("36.500")
    assert projection.amount_total == D("4290.72")
    assert (projection.advances_paid, projection.advances_due) == (D("2400.00"), D("1200.00"))
    assert projection.settlement == D("690.72")
    assert projection.suggested_advance == D("360.00")
    assert [line["base"] for line in projection.lines] == ["1840.00", "1991.00"]


def test_an_approved_self_reading_moves_the_projection(
    point, customer, operator, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    recompute_projections()
    before = AdvanceProjection.objects.get().measured_until
    request = self_reading(point, date=dt.date(2026, 2, 20), value="170.000")
    with django_capture_on_commit_callbacks(execute=True):
        approve_request(request, operator)
    after = AdvanceProjection.objects.get()
    assert before is None  # nothing measured in the period yet
    assert after.measured_until == dt.date(2026, 2, 20)
    assert after.measured_volume == D("33.600")


def test_the_import_follow_up_recomputes(point):
    after_import(SimpleNamespace(pk=1, status=SyncRun.Status.SUCCEEDED))
    assert AdvanceProjection.objects.filter(supply_point=point.supply_point).exists()


def test_the_shares_of_the_follow_up_tasks_cover_every_supply_point_once(point, settings):
    others = [f.SupplyPointFactory(customer=point.supply_point.customer) for _ in range(6)]
    everyone = {point.supply_point.pk, *(other.pk for other in others)}
    stored = [recompute_projections(today=TODAY, part=(k, 3)) for k in range(3)]
    assert sum(stored) == len(everyone) and all(stored)  # each share did its part, none twice
    assert set(AdvanceProjection.objects.values_list("supply_point", flat=True)) == everyone

    AdvanceProjection.objects.all().delete()
    settings.PRAMEN_ADVISOR_TASKS = 2  # the import's follow-up queues two tasks (run at once here)
    after_import(SimpleNamespace(pk=2, status=SyncRun.Status.SUCCEEDED))
    assert AdvanceProjection.objects.count() == len(everyone)


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    settings.ZIS_ACKS = tmp_path / "acks"
    return settings.ZIS_OUTBOX


def submit(user: Any, point: Any, amount: str) -> AdvanceChangeRequest:
    return submit_advance_change(user, point.supply_point, amount=amount, token=uuid.uuid4())


@pytest.fixture
def projected(point: Any) -> Any:
    f.ReadingFactory(meter=point, date=dt.date(2026, 2, 28), value=D("160.700"))
    recompute_projections(today=TODAY)
    return point


def test_inside_the_bounds_a_change_is_approved_at_once(projected, customer):
    # Suggestion 360; the default bounds approve from 10 % below it (324) upwards.
    change = submit(customer, projected, "330")
    assert change.status == RequestStatus.APPROVED and change.auto_approved
    assert change.decided_by is None and not change.flagged
    assert (change.current_amount, change.suggested_amount) == (D("300.00"), D("360.00"))
    mail = Notification.objects.get(template="request_approved")
    assert (
        mail.context["kind"] == "advance_change"
        and mail.context["advance_amount"] == "330,00\xa0Kč"
    )
    assert waiting_for_calendar(change)


def test_below_the_bounds_or_over_the_limit_it_waits_for_an_operator(projected, customer, operator):
    low = submit(customer, projected, "250")
    assert low.status == RequestStatus.PENDING and low.flagged
    assert "324,00" in low.flag_reason
    with pytest.raises(RequestRefused):  # one pending per supply point
        submit(customer, projected, "400")
    reject_request(low, operator, "Záloha by nepokryla spotřebu.")
    assert submit(customer, projected, "400").status == RequestStatus.APPROVED
    third = submit(customer, projected, "380")  # a second change in the same period
    assert third.status == RequestStatus.PENDING
    approve_request(third, operator)
    third.refresh_from_db()
    assert third.status == RequestStatus.APPROVED and third.decided_by == operator


def test_bounds_come_from_portal_settings(projected, customer):
    site = Site.objects.get(is_default_site=True)
    PortalSettings.objects.update_or_create(
        site=site,
        defaults={"advance_change_below_percent": D("0"), "advance_change_min_amount": D("500")},
    )
    assert submit(customer, projected, "400").status == RequestStatus.PENDING


def test_bad_amounts_are_refused_in_words(projected, customer):
    for raw, field in (("abc", "amount"), ("0", "amount"), ("12.345", "amount"), ("300", "amount")):
        with pytest.raises(RequestRefused) as refused:
            submit(customer, projected, raw)
        assert refused.value.field == field
    assert not AdvanceChangeRequest.objects.exists()


def test_the_same_form_twice_is_one_request(projected, customer):
    token = uuid.uuid4()
    first = submit_advance_change(customer, projected.supply_point, amount="330", token=token)
    again = submit_advance_change(customer, projected.supply_point, amount="330", token=token)
    assert first.pk == again.pk and AdvanceChangeRequest.objects.count() == 1


def test_an_approved_change_goes_to_zis_and_is_acknowledged(projected, customer, outbox, settings):
    change = submit(customer, projected, "330")
    [batch] = export_approved()
    folder = Path(outbox) / batch.batch_id
    manifest = json.loads((folder / "manifest.json").read_bytes())
    assert manifest["files"]["advance_changes.jsonl"]["records"] == 1
    record = json.loads((folder / "advance_changes.jsonl").read_bytes())
    assert record["request_id"] == f"ad-{change.pk}"
    assert (record["current_amount"], record["new_amount"], record["suggested_amount"]) == (
        "300.00",
        "330.00",
        "360.00",
    )
    assert record["supply_point"] == projected.supply_point.zis_id and record["auto_approved"]
    assert batch.advance_changes == 1
    change.refresh_from_db()
    assert change.status == RequestStatus.SENT

    drop_ack(Path(settings.ZIS_ACKS), ack_document(batch.batch_id, [f"ad-{change.pk}"]))
    [result] = pickup_acks()
    assert result.error == ""
    change.refresh_from_db()
    assert change.status == RequestStatus.CONFIRMED
    assert Notification.objects.filter(template="request_confirmed").count() == 1
    assert waiting_for_calendar(change)  # confirmed, but no calendar with 330 yet

    f.AdvanceScheduleFactory(
        customer=projected.supply_point.customer,
        supply_point=projected.supply_point,
        valid_from=dt.date(2026, 4, 1),
        amount=D("330.00"),
        zis_updated_at=change.decided_at + dt.timedelta(hours=1),
    )
    assert not waiting_for_calendar(change)


def test_zis_may_refuse_a_change(projected, customer, outbox, settings):
    change = submit(customer, projected, "330")
    [batch] = export_approved()
    drop_ack(
        Path(settings.ZIS_ACKS),
        ack_document(batch.batch_id, [], [(f"ad-{change.pk}", "Odběrné místo je ve výpovědi.")]),
    )
    pickup_acks()
    change.refresh_from_db()
    assert change.status == RequestStatus.REJECTED
    assert change.rejection_reason == "Odběrné místo je ve výpovědi."
    assert not waiting_for_calendar(change)


def test_the_outbound_example_for_zis_vendors_follows_the_records():
    from zis.outbound.records import Ack, OutboundAdvanceChange, OutboundManifest

    folder = Path(__file__).resolve().parents[2] / "zis" / "examples" / "outbound-1.1"
    manifest = OutboundManifest.model_validate_json((folder / "manifest.json").read_bytes())
    for name, entry in manifest.files.items():
        data = (folder / name).read_bytes()
        assert entry.records == data.count(b"\n")
    [line] = (folder / "advance_changes.jsonl").read_bytes().splitlines()
    record = OutboundAdvanceChange.model_validate_json(line)
    assert record.request_id == "ad-5" and record.auto_approved
    ack = Ack.model_validate_json((folder / f"{manifest.batch_id}.ack.json").read_bytes())
    assert ack.accepted == [record.request_id]


def test_a_change_not_yet_sent_is_withdrawn_when_zis_removes_the_supply_point(projected, customer):
    from portal.requests.services.withdrawal import close_for_removed

    change = submit(customer, projected, "330")
    close_for_removed(meter_pks=[projected.pk], batch_id="batch-9")
    change.refresh_from_db()
    assert change.status == RequestStatus.WITHDRAWN
    assert Notification.objects.filter(template="request_withdrawn").count() == 1
