"""`make run`'s demo data step: imported once through the importer, with linked demo logins."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.models import (
    AddressChangeRequest,
    Customer,
    CustomerLink,
    Invoice,
    RequestStatus,
    SelfReadingRequest,
)
from zis.models import SyncRun

pytestmark = pytest.mark.django_db


def test_demo_data_is_imported_once_and_demo_logins_are_linked(tmp_path, capsys):
    args = ["--supply-points", "12", "--years", "2", "--seed", "3", "--out", str(tmp_path)]

    call_command("zis_demo_load", *args)
    first_output = capsys.readouterr().out
    customers, invoices = Customer.objects.count(), Invoice.objects.count()
    call_command("zis_demo_load", *args)
    second_output = capsys.readouterr().out

    assert SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED).count() == 1
    assert customers > 1 and invoices > 0
    assert (Customer.objects.count(), Invoice.objects.count()) == (customers, invoices)
    assert "already imported" in second_output
    user = get_user_model().objects.get(email="odberatel@pramenov.example")
    assert user.check_password("pramen-demo")
    assert CustomerLink.objects.filter(user=user).count() == 1
    assert get_user_model().objects.filter(email__endswith="@pramenov.example").count() == 2
    linked = CustomerLink.objects.get(user=user).customer
    assert f"odberatel@pramenov.example / pramen-demo  → {linked.number}" in first_output
    assert f"{linked.number}" in second_output


def test_the_demo_leaves_requests_in_the_operators_queues(tmp_path, capsys):
    args = ["--supply-points", "12", "--years", "2", "--seed", "3", "--out", str(tmp_path)]

    call_command("zis_demo_load", *args)
    output = capsys.readouterr().out
    call_command("zis_demo_load", *args)  # a second run adds nothing

    readings = SelfReadingRequest.objects.filter(status=RequestStatus.PENDING)
    assert readings.count() == 2
    assert readings.filter(flagged=True).count() == 1
    assert readings.get(flagged=True).flag_reason
    change = AddressChangeRequest.objects.get(status=RequestStatus.PENDING)
    assert change.customer.links.get().user.email == "odberatel@pramenov.example"
    assert change.municipality == "Pramenov"
    assert "Demo requests waiting for an operator / požadavky k vyřízení: 3" in output
