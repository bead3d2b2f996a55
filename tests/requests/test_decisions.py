"""Operators' decisions (the service side): approve, reject, bulk approve,
two operators at once, the history log and the customer's e-mail; the ZIS status helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from portal.models import Notification, RequestStatus, SelfReadingRequest
from portal.requests.services.decisions import (
    approve_request,
    bulk_approve,
    mark_confirmed,
    mark_sent,
    queue_decision_email,
    reject_request,
    tracker_path,
)
from portal.requests.services.errors import RequestAlreadyDecided, RequestRefused
from portal.requests.services.submission import submit_address_change, submit_self_reading
from portal.requests.services.tracker import count_open
from tests.factories import billing as f

from .conftest import PLAUSIBLE, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading(customer, household, portal):
    return submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token(), language="en"
    )


def log_entries(obj):
    return list(ModelLogEntry.objects.for_instance(obj).order_by("timestamp"))


def test_approve(reading, operator, customer, household, today):
    approve_request(reading, operator)
    reading.refresh_from_db()
    assert reading.status == RequestStatus.APPROVED
    assert reading.decided_by == operator and reading.decided_at is not None
    [entry] = log_entries(reading)
    assert (entry.action, entry.user_id) == ("pramen.request.approve", operator.pk)
    assert entry.data["status"] == "approved"
    [mail] = Notification.objects.all()
    assert (mail.recipient, mail.template, mail.language) == (
        "jana.novakova@example.cz",
        "request_approved",
        "en",
    )
    assert mail.context["kind"] == "self_reading"
    assert mail.context["meter_serial"] == "SV-1001"
    assert mail.context["reading_value"] == "146.500"
    assert mail.context["reading_date"] == today.isoformat()
    assert mail.context["customer_number"] == "300100"
    assert mail.context["tracker_path"].endswith("/zadosti/")


def test_approving_moves_the_last_approved_reading(reading, operator, customer, household):
    from portal.requests.services.plausibility import last_approved_reading

    approve_request(reading, operator)
    assert last_approved_reading(household.meter).value == PLAUSIBLE


def test_reject_needs_a_reason(reading, operator):
    with pytest.raises(RequestRefused) as caught:
        reject_request(reading, operator, "   ")
    assert caught.value.message == "Uveďte odběrateli důvod zamítnutí."
    reading.refresh_from_db()
    assert reading.status == RequestStatus.PENDING
    assert log_entries(reading) == [] and not Notification.objects.exists()


def test_reject(reading, operator):
    reject_request(reading, operator, "Na fotografii je jiný vodoměr.")
    reading.refresh_from_db()
    assert reading.status == RequestStatus.REJECTED
    assert reading.rejection_reason == "Na fotografii je jiný vodoměr."
    [entry] = log_entries(reading)
    assert entry.action == "pramen.request.reject"
    assert entry.data["reason"] == "Na fotografii je jiný vodoměr."
    [mail] = Notification.objects.all()
    assert mail.template == "request_rejected"
    assert mail.context["reason"] == "Na fotografii je jiný vodoměr."


def test_the_second_operator_gets_a_clear_message(reading, operator, second_operator):
    approve_request(reading.pk, operator, model=SelfReadingRequest)
    with pytest.raises(RequestAlreadyDecided) as caught:
        reject_request(reading.pk, second_operator, "Duplicitní.", model=SelfReadingRequest)
    assert caught.value.message.startswith("Tento požadavek už schválil(a) Olga Operátorová dne ")
    reading.refresh_from_db()
    assert (reading.status, reading.decided_by) == (RequestStatus.APPROVED, operator)
    assert len(log_entries(reading)) == 1
    assert Notification.objects.count() == 1


def test_a_rejected_request_cannot_be_approved(reading, operator, second_operator):
    reject_request(reading, operator, "Nečitelné.")
    with pytest.raises(RequestAlreadyDecided) as caught:
        approve_request(reading, second_operator)
    assert "už zamítl(a) Olga Operátorová" in caught.value.message


def test_bulk_approve_takes_unflagged_pending_only(customer, household, operator, portal, today):
    other_meter = f.MeterFactory(supply_point=household.supply_point, serial_number="SV-1002")
    f.ReadingFactory(meter=other_meter, date=household.last.date, value=Decimal("50.000"))
    plain = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    flagged = submit_self_reading(
        customer, other_meter, date=None, value=Decimal("500"), confirm_unusual=True, token=token()
    )
    assert flagged.flagged
    assert bulk_approve(SelfReadingRequest.objects.all(), operator) == 1
    plain.refresh_from_db()
    flagged.refresh_from_db()
    assert (plain.status, flagged.status) == (RequestStatus.APPROVED, RequestStatus.PENDING)
    assert bulk_approve(SelfReadingRequest.objects.all(), operator) == 0


def test_the_address_change_e_mail(customer, household, operator, portal, today):
    change = submit_address_change(
        customer,
        household.customer,
        street="Zelinářská",
        house_number="515",
        orientation_number="2",
        municipality="Praha",
        postcode="16000",
        effective_date=today,
        token=token(),
    )
    approve_request(change, operator)
    [mail] = Notification.objects.all()
    assert mail.context["kind"] == "address_change"
    assert mail.context["address"] == "Zelinářská 515/2, 160 00 Praha"
    assert mail.context["effective_date"] == today.isoformat()


def test_sent_and_confirmed_and_the_open_count(reading, operator, customer, household):
    assert count_open(customer, household.customer) == 1
    approve_request(reading, operator)
    assert mark_sent([reading], "OUT-0001") == 1
    assert mark_sent([reading], "OUT-0002") == 0  # never exported twice
    reading.refresh_from_db()
    assert (reading.status, reading.outbound_batch_id) == (RequestStatus.SENT, "OUT-0001")
    assert count_open(customer, household.customer) == 1
    assert mark_confirmed("OUT-0001") == 1
    reading.refresh_from_db()
    assert reading.status == RequestStatus.CONFIRMED and reading.confirmed_at is not None
    assert [event.kind for event in reading.timeline()] == [
        "submitted",
        "approved",
        "sent",
        "confirmed",
    ]
    assert count_open(customer, household.customer) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_operators_at_the_same_moment_one_wins(customer, household, operator, second_operator):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the sequential case is tested above")
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name, call):
        barrier.wait()
        try:
            call()
            outcomes[name] = "won"
        except RequestAlreadyDecided as error:
            outcomes[name] = error.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("a", lambda: approve_request(reading, operator))),
        threading.Thread(
            target=decide,
            args=("b", lambda: reject_request(reading, second_operator, "Duplicitní.")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["a", "b"]
    assert list(outcomes.values()).count("won") == 1
    loser = next(message for message in outcomes.values() if message != "won")
    assert loser.startswith("Tento požadavek už ")
    reading.refresh_from_db()
    assert reading.status in (RequestStatus.APPROVED, RequestStatus.REJECTED)
    assert len(log_entries(reading)) == 1
    assert Notification.objects.count() == 1


def test_no_decision_e_mails_when_the_user_turned_them_off(customer, household, operator, portal):
    from portal.accounts.services import update_preferences

    update_preferences(customer, notify_request_decisions=False)
    approved = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    approve_request(approved, operator)
    mark_sent([approved], "OUT-0009")
    mark_confirmed("OUT-0009")
    approved.refresh_from_db()
    queue_decision_email(approved, "request_confirmed")  # as ZIS's acknowledgement does
    other_meter = f.MeterFactory(supply_point=household.supply_point, serial_number="SV-1003")
    rejected = submit_self_reading(customer, other_meter, date=None, value=PLAUSIBLE, token=token())
    reject_request(rejected, operator, "Nečitelné.")

    assert not Notification.objects.exists()
    rejected.refresh_from_db()
    assert rejected.status == RequestStatus.REJECTED  # the decision itself is made and logged
    assert len(log_entries(rejected)) == 1


def test_the_e_mail_uses_the_users_chosen_language(customer, household, operator, portal):
    from portal.accounts.services import update_preferences

    update_preferences(customer, language="en")
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token(), language="cs"
    )
    approve_request(reading, operator)

    [mail] = Notification.objects.all()
    assert mail.language == "en"
    assert mail.context["tracker_path"] == tracker_path("en") != tracker_path("cs"), mail.context


def test_without_a_chosen_language_the_e_mail_uses_the_requests(reading, operator):
    approve_request(reading, operator)  # submitted in English, no preferences saved

    [mail] = Notification.objects.all()
    assert mail.language == "en"


def test_a_request_zis_rejected_names_the_approval_and_zis(reading, operator, second_operator):
    from zis.outbound.acks import reject_by_zis

    approve_request(reading, operator)
    mark_sent([reading], "OUT-0003")
    reading.refresh_from_db()
    reject_by_zis(reading, "Neznámý vodoměr.")
    with pytest.raises(RequestAlreadyDecided) as caught:
        approve_request(reading, second_operator)
    assert caught.value.message.startswith("Tento požadavek schválil(a) Olga Operátorová dne ")
    assert caught.value.message.endswith("a poté ho zamítl fakturační systém.")
