"""ZIS removes a customer or a meter that portal rows refer to: the import succeeds and the portal
closes what depended on it (requests, customer links), in the import's transaction.

Run on SQLite and PostgreSQL (``DATABASE_URL``): the removal goes through foreign keys that the
two databases enforce differently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.models import (
    AddressChangeRequest,
    Customer,
    CustomerLink,
    Meter,
    Notification,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.services.decisions import approve_request
from portal.requests.services.errors import RequestAlreadyDecided
from tests.factories.accounts import CustomerLinkFactory, UserFactory
from tests.factories.requests import address_change, approved_self_reading, self_reading
from tests.factories.zis import copy_batch, refresh_manifest
from zis.importer import import_batch
from zis.models import SyncRun

# Customer 100003 Petr Svoboda (C-1003) has supply point OM-000003 (SP-3) with meter MA-19-000042
# (M-4), whose readings are, and payment P-3.
CUSTOMER_C1003 = {"C-1003", "SP-3", "M-4", "R-7", "R-8", "P-3"}
# Meter SE-18-004211 (M-1) of customer 100001 was replaced; its readings are.
METER_M1 = {"M-1", "R-1", "R-2"}


def full_batch_without(tmp_path: Path, ids: set[str], name: str = "later") -> Path:
    """The recorded full batch as ZIS sends it later, without the records `ids`."""
    (tmp_path / name).mkdir()
    folder = copy_batch("batch_full_v1", tmp_path / name)
    for path in folder.glob("*.jsonl"):
        kept = [line for line in path.read_text().splitlines() if json.loads(line)["id"] not in ids]
        path.write_text("".join(f"{line}\n" for line in kept))
    refresh_manifest(folder, batch_id=f"2025-02-01-full-{name}", created="2025-02-01T08:00:00Z")
    return folder


@pytest.fixture
def petr(imported):
    """Petr Svoboda's portal account, linked to customer 100003, and his requests in every state."""
    user = UserFactory(email="petr@example.cz", first_name="Petr", last_name="Svoboda")
    customer = Customer.objects.get(zis_id="C-1003")
    CustomerLinkFactory(user=user, customer=customer)
    meter = Meter.objects.get(zis_id="M-4")
    return {
        "user": user,
        "pending": self_reading(meter, submitted_by=user),
        "approved": approved_self_reading(meter, submitted_by=user),
        "sent": self_reading(meter, submitted_by=user, status=RequestStatus.SENT),
        "rejected": address_change(
            customer, submitted_by=user, status=RequestStatus.REJECTED, rejection_reason="Ne."
        ),
        "address_pending": address_change(customer, submitted_by=user),
    }


def reload(obj):
    obj.refresh_from_db()
    return obj


def assert_closed(petr) -> None:
    for key in ("pending", "approved", "address_pending"):
        obj = reload(petr[key])
        assert obj.status == RequestStatus.WITHDRAWN, key
        assert obj.withdrawn_at is not None and obj.customer is None
    sent, rejected = reload(petr["sent"]), reload(petr["rejected"])
    assert (sent.status, rejected.status) == (RequestStatus.SENT, RequestStatus.REJECTED)
    # What identifies each request is kept, although ZIS's rows are gone.
    assert (sent.customer_number, sent.customer_name) == ("100003", "Petr Svoboda")
    assert (sent.meter_serial, sent.supply_point_number) == ("MA-19-000042", "OM-000003")
    assert sent.meter is None and "42" in sent.supply_point_address
    assert rejected.customer_number == "100003"
    [link] = CustomerLink.objects.filter(user=petr["user"])
    assert link.ended_at is not None and link.customer is None
    assert link.end_reason == CustomerLink.EndReason.REMOVED_IN_ZIS
    assert link.customer_number == "100003"
    assert not CustomerLink.objects.for_user(petr["user"]).exists()
    mails = Notification.objects.filter(template="request_withdrawn")
    assert sorted(mail.recipient for mail in mails) == ["petr@example.cz"] * 3


def test_a_full_batch_removes_a_customer_with_requests_and_a_linked_user(petr, tmp_path):
    run = import_batch(full_batch_without(tmp_path, CUSTOMER_C1003))

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert run.counts["customers"]["deleted"] == 1 and run.counts["meters"]["deleted"] == 1
    assert not Customer.objects.filter(zis_id="C-1003").exists()
    assert_closed(petr)
    closed = {(item["id"], item["outcome"]) for item in run.closed}
    assert closed == {
        (f"sr-{petr['pending'].pk}", "withdrawn"),
        (f"sr-{petr['approved'].pk}", "withdrawn"),
        (f"sr-{petr['sent'].pk}", "kept (sent)"),
        (f"ac-{petr['rejected'].pk}", "kept (rejected)"),
        (f"ac-{petr['address_pending'].pk}", "withdrawn"),
        (f"link-{CustomerLink.objects.get(user=petr['user']).pk}", "ended"),
    }
    assert "Closed in the portal because ZIS removed what they refer to:" in run.report
    assert f"sr-{petr['pending'].pk} (customer 100003, MA-19-000042): withdrawn" in run.report


