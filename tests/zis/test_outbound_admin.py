"""Operators see the outbound batches in the admin (ZIS → Outbound batches), read-only."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.factories.accounts import UserFactory, enable_totp, login_with_mfa, staff_group
from tests.factories.requests import approved_address_change, approved_self_reading
from tests.factories.zis import ack_document
from zis.outbound.acks import pickup_acks
from zis.outbound.export import export_approved

pytestmark = pytest.mark.django_db


def czech(msgid: str) -> str:
    with translation.override("cs"):
        return translation.gettext(msgid)


def rows(html: str) -> str:
    match = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    return match.group(1) if match else ""


def staff_client(client: Any, permissions: list[str]) -> Any:
    """Staff with admin access and exactly `permissions`, signed in past the MFA stage."""
    user = UserFactory(email="dispecer@vodarna.example", is_staff=True)
    user.groups.add(staff_group("Outbound batch readers", permissions))
    enable_totp(user)
    login_with_mfa(client, user)
    return client


@pytest.fixture
def batches(outbox: Any, meter: Any, operator: Any, settings: Any) -> list[Any]:
    """One acknowledged batch (a reading and an address change) and one waiting for ZIS."""
    reading = approved_self_reading(meter, operator)
    change = approved_address_change(meter.supply_point.customer, operator)
    [first] = export_approved()
    settings.ZIS_ACKS.mkdir(parents=True)
    document = ack_document(first.batch_id, [f"sr-{reading.pk}", f"ac-{change.pk}"])
    (settings.ZIS_ACKS / f"{first.batch_id}.ack.json").write_text(json.dumps(document))
    pickup_acks()
    approved_self_reading(meter, operator, date=reading.date.replace(day=27))
    [second] = export_approved()
    first.refresh_from_db()
    return [first, second]


def test_operators_see_the_batches_with_status_and_counts(client, batches):
    first, second = batches
    viewer = staff_client(client, ["zis.view_outboundbatch"])
    response = viewer.get(reverse("outbound-batches:index"))
    assert response.status_code == 200
    html = rows(response.content.decode())
    assert html.index(second.batch_id) < html.index(first.batch_id)  # newest first
    assert czech("acknowledged") in html and czech("waiting for ZIS") in html

    filtered = rows(
        viewer.get(reverse("outbound-batches:index"), {"status": "written"}).content.decode()
    )
    assert second.batch_id in filtered and first.batch_id not in filtered

    detail = viewer.get(reverse("outbound-batches:inspect", args=[first.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert first.batch_id in text and first.path in text


def test_the_batches_are_read_only_and_hidden_without_the_permission(client, batches):
    for name in ("outbound-batches:add", "outbound-batches:edit", "outbound-batches:delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[] if name.endswith("add") else [batches[0].pk])
    viewer = staff_client(client, [])
    response = viewer.get(reverse("outbound-batches:index"))
    assert response.status_code in (302, 403)
    assert batches[0].batch_id not in response.content.decode()
