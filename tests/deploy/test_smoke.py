"""Smoke test of a production install: gunicorn (site/deploy/gunicorn.conf.py) with production
settings on PostgreSQL and Redis, plus a huey worker, answering as it would behind nginx.

The installation (its own database `pramen_smoke_<pid>` and Redis database, dropped at the end)
is built once for the module: migrate, collectstatic, the demo website and a small demo utility with its customer logins.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.factories.zis import copy_batch, refresh_manifest
from zis.http import signing

from .smoke import HOST, RUN_SUFFIX, Installation, ProxyClient, drop_database, install

# Minutes of setup and services of its own: `make smoke`, a step of its own in `make test` and CI.
pytestmark = pytest.mark.smoke

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Installation:
    database = f"pramen_smoke_{RUN_SUFFIX}"
    try:
        installation = install(tmp_path_factory.mktemp("smoke"), database)
    except BaseException:
        drop_database(database)
        raise
    try:
        installation.wait_until_serving()
        yield installation
    finally:
        installation.stop()


def assert_secure_page(response: requests.Response, what: str) -> None:
    assert response.status_code == 200, f"{what}: {response.status_code}"
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, f"{what}: {header}"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert len(response.headers["X-Request-ID"]) >= 16


def demo_login(site: Installation) -> tuple[str, str, str]:
    """The first demo customer login printed by zis_demo_load: e-mail, password, customer name."""
    line = next(line for line in site.demo_output.splitlines() if "→" in line)
    credentials, customer = line.split("→")
    email, password = credentials.strip().split(" / ")
    return email, password, customer.strip().split(" ", 1)[1]


def test_the_home_page_is_served_securely_over_the_proxy(site):
    client = ProxyClient(site.url)
    home = client.get("/")
    assert_secure_page(home, "home page")
    assert "Pramenov" in home.text
    # hashed static file names (nginx serves them in production; whitenoise behind it)
    stylesheet = re.search(r'href="(/static/css/pramen\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "the stylesheet's name is not hashed"
    static = client.get(stylesheet.group(1))
    assert static.status_code == 200 and "immutable" in static.headers["Cache-Control"]
    # plain HTTP (no X-Forwarded-Proto from the proxy) is sent to HTTPS
    plain = requests.get(site.url + "/", headers={"Host": HOST}, allow_redirects=False, timeout=30)
    assert plain.status_code == 301 and plain.headers["Location"] == f"https://{HOST}/"


def test_a_customer_signs_in_and_opens_the_portal(site):
    email, password, name = demo_login(site)
    client = ProxyClient(site.url)
    login = client.get("/accounts/login/")
    assert_secure_page(login, "login page")
    client.sign_in(email, password)
    assert "sessionid" in client.cookies
    portal = client.get("/portal/")
    assert_secure_page(portal, "portal home")
    assert name in portal.text
    assert (
        "private" in portal.headers["Cache-Control"]
        and "no-store" in portal.headers["Cache-Control"]
    )
    assert client.get("/ucet/").status_code == 200


def signed_batch_zip(tmp_path: Path) -> bytes:
    """A delta batch with one new customer."""
    folder = copy_batch("batch_delta_v1", tmp_path)
    for name in ("deletions.jsonl", "readings.jsonl"):
        (folder / name).unlink()
    customers = folder / "customers.jsonl"
    line = customers.read_text(encoding="utf-8").splitlines()[0]
    line = line.replace('"C-1001"', '"C-SMOKE-1"').replace('"100001"', '"990001"')
    customers.write_text(line + "\n", encoding="utf-8")
    refresh_manifest(folder, batch_id="smoke-delta-0001")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def test_the_worker_imports_a_batch_and_healthz_reports_the_queue(site, tmp_path):
    secret = site.env["ZIS_SHARED_SECRET"]
    client = ProxyClient(site.url)
    body = signed_batch_zip(tmp_path)
    answer = client.request(
        "POST",
        "/zis/api/v1/batches/",
        data=body,
        headers={"Content-Type": "application/zip", **signing.signed_headers(secret, body)},
    )
    assert answer.status_code == 202, answer.text
    status_path = "/zis/api/v1/batches/smoke-delta-0001/"
    deadline = time.monotonic() + 90
    run = {}
    while time.monotonic() < deadline:
        run = client.get(status_path, headers=signing.signed_headers(secret, b"")).json()
        if run.get("status") not in (None, "queued", "running"):
            break
        time.sleep(1.1)  # a new timestamp: each signature is accepted once
    assert run.get("status") == "succeeded", f"{run}\n{site.log('worker')[-3000:]}"
    assert run["counts"]["customers"]["created"] == 1

    health = requests.get(site.url + "/healthz", headers={"Host": HOST}, timeout=30)
    assert health.status_code == 200, health.text
    assert (
        "no-cache" in health.headers["Cache-Control"]
        or "max-age=0" in health.headers["Cache-Control"]
    )
    report = health.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"] == {"ok": True}
    assert report["checks"]["redis"] == {"ok": True}
    queue = report["checks"]["queue"]
    assert queue["backend"] == "RedisHuey" and queue["ok"] is True
    assert queue["pending"] == 0 and queue["oldest_pending_age_seconds"] == 0.0
    assert queue["worker_last_seen_seconds"] is not None and queue["worker_last_seen_seconds"] < 120
    text = health.text
    assert site.env["SECRET_KEY"] not in text and "postgres" not in text and "redis://" not in text


def test_logs_are_json_lines_carrying_the_request_id(site):
    client = ProxyClient(site.url)
    missing = client.get("/no-such-page-smoke/", headers={"X-Request-ID": "smoke-request-0001"})
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] == "smoke-request-0001"
    time.sleep(0.5)
    records = []
    for line in site.log("gunicorn").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    mine = [r for r in records if r.get("request_id") == "smoke-request-0001"]
    assert mine, site.log("gunicorn")[-2000:]
    assert mine[0]["level"] == "WARNING" and "/no-such-page-smoke/" in mine[0]["message"]
