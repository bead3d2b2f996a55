"""ZIS pulls outbound batches over HTTP and acknowledges them (zis/EXCHANGE.md § 4.5).

Every request is signed like an upload (HMAC-SHA256 over "<timestamp>." + body, each signature
accepted once); refusals answer JSON {"error": …} and change nothing.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import pytest

from portal.models import RequestStatus
from tests.factories.requests import approved_address_change, approved_self_reading
from tests.factories.zis import ack_document, folder_bytes
from zis.http import signing
from zis.models import OutboundBatch
from zis.outbound.export import export_approved
from zis.outbound.writer import timestamp

pytestmark = pytest.mark.django_db


SECRET = "shared-secret-for-tests"
LIST = "/zis/api/v1/outbound/"


@pytest.fixture
def door(settings: Any, outbox: Any) -> None:
    settings.ZIS_SHARED_SECRET = SECRET


@pytest.fixture
def sent(door: None, meter: Any, operator: Any) -> dict[str, Any]:
    reading = approved_self_reading(meter, operator)
    change = approved_address_change(meter.supply_point.customer, operator)
    [batch] = export_approved()
    return {"batch": batch, "ids": [f"sr-{reading.pk}", f"ac-{change.pk}"], "reading": reading}


USED_TIMESTAMPS: set[int] = set()


def signed_get(client: Any, url: str, secret: str = SECRET) -> Any:
    """A signed GET. Its body is empty, so GETs signed in the same second would share one
    signature (accepted once): each gets a recent timestamp no GET has used before."""
    timestamp = int(time.time())
    while timestamp in USED_TIMESTAMPS:
        timestamp -= 1
    USED_TIMESTAMPS.add(timestamp)
    return client.get(url, headers=signing.signed_headers(secret, b"", timestamp))


def post_ack(client: Any, batch_id: str, document: Any, *, headers: Any = None, **kw: Any) -> Any:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    sent_headers = headers or signing.signed_headers(SECRET, body, kw.get("timestamp"))
    return client.post(
        f"{LIST}{batch_id}/ack/",
        data=body,
        content_type=kw.get("content_type", "application/json"),
        headers=sent_headers,
    )


def test_the_list_shows_the_batches_waiting_for_an_acknowledgement(client, sent):
    batch = sent["batch"]
    response = signed_get(client, LIST)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "batches": [
            {
                "batch_id": batch.batch_id,
                "status": "written",
                "created": timestamp(batch.created_at),
                "written_at": timestamp(batch.written_at),
                "records": {"self_readings.jsonl": 1, "address_changes.jsonl": 1},
                "download_url": f"http://testserver{LIST}{batch.batch_id}/",
                "ack_url": f"http://testserver{LIST}{batch.batch_id}/ack/",
            }
        ]
    }


def test_a_batch_downloads_as_a_zip_of_its_folder(client, sent, outbox):
    batch = sent["batch"]
    response = signed_get(client, f"{LIST}{batch.batch_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{batch.batch_id}.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    folder = folder_bytes(outbox / batch.batch_id)
    assert files == {f"{batch.batch_id}/{name}": data for name, data in folder.items()}


def test_an_ack_over_http_confirms_the_requests_once(client, sent):
    batch, reading = sent["batch"], sent["reading"]
    document = ack_document(batch.batch_id, sent["ids"])

    response = post_ack(client, batch.batch_id, document)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "batch_id": batch.batch_id,
        "status": "acknowledged",
        "confirmed": 2,
        "rejected": 0,
        "changed": True,
    }
    reading.refresh_from_db()
    assert reading.status == RequestStatus.CONFIRMED
    batch.refresh_from_db()
    assert (batch.status, batch.ack_source) == ("acknowledged", "http")
    assert signed_get(client, LIST).json() == {"batches": []}
    confirmed_at = reading.confirmed_at

    # Sent again later: a new timestamp, so a new signature for the same body.
    again = post_ack(client, batch.batch_id, document, timestamp=int(time.time()) - 10)
    assert again.status_code == 200 and again.json()["changed"] is False
    reading.refresh_from_db()
    assert reading.confirmed_at == confirmed_at

    other = ack_document(batch.batch_id, sent["ids"][1:], [(sent["ids"][0], "no")])
    conflict = post_ack(client, batch.batch_id, other)
    assert conflict.status_code == 409 and "different answer" in conflict.json()["error"]
    # An acknowledged batch can still be downloaded (from its archived folder), as it was.
    archived = signed_get(client, f"{LIST}{batch.batch_id}/")
    assert archived.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archived.content)) as archive:
        assert sorted(archive.namelist()) == [
            f"{batch.batch_id}/address_changes.jsonl",
            f"{batch.batch_id}/manifest.json",
            f"{batch.batch_id}/self_readings.jsonl",
        ]


def test_a_wrong_ack_is_refused_and_changes_nothing(client, sent):
    batch = sent["batch"]
    cases = [
        (
            batch.batch_id,
            ack_document(batch.batch_id, [*sent["ids"], "sr-99999"]),
            400,
            "request ids not in batch",
        ),
        (
            batch.batch_id,
            ack_document(batch.batch_id, sent["ids"][:1]),
            400,
            "neither accepted nor rejected",
        ),
        (
            batch.batch_id,
            ack_document("out-20250101-000042", sent["ids"]),
            400,
            "not for " + batch.batch_id,
        ),
        (batch.batch_id, b"not json", 400, "Invalid JSON"),
        (
            "out-20250101-000042",
            ack_document("out-20250101-000042", sent["ids"][:1]),
            404,
            "No outbound batch 'out-20250101-000042' is known.",
        ),
    ]
    for batch_id, document, status, message in cases:
        response = post_ack(client, batch_id, document)
        assert response.status_code == status, (message, response.content)
        assert message in response.json()["error"]
    wrong_type = post_ack(client, batch.batch_id, b"{}", content_type="text/plain")
    assert wrong_type.status_code == 415
    batch.refresh_from_db()
    assert batch.status == OutboundBatch.Status.WRITTEN
    sent["reading"].refresh_from_db()
    assert sent["reading"].status == RequestStatus.SENT


def test_bad_signatures_and_replays_are_refused(client, sent):
    batch = sent["batch"]
    document = ack_document(batch.batch_id, sent["ids"])
    body = json.dumps(document).encode()
    forged = signing.signed_headers("another-secret", body)
    assert post_ack(client, batch.batch_id, document, headers=forged).status_code == 401
    stale = post_ack(client, batch.batch_id, document, timestamp=int(time.time()) - 301)
    assert stale.status_code == 401 and "seconds" in stale.json()["error"]
    for url in (LIST, f"{LIST}{batch.batch_id}/"):
        assert signed_get(client, url, "another-secret").status_code == 401
        assert client.get(url).status_code == 401
    batch.refresh_from_db()
    assert batch.status == OutboundBatch.Status.WRITTEN

    headers = signing.signed_headers(SECRET, b"")
    assert client.get(LIST, headers=headers).status_code == 200
    replay = client.get(LIST, headers=headers)
    assert replay.status_code == 401 and "used already" in replay.json()["error"]

    ack_headers = signing.signed_headers(SECRET, body)
    assert post_ack(client, batch.batch_id, document, headers=ack_headers).status_code == 200
    replayed = post_ack(client, batch.batch_id, document, headers=ack_headers)
    assert replayed.status_code == 401 and "used already" in replayed.json()["error"]


def test_unknown_and_unwritten_batches(client, door, meter, operator, monkeypatch):
    from zis.outbound import export as export_module

    assert signed_get(client, f"{LIST}out-20250101-000042/").status_code == 404
    assert signed_get(client, f"{LIST}..%2Fetc/").status_code == 404
    approved_self_reading(meter, operator)
    with monkeypatch.context() as patch:
        patch.setattr(export_module, "place_folder", lambda target, files: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            export_approved()
    batch = OutboundBatch.objects.get()
    response = signed_get(client, f"{LIST}{batch.batch_id}/")
    assert response.status_code == 409 and "not been written yet" in response.json()["error"]
    assert signed_get(client, LIST).json() == {"batches": []}


def test_the_door_is_closed_without_a_shared_secret(client, sent, settings):
    settings.ZIS_SHARED_SECRET = ""
    assert signed_get(client, LIST).status_code == 503
    document = ack_document(sent["batch"].batch_id, sent["ids"])
    assert post_ack(client, sent["batch"].batch_id, document).status_code == 503
