"""The "Download my data" ZIP: the user's account and linked customers, nobody else's."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from portal.accounts.export import exported_models
from portal.accounts.services import export_user_data
from portal.models import AccountProfile, ActivationCode, LinkAttempt

pytestmark = pytest.mark.django_db

ENTITIES = {
    "customer",
    "supply_point",
    "meter",
    "reading",
    "daily_consumption",
    "invoice",
    "invoice_line",
    "vat_summary_line",
    "advance_schedule",
    "advance",
    "payment",
    "rainwater_assessment",
    "customer_link",
    "link_attempt",
    "account_profile",
}


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_zip_holds_the_users_data_as_json_and_csv(world, other_world, customer):
    AccountProfile.objects.create(user=customer, language="en")
    LinkAttempt.objects.create(user=customer, customer_number="300100", outcome="wrong")
    files = unzip(export_user_data(customer))

    assert {f"json/{name}.json" for name in ENTITIES} <= set(files)
    assert {f"csv/{name}.csv" for name in ENTITIES} <= set(files)
    account = json.loads(files["account.json"])
    assert account["user"]["email"] == "jana.novakova@example.cz"
    assert account["email_addresses"] == [
        {"email": "jana.novakova@example.cz", "verified": True, "primary": True}
    ]
    for name, record in {
        "customer": world.customer,
        "supply_point": world.supply_point,
        "meter": world.meter,
        "reading": world.reading,
        "daily_consumption": world.daily,
        "invoice": world.invoice,
        "invoice_line": world.invoice_line,
        "advance_schedule": world.schedule,
        "advance": world.advance,
        "payment": world.payment,
        "rainwater_assessment": world.rainwater,
    }.items():
        rows = json.loads(files[f"json/{name}.json"])
        assert [row["id"] for row in rows] == [record.pk], name
        table = list(csv.DictReader(io.StringIO(files[f"csv/{name}.csv"])))
        assert [row["id"] for row in table] == [str(record.pk)], name
    exported = json.loads(files["json/customer.json"])[0]
    assert exported["name"] == "Jana Nováková" and exported["number"] == "300100"
    invoice = json.loads(files["json/invoice.json"])[0]
    assert invoice["total"] == "1120.00"
    assert json.loads(files["json/account_profile.json"])[0]["language"] == "en"


def test_the_zip_holds_nothing_of_another_customer(world, other_world, customer):
    blob = export_user_data(customer)
    text = "\n".join(unzip(blob).values())
    assert "Petr Svoboda" not in text and "300200" not in text
    assert other_world.invoice.number not in text
    assert other_world.supply_point.number not in text
    assert "petr.svoboda@example.cz" not in text


def test_secrets_are_never_exported(world, customer):
    ActivationCode.objects.create(customer=world.customer, code_hash="sha256$salt$digest")
    text = "\n".join(unzip(export_user_data(customer)).values())
    assert "sha256$" not in text
    assert customer.password not in text
    assert ActivationCode not in exported_models()


def test_an_outsider_gets_only_their_account(world, outsider):
    files = unzip(export_user_data(outsider))
    assert json.loads(files["json/customer.json"]) == []
    assert "Jana" not in "\n".join(files.values())


def test_the_download_is_a_private_zip(client, world, customer):
    client.force_login(customer)
    assert client.get(reverse("portal-account:export-data")).status_code == 200
    response = client.post(reverse("portal-account:export-data"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="moje-data-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "json/customer.json" in unzip(response.content)


def test_the_export_reads_in_a_bounded_number_of_queries(
    world, customer, django_assert_max_num_queries
):
    with django_assert_max_num_queries(len(exported_models()) + 4):
        export_user_data(customer)
