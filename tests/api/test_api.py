"""The personal API: each endpoint as owner, other customer, outsider and with a bad token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from portal.api.models import ApiToken
from tests.api.conftest import token_client
from tests.factories import billing as f

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/customers",
    "/api/v1/supply-points",
    "/api/v1/meters",
    "/api/v1/readings",
    "/api/v1/daily-consumption",
    "/api/v1/invoices",
    "/api/v1/advances",
    "/api/v1/payments",
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def objects(world) -> dict[str, str]:
    return {
        "supply-point": f"/api/v1/supply-points/{world.supply_point.pk}",
        "meter-state": f"/api/v1/meters/{world.meter.pk}/state",
        "invoice": f"/api/v1/invoices/{world.invoice.pk}",
    }


def test_the_owner_reads_every_list_of_their_customer(world, other_world, customer):
    client = token_client(customer)
    ids = {
        "/api/v1/customers": world.customer.pk,
        "/api/v1/supply-points": world.supply_point.pk,
        "/api/v1/meters": world.meter.pk,
        "/api/v1/readings": world.reading.pk,
        "/api/v1/invoices": world.invoice.pk,
        "/api/v1/advances": world.advance.pk,
        "/api/v1/payments": world.payment.pk,
    }
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body["count"] == len(body["items"]) == 1, url
        if url in ids:
            assert body["items"][0]["id"] == ids[url], url
    day = client.get("/api/v1/daily-consumption").json()["items"][0]
    assert day == {
        "meter_id": world.meter.pk,
        "day": "2024-06-01",
        "volume": str(world.daily.volume),
    }


def test_the_owner_reads_their_objects(world, customer):
    client = token_client(customer)
    for name, url in objects(world).items():
        assert client.get(url).status_code == 200, name
    invoice = client.get(objects(world)["invoice"]).json()
    assert invoice["number"] == world.invoice.number
    assert invoice["total"] == str(world.invoice.total)


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_another_customers_objects_are_404_and_never_listed(
    request, persona, world, other_world, outsider
):
    client = token_client(request.getfixturevalue(persona))
    for name, url in objects(other_world).items():
        assert client.get(url).status_code == 404, name
    for url in LISTS:
        items = client.get(url).json()["items"]
        assert other_world.customer.pk not in {item.get("customer_id") for item in items}, url
        if persona == "outsider":
            assert items == [], url


def test_a_token_for_one_customer_reads_only_that_customer(world, customer):
    second = f.CustomerFactory(number="300999", name="Chata Nováková")
    customer.customer_links.create(customer=second)
    other_point = f.SupplyPointFactory(customer=second)
    client = token_client(customer, customer=second)
    points = client.get("/api/v1/supply-points").json()["items"]
    assert [point["id"] for point in points] == [other_point.pk]
    assert client.get(f"/api/v1/supply-points/{world.supply_point.pk}").status_code == 404
    assert client.get("/api/v1/customers").json()["items"][0]["number"] == "300999"
    everything = token_client(customer).get("/api/v1/customers").json()
    assert everything["count"] == 2


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer pramen_not-a-token"}, {"Authorization": "Token abc"}],
    ids=["no token", "unknown token", "other scheme"],
)
def test_without_a_valid_token_every_endpoint_answers_401(world, headers):
    client = Client(headers=headers)
    for url in [*LISTS, *objects(world).values()]:
        assert client.get(url).status_code == 401, url


def test_a_revoked_or_expired_token_is_refused_at_once(world, customer):
    token, secret = ApiToken.issue(customer, "Home Assistant")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/supply-points").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/supply-points").status_code == 401

    expired = token_client(customer, expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert expired.get("/api/v1/supply-points").status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(world, customer):
    client = token_client(customer)
    customer.is_active = False
    customer.save()
    assert client.get("/api/v1/supply-points").status_code == 401


def test_the_last_use_is_recorded(world, customer):
    token, secret = ApiToken.issue(customer, "Home Assistant")
    Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/meters")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_the_rate_limit_is_per_token(world, customer, settings):
    settings.PRAMEN_API_RATE_LIMIT = "3/m"
    first, second = token_client(customer), token_client(customer)
    statuses = [first.get("/api/v1/meters").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert second.get("/api/v1/meters").status_code == 200


def test_lists_are_paginated(world, customer):
    for day in range(2, 8):
        f.ReadingFactory(meter=world.meter, date=dt.date(2024, 1, day))
    client = token_client(customer)
    page = client.get("/api/v1/readings", {"page_size": 3, "page": 2}).json()
    assert page["count"] == 7
    assert len(page["items"]) == 3
    first = client.get("/api/v1/readings", {"page_size": 3}).json()["items"]
    assert not {r["id"] for r in first} & {r["id"] for r in page["items"]}


def test_readings_filter_by_meter_and_date(world, customer):
    f.ReadingFactory(meter=world.meter, date=dt.date(2020, 1, 1))
    client = token_client(customer)
    since = client.get("/api/v1/readings", {"meter": world.meter.pk, "since": "2021-01-01"})
    assert [r["date"] for r in since.json()["items"]] == [world.reading.date.isoformat()]


def test_the_meter_state_gives_the_newest_reading_and_this_months_consumption(world, customer):
    today = timezone.localdate()
    f.ReadingFactory(meter=world.meter, date=today, value="123.456")
    f.DailyConsumptionFactory(meter=world.meter, day=today.replace(day=1), volume="0.250")
    if today.day > 1:
        f.DailyConsumptionFactory(meter=world.meter, day=today, volume="0.125")
    state = token_client(customer).get(f"/api/v1/meters/{world.meter.pk}/state").json()
    assert state["latest_reading"]["value"] == "123.456"
    assert state["latest_reading"]["date"] == today.isoformat()
    assert state["month"] == today.strftime("%Y-%m")
    expected = "0.375" if today.day > 1 else "0.250"
    assert state["month_consumption"] == expected


def test_the_token_never_appears_in_the_logs(world, customer, caplog):
    _token, secret = ApiToken.issue(customer, "Home Assistant")
    with caplog.at_level("DEBUG"):
        Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/meters")
        Client(headers={"Authorization": f"Bearer {secret}x"}).get("/api/v1/meters")
        Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/invoices/999999")
    assert caplog.records  # the 401 and the 404 are logged …
    assert secret not in caplog.text  # … without the token


def test_the_api_only_reads(world, customer):
    client = token_client(customer)
    assert client.post("/api/v1/meters").status_code == 405
    assert client.delete(f"/api/v1/invoices/{world.invoice.pk}").status_code == 405
