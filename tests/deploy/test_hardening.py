"""Security headers, request ids and JSON logs, /healthz and security.txt (test settings)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.core.signals import request_finished
from django.http import HttpResponse
from django.test import RequestFactory
from huey.contrib.djhuey import HUEY

from config import health
from config.observability import JsonFormatter, RequestIdFilter, RequestIdMiddleware
from config.security import ProxyClientAddressMiddleware, SecurityHeadersMiddleware


def test_public_pages_carry_a_policy_without_inline_code(client, home):
    response = client.get(home.url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert (
        directives["script-src"].startswith("'self'") and "unsafe" not in directives["script-src"]
    )
    assert directives["style-src"].startswith("'self'") and "unsafe" not in directives["style-src"]
    assert directives["img-src"].startswith("'self' data:")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_admin_gets_only_its_documented_relaxations(client, home):
    response = client.get("/admin/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert "'unsafe-eval'" not in policy and "https:" not in policy


def test_a_nonce_used_by_a_page_is_allowed_by_its_policy_only():
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

    middleware = SecurityHeadersMiddleware(view)
    first = middleware(RequestFactory().get("/"))
    nonce = first.content.decode().split('"')[1]
    assert f"'nonce-{nonce}'" in first["Content-Security-Policy"]
    second = middleware(RequestFactory().get("/"))
    assert nonce not in second["Content-Security-Policy"]
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    assert "nonce-" not in plain["Content-Security-Policy"]


def test_debug_error_pages_are_left_without_a_policy_only_in_debug(settings):
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("debug", status=404))
    assert "Content-Security-Policy" in middleware(RequestFactory().get("/x/"))
    settings.DEBUG = True  # Django's technical 404 page is made of inline code
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/x/"))


def test_the_request_id_is_taken_from_the_proxy_or_made_and_echoed(client, home):
    response = client.get(home.url, HTTP_X_REQUEST_ID="3f0c9a2e-proxy-id")
    assert response["X-Request-ID"] == "3f0c9a2e-proxy-id"
    forged = client.get(home.url, HTTP_X_REQUEST_ID="bad id\nINFO forged line")
    assert forged["X-Request-ID"] != "bad id\nINFO forged line"
    assert len(forged["X-Request-ID"]) == 32 and forged["X-Request-ID"].isalnum()


@pytest.mark.django_db  # request_finished closes database connections
def test_log_records_written_during_a_request_carry_its_id_as_json():
    formatter, log_filter, lines = JsonFormatter(), RequestIdFilter(), []

    def view(request):
        record = logging.LogRecord(
            "pramen.test", logging.WARNING, __file__, 1, "Odečet %s", ("1234",), None
        )
        record.customer = "100001"
        log_filter.filter(record)
        lines.append(formatter.format(record))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="request-0042")
    )
    entry = json.loads(lines[0])
    assert entry["request_id"] == "request-0042" == response["X-Request-ID"]
    assert entry["message"] == "Odečet 1234" and entry["level"] == "WARNING"
    assert entry["customer"] == "100001" and entry["logger"] == "pramen.test"
    request_finished.send(sender=None)  # the response was closed: no request any more
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    log_filter.filter(outside)
    assert outside.request_id == "-"


def test_behind_the_proxy_the_client_address_comes_from_x_real_ip(settings):
    settings.PRAMEN_TRUSTED_PROXIES = ["127.0.0.1"]
    seen = []
    middleware = ProxyClientAddressMiddleware(
        lambda request: seen.append(request.META["REMOTE_ADDR"]) or HttpResponse()
    )
    middleware(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7"))
    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.7"))
    middleware(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not-an-address"))
    assert seen == ["198.51.100.7", "203.0.113.9", "127.0.0.1"]


# --- /healthz ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"] == {"ok": True}
    assert "redis" not in report["checks"]  # REDIS_URL is not set in tests
    queue = report["checks"]["queue"]
    assert queue["pending"] == 0 and queue["oldest_pending_age_seconds"] == 0.0


@pytest.mark.django_db
def test_healthz_fails_when_the_database_is_down_without_telling_secrets(client, monkeypatch):
    def down():
        raise OSError("connection to postgres://pramen:hunter2@db failed")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "fail"
    assert report["checks"]["database"] == {"ok": False, "error": "OSError"}
    assert "hunter2" not in response.content.decode()


@pytest.fixture
def queued_huey():
    """The huey of the tests, queueing instead of running at once."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.mark.django_db
def test_healthz_fails_when_a_task_waits_too_long(client, queued_huey, monkeypatch, settings):
    from zis.tasks import import_inbox_task

    settings.PRAMEN_HEALTH_MAX_QUEUE_AGE = 600
    import_inbox_task()  # queued, no worker runs it
    report = client.get("/healthz").json()
    assert report["checks"]["queue"]["pending"] == 1 and report["status"] == "ok"

    later = health.time.time() + 3600
    monkeypatch.setattr(health.time, "time", lambda: later)
    response = client.get("/healthz")
    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert queue["ok"] is False and queue["oldest_pending_age_seconds"] >= 3599


@pytest.mark.django_db
def test_a_worker_starting_a_task_is_seen_and_the_task_leaves_the_queue(queued_huey):
    from zis.tasks import import_inbox_task

    import_inbox_task()
    task = queued_huey.dequeue()
    queued_huey.execute(task)
    queue = health.check_queue(health.time.time())
    assert queue["pending"] == 0 and queue["oldest_pending_age_seconds"] == 0.0
    assert queue["worker_last_seen_seconds"] is not None and queue["worker_last_seen_seconds"] < 60
    assert health.stored_time(health.ENQUEUED_KEY + task.id) is None


# --- /.well-known/security.txt -------------------------------------------------------------------


@pytest.mark.django_db
def test_security_txt_names_the_utility_and_expires(client, utility):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().strip().splitlines())
    assert fields["Contact"] == "mailto:info@testov.example"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=30) < expires - datetime.now(UTC) < timedelta(days=365)
    assert fields["Canonical"].endswith("/.well-known/security.txt")


@pytest.mark.django_db
def test_security_txt_prefers_the_configured_contact_and_is_absent_without_one(
    client, home, settings
):
    assert client.get("/.well-known/security.txt").status_code == 404  # no e-mail in the settings
    settings.PRAMEN_SECURITY_CONTACT = "bezpecnost@vodarna.example"
    text = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:bezpecnost@vodarna.example" in text


def test_error_reporting_without_sentry_sdk_stops_with_a_clear_message(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.observability import init_error_reporting

    init_error_reporting("", "production")  # no DSN: nothing to do, nothing imported
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # as when the package is not installed
    with pytest.raises(ImproperlyConfigured, match="pip install sentry-sdk"):
        init_error_reporting("https://key@errors.vodarna.example/3", "production")
