"""The operators' queue of advance changes (Požadavky → Změny záloh): a change outside the
utility's bounds waits there, the operator inspects it and approves it (the customer's e-mail
goes through the notification outbox, the change into the next outbound batch for ZIS) or
rejects it with a reason; a change approved at once is listed as approved automatically."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from portal.models import AdvanceChangeRequest, Notification, RequestStatus
from portal.notifications.services import render_notification
from portal.requests.services.advance_change import projection_of, submit_advance_change
from tests.factories import billing as f
from zis.outbound.export import export_approved

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def rows(response) -> list[str]:
    """The queue's rows as text, in order."""
    listing = response.content.decode().split('id="listing-results"', 1)[1]
    body = listing.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr")[1:]
    ]


def ask_for(household, amount: Decimal) -> AdvanceChangeRequest:
    return submit_advance_change(
        household.user, household.supply_point, amount=amount, token=uuid.uuid4()
    )


@pytest.fixture
def suggested(household) -> Decimal:
    """The advisor's suggestion for the household's supply point OM-300100 (vodné and stočné
    100 Kč per m³)."""
    tariff = f.TariffFactory()
    household.supply_point.tariff = tariff
    household.supply_point.save(update_fields=["tariff"])
    f.TariffPriceFactory(
        tariff=tariff,
        valid_from=dt.date(2025, 1, 1),
        water_price=Decimal("55.00"),
        sewage_price=Decimal("45.00"),
    )
    amount = projection_of(household.supply_point).suggested_advance
    assert amount > Decimal(100)
    return amount


@pytest.fixture
def low_change(household) -> AdvanceChangeRequest:
    """50 Kč, below the lowest advance approved at once (100 Kč by default): for an operator."""
    change = ask_for(household, Decimal("50"))
    assert change.status == RequestStatus.PENDING and change.flagged
    return change


def test_the_operator_sees_the_pending_change_in_the_queue_and_inspects_it(
    operator_client, low_change
):
    queue = operator_client.get(reverse("advance-changes:index"))
    page = text(queue)
    assert "Změny záloh" in page
    [row] = rows(queue)
    assert "300100 Jana Nováková" in row and "OM-300100" in row
    assert "50,00 Kč" in row and "čeká" in row.lower()
    assert reverse("advance-changes:approve", args=[low_change.pk]) in queue.content.decode()

    inspect = text(operator_client.get(reverse("advance-changes:inspect", args=[low_change.pk])))
    assert "OM-300100" in inspect
    assert "Požadovaná záloha 50,00 Kč" in inspect
    assert f"Navrhovaná záloha {low_change.suggested_amount:.2f}".replace(".", ",") in inspect
    assert "nejnižší zálohou schválenou hned" in inspect  # why it is in the queue
    assert "Schválit" in inspect and "Zamítnout" in inspect


def test_approving_queues_the_e_mail_and_sends_the_change_to_zis(
    operator_client, operator, low_change, settings, tmp_path
):
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    url = reverse("advance-changes:approve", args=[low_change.pk])
    asked = operator_client.get(url)
    assert asked.status_code == 200  # asks first, naming the change in Czech
    assert "odběrné místo OM-300100: nová záloha 50,00" in text(asked)
    assert operator_client.post(url).status_code == 302

    low_change.refresh_from_db()
    assert low_change.status == RequestStatus.APPROVED and low_change.decided_by == operator
    assert not low_change.auto_approved
    [row] = rows(operator_client.get(reverse("advance-changes:index")))
    assert "schváleno" in row and "Olga Operátorová" in row  # who decided, in the queue
    assert "schváleno automaticky" not in row
    [mail] = Notification.objects.all()
    assert (mail.recipient, mail.template, mail.status) == (
        "jana.novakova@example.cz",
        "request_approved",
        Notification.Status.QUEUED,
    )
    assert mail.context["kind"] == "advance_change"
    assert mail.context["advance_amount"] == "50,00\xa0Kč"

    [batch] = export_approved()
    records = (Path(settings.ZIS_OUTBOX) / batch.batch_id / "advance_changes.jsonl").read_text()
    [record] = [json.loads(line) for line in records.splitlines()]
    assert record["request_id"] == f"ad-{low_change.pk}"
    assert record["new_amount"] == "50.00" and not record["auto_approved"]
    low_change.refresh_from_db()
    assert low_change.status == RequestStatus.SENT


def test_rejecting_with_a_reason_tells_the_customer_in_czech(operator_client, operator, low_change):
    url = reverse("advance-changes:reject", args=[low_change.pk])
    response = operator_client.post(url, {"reason": "Záloha by nepokryla spotřebu."})
    assert response.status_code == 302

    low_change.refresh_from_db()
    assert low_change.status == RequestStatus.REJECTED and low_change.decided_by == operator
    [mail] = Notification.objects.all()
    assert mail.template == "request_rejected" and mail.recipient == "jana.novakova@example.cz"
    email = render_notification(mail)
    assert "Váš požadavek na novou zálohu nebyl přijat" in email.subject
    assert "Váš požadavek na novou zálohu jsme nemohli přijmout." in email.text
    assert "Důvod: Záloha by nepokryla spotřebu." in email.text
    page = text(operator_client.get(reverse("advance-changes:inspect", args=[low_change.pk])))
    assert "Záloha by nepokryla spotřebu." in page
    assert not export_approved()  # nothing for ZIS


def test_a_change_approved_at_once_is_shown_as_approved_automatically(
    operator_client, household, suggested
):
    change = ask_for(household, suggested + Decimal(10))
    assert change.status == RequestStatus.APPROVED and change.auto_approved

    [row] = rows(operator_client.get(reverse("advance-changes:index")))
    assert "schváleno automaticky" in row
    # nothing left to decide: no approve or reject
    inspect = operator_client.get(reverse("advance-changes:inspect", args=[change.pk]))
    assert "Schváleno automaticky ano" in text(inspect)
    assert reverse("advance-changes:approve", args=[change.pk]) not in inspect.content.decode()
