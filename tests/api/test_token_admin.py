"""Operators see who holds which personal API token and revoke one; the secret never shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.api.models import ApiToken
from portal.audit.models import OperatorAccessLog
from tests.factories.accounts import mfa_client

pytestmark = pytest.mark.django_db


def test_operators_list_tokens_without_their_secret_and_the_list_is_logged(
    operator_client, world, customer
):
    token, secret = ApiToken.issue(customer, "Home Assistant")
    html = operator_client.get(reverse("api-tokens:index") + "?q=novakova").content.decode()
    assert "Home Assistant" in html and "jana.novakova@example.cz" in html
    assert token.hint in html and secret not in html
    assert OperatorAccessLog.objects.filter(user__email="operator@vodarna.example").exists()


def test_an_operator_revokes_a_token_and_it_stops_at_once(
    operator_client, operator, world, customer
):
    cache.clear()
    token, secret = ApiToken.issue(customer, "Home Assistant")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/meters").status_code == 200
    url = reverse("api-tokens:delete", args=[token.pk])
    page = operator_client.get(url).content.decode()
    assert (
        "Odvolat tento token?" in page
        and "ihned ztratí přístup" in page
        and "Home Assistant" in page
    )
    operator_client.post(url)
    token.refresh_from_db()
    assert token.revoked_at is not None  # kept in the list, stopped
    assert api.get("/api/v1/meters").status_code == 401
    entry = ModelLogEntry.objects.get(action="pramen.revoke_api_token")
    assert entry.user == operator
    listing = operator_client.get(reverse("api-tokens:index")).content.decode()
    assert url not in listing  # a revoked token offers no second revocation


def test_tokens_are_made_by_their_users_only_and_editors_do_not_see_them(
    operator_client, editor, world, customer
):
    token, _secret = ApiToken.issue(customer, "Home Assistant")
    assert operator_client.get(reverse("api-tokens:add")).status_code != 200
    assert operator_client.get(reverse("api-tokens:edit", args=[token.pk])).status_code != 200
    assert mfa_client(editor).get(reverse("api-tokens:index")).status_code != 200