def test_later_full_batches_import_too(petr, tmp_path):
    assert import_batch(full_batch_without(tmp_path, CUSTOMER_C1003)).status == "succeeded"
    again = import_batch(full_batch_without(tmp_path, CUSTOMER_C1003, name="next"))
    assert again.status == SyncRun.Status.SUCCEEDED, again.report
    assert again.closed == []


def test_a_delta_deleting_the_customer_closes_the_same(petr, delta_batch):
    run = import_batch(delta_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    assert_closed(petr)
    assert {item["outcome"] for item in run.closed} == {
        "withdrawn",
        "kept (sent)",
        "ended",
        "kept (rejected)",
    }


def test_a_removed_meter_withdraws_its_open_readings_and_keeps_the_customer_link(
    imported, tmp_path, customer
):
    meter = Meter.objects.get(zis_id="M-1")
    jana = Customer.objects.get(zis_id="C-1001")
    CustomerLinkFactory(user=customer, customer=jana)
    pending = self_reading(meter, submitted_by=customer)
    confirmed = self_reading(meter, submitted_by=customer, status=RequestStatus.CONFIRMED)

    run = import_batch(full_batch_without(tmp_path, METER_M1))

    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    pending, confirmed = reload(pending), reload(confirmed)
    assert pending.status == RequestStatus.WITHDRAWN and pending.customer == jana
    assert confirmed.status == RequestStatus.CONFIRMED and confirmed.meter is None
    assert confirmed.meter_serial == "SE-18-004211" and confirmed.supply_point_number == "OM-000001"
    assert CustomerLink.objects.for_user(customer).filter(customer=jana).exists()
    assert [event.kind for event in pending.timeline()] == ["submitted", "withdrawn"]


def test_an_operator_cannot_approve_a_withdrawn_request(petr, tmp_path, operator):
    import_batch(full_batch_without(tmp_path, CUSTOMER_C1003))
    with pytest.raises(RequestAlreadyDecided) as raised:
        approve_request(petr["pending"].pk, operator, model=SelfReadingRequest)
    assert raised.value.request.status == RequestStatus.WITHDRAWN
    assert "byl stažen" in raised.value.message


def test_a_rejected_batch_closes_nothing(petr, tmp_path):
    folder = full_batch_without(tmp_path, CUSTOMER_C1003)
    (folder / "readings.jsonl").write_text("{}\n" + (folder / "readings.jsonl").read_text())
    refresh_manifest(folder)

    assert import_batch(folder).status == SyncRun.Status.REJECTED
    assert reload(petr["pending"]).status == RequestStatus.PENDING
    assert CustomerLink.objects.for_user(petr["user"]).count() == 1
    assert not Notification.objects.exists()


def test_the_user_is_told_once_on_the_next_visit(petr, tmp_path, client, portal):
    import_batch(full_batch_without(tmp_path, CUSTOMER_C1003))
    client.force_login(petr["user"])

    first = client.get(portal.home.url).content.decode()
    second = client.get(portal.home.url).content.decode()

    assert "Odběratel 100003 (Petr Svoboda) už není propojen s vaším účtem" in first
    assert "100003" not in second


def test_the_tracker_reads_right_after_the_meter_is_gone(imported, tmp_path, customer, portal):
    jana = Customer.objects.get(zis_id="C-1001")
    CustomerLinkFactory(user=customer, customer=jana)
    sent = self_reading(Meter.objects.get(zis_id="M-1"), submitted_by=customer, status="sent")
    import_batch(full_batch_without(tmp_path, METER_M1))

    from django.test import Client

    client = Client()
    client.force_login(customer)
    page = client.get(portal.details.url + portal.details.reverse_subpage("requests"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "SE-18-004211" in text and "OM-000001" in text
    assert reload(sent).status == RequestStatus.SENT


def test_address_changes_of_removed_customers_are_listed_for_operators(petr, tmp_path):
    import_batch(full_batch_without(tmp_path, CUSTOMER_C1003))
    withdrawn = AddressChangeRequest.objects.get(pk=petr["address_pending"].pk)
    assert withdrawn.customer_label == "100003 Petr Svoboda"
    assert str(withdrawn).startswith("100003:")


def test_operators_see_the_ended_link_in_the_admin(petr, tmp_path, operator_client):
    from django.urls import reverse

    import_batch(full_batch_without(tmp_path, CUSTOMER_C1003))
    link = CustomerLink.objects.get(user=petr["user"])

    listing = operator_client.get(reverse("customer-links:index")).content.decode()
    detail = operator_client.get(reverse("customer-links:inspect", args=[link.pk]))

    assert "100003 Petr Svoboda" in listing
    assert detail.status_code == 200
    assert "odběratel už není ve fakturačním systému" in detail.content.decode()
