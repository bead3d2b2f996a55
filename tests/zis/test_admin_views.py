"""Operators see ZIS data in the Wagtail admin: sync runs, customers and supply points.

Read-only listings with search and filters, inspect views (logged in the operators' access log),
no add/edit/delete anywhere, and nothing for users without the view permissions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from portal.models import Customer, OperatorAccessLog, SupplyPoint
from portal.wagtail_hooks import CustomersViewSetGroup
from tests.factories import billing as f
from tests.factories.accounts import login_with_mfa
from zis.models import SyncRun

pytestmark = pytest.mark.django_db

LISTINGS = ["customers:index", "supply-points:index", "sync-runs:index"]


@pytest.fixture
def administrator_client(client: Any, administrator: Any) -> Any:
    login_with_mfa(client, administrator)
    return client


def czech(msgid: str) -> str:
    """The admin speaks the site's language (Czech) to operators without a preference."""
    with translation.override("cs"):
        return translation.gettext(msgid)


def rows(html: str) -> str:
    """The listing's table body (so headers and filters do not count as matches)."""
    match = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    return match.group(1) if match else ""


def search(client: Any, url_name: str, query: str) -> str:
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    return rows(response.content.decode())


# --- customers -----------------------------------------------------------------------------------


def test_the_customer_listing_shows_every_customer(administrator_client, imported):
    response = administrator_client.get(reverse("customers:index"))
    html = rows(response.content.decode())
    assert response.status_code == 200
    for name in ("Jana Nováková", "Pekárna U Mlýna s.r.o.", "Petr Svoboda"):
        assert name in html


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("100002", "Pekárna U Mlýna", "Jana Nováková"),  # customer number
        ("svoboda", "Petr Svoboda", "Pekárna U Mlýna"),  # name, any case
        ("Zelinářská 515/2", "Jana Nováková", "Petr Svoboda"),  # street and numbers
        ("Hradec Králové", "Pekárna U Mlýna", "Jana Nováková"),  # municipality
        ("74766", "Petr Svoboda", "Jana Nováková"),  # postcode
    ],
)
def test_customers_are_found_by_number_name_and_address(
    administrator_client, imported, query, found, not_found
):
    html = search(administrator_client, "customers:index", query)
    assert found in html and not_found not in html


def test_a_search_without_match_finds_nothing(administrator_client, imported):
    assert "Nováková" not in search(administrator_client, "customers:index", "Zelinářská 999")


