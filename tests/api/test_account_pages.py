"""My account → Personal API and calendar: tokens shown once, stored hashed, revoked at once."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import export_user_data
from portal.api.models import ApiToken, CalendarFeed, hash_secret
from tests.factories.accounts import client_for

pytestmark = pytest.mark.django_db

PAGE = "/ucet/api/"


def test_my_account_links_to_the_page(customer):
    body = client_for(customer).get(reverse("portal-account:overview")).content.decode()
    assert f'href="{PAGE}"' in body


def test_a_new_token_is_shown_once_and_stored_hashed(world, customer):
    cache.clear()
    client = client_for(customer)
    response = client.post(PAGE, {"name": "Home Assistant", "customer": ""})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("pramen_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=customer)
    assert token.name == "Home Assistant" and token.customer is None
    assert token.token_hash == hash_secret(secret) and secret not in token.token_hash
    # the list shows the name and the beginning, never the whole token again
    again = client.get(PAGE).content.decode()
    assert "Home Assistant" in again and secret not in again
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/supply-points").json()["count"] == 1


def test_a_token_for_one_customer_with_an_expiry(world, customer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client_for(customer).post(
        PAGE, {"name": "Chata", "customer": str(world.customer.pk), "expires_on": tomorrow}
    )
    token = ApiToken.objects.get(user=customer)
    assert token.customer == world.customer
    assert timezone.localtime(token.expires_at).date() == tomorrow + dt.timedelta(days=1)


def test_bad_input_is_explained_in_czech(world, other_world, customer):
    response = client_for(customer).post(
        PAGE,
        {"name": "", "customer": str(other_world.customer.pk), "expires_on": "2020-01-01"},
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Toto pole je povinné."]
    assert "customer" in errors  # another customer's is no choice
    assert errors["expires_on"] == ["Zvolte den po dnešku."]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(world, customer):
    cache.clear()
    token, secret = ApiToken.issue(customer, "Home Assistant")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/meters").status_code == 200
    url = reverse("portal-tokens:revoke-token", kwargs={"token_pk": token.pk})
    response = client_for(customer).post(url)
    assert response.status_code == 302
    assert api.get("/api/v1/meters").status_code == 401
    assert "odvolán<" in client_for(customer).get(PAGE).content.decode()


def test_the_calendar_address_is_shown_once_replaced_and_cancelled(world, customer):
    client = client_for(customer)
    first = client.post(reverse("portal-tokens:make-feed")).context["new_feed_url"]
    assert first.startswith("http://testserver/kalendar/") and first.endswith(".ics")
    assert Client().get(first).status_code == 200
    second = client.post(reverse("portal-tokens:make-feed")).context["new_feed_url"]
    assert Client().get(first).status_code == 404  # the old address stopped working
    assert Client().get(second).status_code == 200
    assert first not in client.get(PAGE).content.decode()
    client.post(reverse("portal-tokens:revoke-feed"))
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_my_data_lists_tokens_and_the_feed_without_secrets(world, customer):
    _token, secret = ApiToken.issue(customer, "Home Assistant")
    _feed, feed_secret = CalendarFeed.issue(customer)
    with zipfile.ZipFile(io.BytesIO(export_user_data(customer))) as archive:
        tokens = json.loads(archive.read("json/api_token.json"))
        feeds = json.loads(archive.read("json/calendar_feed.json"))
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert [t["name"] for t in tokens] == ["Home Assistant"]
    assert {"created_at", "expires_at", "last_used_at", "revoked_at"} <= set(tokens[0])
    assert len(feeds) == 1 and "created_at" in feeds[0]
    for value in (secret, hash_secret(secret), feed_secret, hash_secret(feed_secret)):
        assert value.encode() not in everything
