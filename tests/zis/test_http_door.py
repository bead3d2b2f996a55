"""The HTTP door for ZIS, driven with a real HTTP client against the live server.

ZIS uploads a signed ZIP of a batch folder and asks for its status; huey runs immediately in
tests, so the import has finished when the upload is answered. Every refusal stores nothing.
"""

from __future__ import annotations

import io
import json
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests

from portal.models import Customer, SupplyPoint
from tests.factories.zis import FIXTURES
from zis.http import signing
from zis.http.views import Refusal, read_body
from zis.models import SyncRun

SECRET = "shared-secret-for-tests"
FULL = FIXTURES / "batch_full_v1"
BATCH_ID = "2025-01-10-full-0001"
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- helpers ---------------------------------------------------------------------------------------


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, prefix + path.name)
    return buffer.getvalue()


def zip_members(members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def batch_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(FULL.iterdir())}


def upload(
    server: Any,
    body: bytes,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    sent = {"Content-Type": "application/zip", **signing.signed_headers(secret, body, timestamp)}
    sent.update(headers or {})
    return requests.post(f"{server.url}/zis/api/v1/batches/", data=body, headers=sent, timeout=60)


def status(url: str, *, secret: str = SECRET, timestamp: int | None = None) -> requests.Response:
    return requests.get(url, headers=signing.signed_headers(secret, b"", timestamp), timeout=30)


@pytest.fixture
def door(settings: Any, tmp_path: Path) -> Path:
    """The door open with SECRET; returns the (empty) inbox."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings.ZIS_INBOX = inbox
    settings.ZIS_SHARED_SECRET = SECRET
    return inbox


def assert_nothing_stored(inbox: Path) -> None:
    assert list(inbox.iterdir()) == []
    assert not SyncRun.objects.exists()
    assert not Customer.objects.exists()


# --- accepted uploads --------------------------------------------------------------------------------


@live
def test_a_signed_upload_is_imported_and_its_status_reported(live_server, door):
    response = upload(live_server, zip_folder(FULL))

    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["batch_id"] == BATCH_ID
    assert answer["status_url"] == f"{live_server.url}/zis/api/v1/batches/{BATCH_ID}/"
    report = status(answer["status_url"])
    assert report.status_code == 200
    run = report.json()
    assert run["status"] == "succeeded" and run["source"] == "http" and run["kind"] == "full"
    assert run["counts"]["customers"]["created"] == 3 and run["errors"] == []
    assert run["started_at"] and run["finished_at"] and run["received_at"]
    assert Customer.objects.filter(number="100001", name="Jana Nováková").exists()
    assert SupplyPoint.objects.count() == 3
    processed = list((door / "http" / "processed").iterdir())
    assert len(processed) == 1 and processed[0].name.endswith(f"-{BATCH_ID}")
    assert (processed[0] / "report.json").is_file()


@live
def test_a_zip_of_the_batch_folder_itself_is_accepted(live_server, door, settings):
    """…and the body is streamed: Django's limit for bodies read into memory does not apply."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = upload(live_server, zip_folder(FULL, prefix="2025-01-10T0800-full/"))
    assert response.status_code == 202, response.text
    assert SyncRun.objects.get().status == SyncRun.Status.SUCCEEDED


@live
def test_a_bad_batch_is_accepted_and_reported_as_rejected(live_server, door):
    files = batch_files()
    files["customers.jsonl"] = files["customers.jsonl"].replace(b'"100001"', b'"100009"')
    response = upload(live_server, zip_members(files))

    assert response.status_code == 202
    run = status(response.json()["status_url"]).json()
    assert run["status"] == "rejected"
    assert any(error["file"] == "customers.jsonl" for error in run["errors"])
    assert not Customer.objects.exists()
    assert len(list((door / "http" / "rejected").iterdir())) == 1


@live
def test_when_the_import_cannot_be_queued_nothing_is_kept(live_server, door, monkeypatch):
    def queue_down(path: str, source: str) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr("zis.http.views.import_batch_task", queue_down)
    response = upload(live_server, zip_folder(FULL))
    assert response.status_code == 503 and "again" in response.json()["error"]
    assert list((door / "http").iterdir()) == []
    assert not SyncRun.objects.exists()


# --- refusals: signature, time, replay ---------------------------------------------------------------


@live
def test_a_wrong_signature_is_refused(live_server, door):
    body = zip_folder(FULL)
    for secret in ("another-secret", ""):
        headers = signing.signed_headers(secret or "x", body)
        if not secret:
            headers[signing.SIGNATURE_HEADER] = "0" * 64
        response = upload(live_server, body, headers=headers)
        assert response.status_code == 401
        assert "signature" in response.json()["error"]
    assert_nothing_stored(door)


@live
def test_a_signature_over_another_body_is_refused(live_server, door):
    body = zip_folder(FULL)
    headers = signing.signed_headers(SECRET, body + b"x")
    assert upload(live_server, body, headers=headers).status_code == 401
    assert_nothing_stored(door)


@live
def test_missing_signature_headers_are_refused(live_server, door):
    body = zip_folder(FULL)
    for drop in (signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER):
        headers = {"Content-Type": "application/zip", **signing.signed_headers(SECRET, body)}
        del headers[drop]
        response = requests.post(
            f"{live_server.url}/zis/api/v1/batches/", data=body, headers=headers, timeout=30
        )
        assert response.status_code == 401, drop
    assert_nothing_stored(door)


@live
def test_an_expired_or_future_timestamp_is_refused(live_server, door):
    body = zip_folder(FULL)
    for age in (301, -301, 3600):
        response = upload(live_server, body, timestamp=int(time.time()) - age)
        assert response.status_code == 401, age
        assert "seconds" in response.json()["error"]
    assert_nothing_stored(door)


@live
def test_a_replayed_request_is_refused(live_server, door):
    body = zip_folder(FULL)
    headers = signing.signed_headers(SECRET, body)
    assert upload(live_server, body, headers=headers).status_code == 202
    processed = sorted((door / "http" / "processed").iterdir())

    replay = upload(live_server, body, headers=headers)

    assert replay.status_code == 401 and "used already" in replay.json()["error"]
    assert SyncRun.objects.count() == 1
    assert sorted((door / "http").iterdir()) == [door / "http" / "processed"]
    assert sorted((door / "http" / "processed").iterdir()) == processed


# --- refusals: size, type, archive -------------------------------------------------------------------


@live
def test_an_oversize_body_is_refused_before_it_is_read(live_server, door, settings):
    body = zip_folder(FULL)
    settings.ZIS_MAX_UPLOAD_BYTES = len(body) - 1
    response = upload(live_server, body)
    assert response.status_code == 413
    assert_nothing_stored(door)


@live
def test_a_body_that_is_not_a_zip_type_is_refused(live_server, door):
    body = zip_folder(FULL)
    response = upload(live_server, body, headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert_nothing_stored(door)


def traversal() -> bytes:
    files = batch_files()
    files["../customers.jsonl"] = files.pop("customers.jsonl")
    return zip_members(files)


def absolute() -> bytes:
    return zip_members({**batch_files(), "/etc/cron.d/evil": b"* * * * * root true\n"})


def symlink() -> bytes:
    files = batch_files()
    files["customers.jsonl"] = b"/etc/passwd"
    return zip_members(files, symlinks=("customers.jsonl",))


def unknown_file() -> bytes:
    return zip_members({**batch_files(), "run.sh": b"#!/bin/sh\n"})


def nested_folders() -> bytes:
    return zip_members({f"a/b/{name}": data for name, data in batch_files().items()})


def no_manifest() -> bytes:
    files = batch_files()
    del files["manifest.json"]
    return zip_members(files)


def broken_manifest() -> bytes:
    return zip_members({**batch_files(), "manifest.json": b'{"format": "pramen-zis"'})


def unsafe_batch_id() -> bytes:
    manifest = json.loads((FULL / "manifest.json").read_bytes())
    manifest["batch_id"] = "../../etc"
    return zip_members({**batch_files(), "manifest.json": json.dumps(manifest).encode()})


def not_a_zip() -> bytes:
    return b"PK\x03\x04 this is not really a zip archive"


UNSAFE_ARCHIVES = [
    traversal,
    absolute,
    symlink,
    unknown_file,
    nested_folders,
    no_manifest,
    broken_manifest,
    unsafe_batch_id,
    not_a_zip,
]


@live
def test_a_malformed_or_unsafe_archive_is_refused(live_server, door, tmp_path):
    for make_body in UNSAFE_ARCHIVES:
        response = upload(live_server, make_body())
        assert response.status_code == 400, (make_body.__name__, response.text)
        assert response.json()["error"]
    assert_nothing_stored(door)
    assert not (tmp_path / "customers.jsonl").exists()


@live
def test_an_archive_unpacking_beyond_the_limits_is_refused(live_server, door, settings):
    settings.ZIS_MAX_BATCH_FILE_BYTES = 1000
    bomb = zip_members({**batch_files(), "readings.jsonl": b"\n" * 5000})
    response = upload(live_server, bomb)
    assert response.status_code == 400 and "larger than" in response.json()["error"]
    settings.ZIS_MAX_BATCH_FILE_BYTES = 10_000
    settings.ZIS_MAX_BATCH_BYTES = 5000
    assert upload(live_server, zip_folder(FULL)).status_code == 400
    assert_nothing_stored(door)


def test_the_body_limit_is_also_enforced_while_reading():
    """A server that passes more than Content-Length promised is cut off at the limit."""
    mac = signing.start_signature(SECRET, "1")
    with pytest.raises(Refusal) as refused:
        read_body(io.BytesIO(b"x" * 5000), 100, 1000, mac)
    assert refused.value.status == 413
    with pytest.raises(Refusal) as short:
        read_body(io.BytesIO(b"x" * 50), 100, 1000, mac)
    assert short.value.status == 400


# --- the status endpoint and the closed door ---------------------------------------------------------


@live
def test_the_status_of_an_unknown_batch_is_404(live_server, door):
    response = status(f"{live_server.url}/zis/api/v1/batches/never-sent/")
    assert response.status_code == 404


@live
def test_the_status_needs_a_fresh_single_use_signature(live_server, door):
    assert upload(live_server, zip_folder(FULL)).status_code == 202
    url = f"{live_server.url}/zis/api/v1/batches/{BATCH_ID}/"
    assert requests.get(url, timeout=30).status_code == 401
    assert status(url, secret="wrong").status_code == 401
    assert status(url, timestamp=int(time.time()) - 600).status_code == 401
    headers = signing.signed_headers(SECRET)
    assert requests.get(url, headers=headers, timeout=30).status_code == 200
    assert requests.get(url, headers=headers, timeout=30).status_code == 401


@live
def test_without_a_shared_secret_the_door_is_closed(live_server, door, settings):
    settings.ZIS_SHARED_SECRET = ""
    body = zip_folder(FULL)
    response = upload(live_server, body, headers=signing.signed_headers("", body))
    assert response.status_code == 503
    assert status(f"{live_server.url}/zis/api/v1/batches/{BATCH_ID}/").status_code == 503
    assert_nothing_stored(door)