def test_the_customer_detail_shows_supply_points_and_meters_and_is_logged(
    operator_client, operator, imported
):
    customer = Customer.objects.get(number="100001")
    response = operator_client.get(reverse("customers:inspect", args=[customer.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Jana Nováková" in html and "jana.novakova@example.cz" in html
    assert "Zelinářská 515/2" in html  # the mailing address, formatted
    assert (
        "OM-000001" in html
        and reverse("supply-points:inspect", args=[customer.supply_points.get().pk]) in html
    )
    assert "SE-18-004211" in html and "DI-24-000117" in html  # both meters, the old one too
    entry = OperatorAccessLog.objects.get()
    assert (entry.user, entry.customer) == (operator, customer)
    assert entry.view_name == "customers:inspect"


# --- supply points -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("OM-000003", "OM-000003", "OM-000001"),  # number
        ("Mlýnská 1024", "OM-000002", "OM-000003"),  # address
        ("dolní lhota", "OM-000003", "OM-000002"),  # municipality, any case
        ("Nováková", "OM-000001", "OM-000002"),  # customer's name
        ("100002", "OM-000002", "OM-000001"),  # customer's number
    ],
)
def test_supply_points_are_found_by_number_address_and_customer(
    administrator_client, imported, query, found, not_found
):
    html = search(administrator_client, "supply-points:index", query)
    assert found in html and not_found not in html


def test_the_supply_point_detail_shows_meters_and_latest_readings_and_is_logged(
    operator_client, operator, imported
):
    point = SupplyPoint.objects.get(number="OM-000001")
    response = operator_client.get(reverse("supply-points:inspect", args=[point.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert (
        "Jana Nováková" in html and reverse("customers:inspect", args=[point.customer.pk]) in html
    )
    assert "SE-18-004211" in html and "DI-24-000117" in html
    assert "45,125" in html and "31.\xa012.\xa02024" in html  # the remote reading of the new meter
    assert "150,250" in html  # the final reading of the replaced meter
    entry = OperatorAccessLog.objects.get()
    assert (entry.user, entry.customer, entry.view_name) == (
        operator,
        point.customer,
        "supply-points:inspect",
    )


def test_listings_need_a_fixed_number_of_queries(
    administrator_client, imported, django_assert_max_num_queries
):
    for number in range(30):
        point = f.SupplyPointFactory(customer=f.CustomerFactory(), number=f"OM-9{number:05d}")
        f.MeterFactory(supply_point=point)
    for url_name in LISTINGS:
        with django_assert_max_num_queries(25):
            assert administrator_client.get(reverse(url_name)).status_code == 200


# --- sync runs -----------------------------------------------------------------------------------


@pytest.fixture
def rejected_run(db: None) -> SyncRun:
    run = SyncRun.objects.create(
        batch_id="2025-02-01-delta-0007",
        kind=SyncRun.Kind.DELTA,
        source=SyncRun.Source.HTTP,
        status=SyncRun.Status.REJECTED,
        duration=dt.timedelta(seconds=75),
        errors=[
            {
                "file": "payments.jsonl",
                "line": 3,
                "field": "invoice",
                "message": "unknown invoices id 'F-2025-0009'",
            }
        ],
        report="Batch 2025-02-01-delta-0007 (delta): rejected in 75.0 s; 1 errors.\n",
    )
    run.finished_at = run.started_at + run.duration
    run.save()
    return run


def test_the_sync_run_listing_shows_runs_and_filters_them(
    administrator_client, imported, rejected_run
):
    url = reverse("sync-runs:index")
    html = rows(administrator_client.get(url).content.decode())
    assert imported.batch_id in html and rejected_run.batch_id in html

    for query in (
        {"status": "rejected"},
        {"kind": "delta"},
        {"source": "http"},
        {"batch_id": "delta-0007"},
        {"duration_min": "60"},
        {"q": "delta-0007"},
    ):
        html = rows(administrator_client.get(url, query).content.decode())
        assert rejected_run.batch_id in html and imported.batch_id not in html, query

    today = dt.date.today()
    html = rows(
        administrator_client.get(
            url, {"started_at_from": today - dt.timedelta(days=3)}
        ).content.decode()
    )
    assert imported.batch_id in html
    html = rows(
        administrator_client.get(
            url, {"started_at_to": today - dt.timedelta(days=3)}
        ).content.decode()
    )
    assert imported.batch_id not in html and rejected_run.batch_id not in html


def test_the_sync_run_detail_shows_counts_per_entity(administrator_client, imported):
    response = administrator_client.get(reverse("sync-runs:inspect", args=[imported.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    row = re.search(r"<th scope=\"row\">customers</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["3", "0", "0", "0"]
    assert "readings" in html and czech("No errors.") in html


def test_the_sync_run_detail_shows_the_error_report(administrator_client, rejected_run):
    html = administrator_client.get(
        reverse("sync-runs:inspect", args=[rejected_run.pk])
    ).content.decode()
    assert "payments.jsonl" in html and "unknown invoices id &#x27;F-2025-0009&#x27;" in html
    assert "1 min 15 s" in html
    assert czech("Nothing was applied from this batch.") in html


# --- read-only and permissions -------------------------------------------------------------------


@pytest.mark.parametrize("namespace", ["customers", "supply-points", "sync-runs"])
def test_there_is_no_add_edit_or_delete(administrator_client, imported, namespace):
    for view in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"{namespace}:{view}", args=[] if view == "add" else [1])
    listing = administrator_client.get(reverse(f"{namespace}:index")).content.decode()
    prefix = reverse(f"{namespace}:index")
    assert f'href="{prefix}new/' not in listing and f"{prefix}edit/" not in listing
    assert f"{prefix}delete/" not in listing and f"{prefix}inspect/" in listing
    assert administrator_client.get(f"{prefix}new/").status_code == 404
    assert administrator_client.get(f"{prefix}edit/1/").status_code == 404
    assert administrator_client.post(f"{prefix}delete/1/").status_code == 404


def test_only_the_view_permission_is_offered_to_groups():
    viewsets = [*CustomersViewSetGroup().registerables]
    codenames = {
        permission.codename
        for viewset in viewsets
        for permission in viewset.get_permissions_to_register()
    }
    assert codenames == {"view_customer", "view_supplypoint"}


def test_operators_with_view_permissions_see_the_menu(operator_client):
    html = operator_client.get(reverse("wagtailadmin_home")).content.decode()
    for url_name in LISTINGS:
        assert reverse(url_name) in html
        assert operator_client.get(reverse(url_name)).status_code == 200


def test_staff_without_the_permissions_are_refused(client, editor, imported):
    login_with_mfa(client, editor)
    customer = Customer.objects.get(number="100001")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for url_name in LISTINGS:
        assert reverse(url_name) not in home
        assert client.get(reverse(url_name)).status_code == 302
    assert client.get(reverse("customers:inspect", args=[customer.pk])).status_code == 302
    assert not OperatorAccessLog.objects.exists()


def test_a_non_staff_user_is_refused(client, imported, customer):
    client.force_login(customer)
    recorded = Customer.objects.get(number="100001")
    for url in [
        *(reverse(name) for name in LISTINGS),
        reverse("customers:inspect", args=[recorded.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "Nováková" not in response.content.decode()
    client.logout()
    assert client.get(reverse("customers:index")).status_code == 302
    assert not OperatorAccessLog.objects.exists()


def test_the_sync_run_detail_shows_a_running_import_s_progress(administrator_client):
    run = SyncRun.objects.create(
        batch_id="full-2026-11-01",
        kind=SyncRun.Kind.FULL,
        stage=SyncRun.Stage.APPLYING,
        progress_done=150,
        progress_total=600,
        progress_at=dt.datetime(2026, 11, 1, 2, 10, 5, tzinfo=dt.UTC),
    )
    html = administrator_client.get(reverse("sync-runs:inspect", args=[run.pk])).content.decode()
    with translation.override("cs"):
        stage = str(SyncRun.Stage.APPLYING.label)
        assert translation.gettext(stage) in html
        of = translation.gettext("%(done)s of %(total)s records") % {"done": 150, "total": 600}
    assert czech("Progress") in html
    assert of in html and "(25 %)" in html
    assert '<progress max="600" value="150"' in html


def test_a_finished_run_shows_no_progress(administrator_client, imported):
    html = administrator_client.get(
        reverse("sync-runs:inspect", args=[imported.pk])
    ).content.decode()
    assert "<progress" not in html and 'id="sync-run-progress"' not in html
