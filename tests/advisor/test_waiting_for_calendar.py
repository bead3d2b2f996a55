"""Waiting for the new payment calendar, on the advances page and the advisor page: it lasts as
long as ZIS has not sent a calendar with the approved amount, whatever happens to later changes,
and a real import of that calendar ends it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from portal.models import AdvanceChangeRequest, AdvanceProjection, Customer, RequestStatus
from portal.requests.services.decisions import reject_request
from tests.factories.accounts import client_for
from tests.factories.zis import refresh_manifest, write_json
from tests.portal_pages.test_query_counts import MAX_QUERIES
from tests.support.pages import main_text as text
from tests.support.pages import sub
from zis.importer import import_batch
from zis.models import SyncRun

pytestmark = pytest.mark.django_db

WAITING_BADGE = "čeká na nový platební kalendář"
PENDING_BADGE = "změna čeká na rozhodnutí"
WAITING_NOTICE = "Čekáme na nový platební kalendář"
PENDING_NOTICE = "Změna čeká na vyřízení"


@pytest.fixture
def customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100001")


def czk(amount: Decimal) -> str:
    """An amount as `text` reads it from a page (360,00 Kč)."""
    return f"{amount:.2f}".replace(".", ",") + " Kč"


class Pages:
    """Jana's advances page and the advisor page of her supply point OM-000001."""

    def __init__(self, portal, customer) -> None:
        self.projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
        self.client = client_for(customer)
        self.advances_url = sub(portal.invoices, "advances")
        self.advisor_url = sub(
            portal.invoices, "advance_change", supply_point_pk=self.projection.supply_point_id
        )

    def advances(self) -> str:
        return text(self.client.get(self.advances_url))

    def advisor(self) -> str:
        return text(self.client.get(self.advisor_url))

    def ask_for(self, amount: Decimal) -> AdvanceChangeRequest:
        form = lxml_html.fromstring(self.client.get(self.advisor_url).content)
        token = form.xpath("//input[@name='token']/@value")[0]
        answer = self.client.post(
            self.advisor_url, {"token": token, "amount": f"{amount}".replace(".", ",")}
        )
        assert answer.status_code == 302
        return AdvanceChangeRequest.objects.get(submission_token=token)


def import_calendar(tmp_path: Path, amount: Decimal, updated_at: dt.datetime) -> None:
    """ZIS's delta batch with a new payment calendar of OM-000001 (supply point SP-1), imported
    by the real importer."""
    number = len(list(tmp_path.glob("calendar-*"))) + 1
    folder = tmp_path / f"calendar-{number}"
    folder.mkdir()
    record = {
        "id": f"AS-1-N{number}",
        "updated_at": updated_at.isoformat(),
        "customer": "C-1001",
        "supply_point": "SP-1",
        "valid_from": "2027-01-01",
        "frequency": "monthly",
        "amount": f"{amount:.2f}",
        "variable_symbol": "1000010001",
        "advances": [
            {"id": f"A-1-N{number}", "due_on": "2027-01-15", "amount": f"{amount:.2f}",
             "vat_rate": "12"}
        ],
    }  # fmt: skip
    (folder / "advance_schedules.jsonl").write_text(
        json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_json(folder / "manifest.json", {"format": "pramen-zis", "version": 1})
    refresh_manifest(
        folder, batch_id=f"calendar-{number}", created=updated_at.isoformat(), kind="delta"
    )
    run = import_batch(folder, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report


def test_an_approved_change_keeps_waiting_while_a_later_one_is_decided_and_rejected(
    portal, customer, operator, tmp_path, django_assert_max_num_queries
):
    pages = Pages(portal, customer)
    first = pages.projection.suggested_advance + Decimal(30)
    change_a = pages.ask_for(first)
    assert change_a.status == RequestStatus.APPROVED and change_a.auto_approved
    assert WAITING_BADGE in pages.advances()

    # A second change in the same billing period is over the limit: an operator decides it.
    change_b = pages.ask_for(first + Decimal(40))
    assert change_b.status == RequestStatus.PENDING
    with django_assert_max_num_queries(MAX_QUERIES):  # what the changes mean is not kept yet
        advances = pages.advances()
    with django_assert_max_num_queries(MAX_QUERIES):
        advisor = pages.advisor()
    assert WAITING_BADGE in advances and PENDING_BADGE in advances
    assert WAITING_NOTICE in advisor and PENDING_NOTICE in advisor
    assert f"Vaše nová záloha {czk(first)} je schválená" in advisor
    assert f"Požádali jste o zálohu {czk(first + Decimal(40))}" in advisor

    reject_request(change_b, operator, "Záloha by byla zbytečně vysoká.")
    advances, advisor = pages.advances(), pages.advisor()
    assert WAITING_BADGE in advances and PENDING_BADGE not in advances
    assert WAITING_NOTICE in advisor and PENDING_NOTICE not in advisor
    assert f"Vaše nová záloha {czk(first)} je schválená" in advisor

    # A calendar with the amount of the rejected change does not end A's waiting.
    change_a.refresh_from_db()
    later = change_a.decided_at + dt.timedelta(minutes=5)
    import_calendar(tmp_path, first + Decimal(40), later)
    assert WAITING_BADGE in pages.advances()

    import_calendar(tmp_path, first, later + dt.timedelta(minutes=5))
    assert WAITING_BADGE not in pages.advances()
    assert WAITING_NOTICE not in pages.advisor()


def test_the_import_of_the_new_calendar_ends_the_waiting(portal, customer, tmp_path):
    pages = Pages(portal, customer)
    amount = pages.projection.suggested_advance + Decimal(50)
    change = pages.ask_for(amount)
    assert WAITING_BADGE in pages.advances()

    # A calendar with the amount that ZIS changed before the approval is not the answer to it.
    import_calendar(tmp_path, amount, change.decided_at - dt.timedelta(hours=1))
    assert WAITING_BADGE in pages.advances()

    import_calendar(tmp_path, amount, timezone.now() + dt.timedelta(minutes=1))
    page = pages.advances()
    assert WAITING_BADGE not in page
    assert czk(amount) in page  # the new calendar is listed with its advance
