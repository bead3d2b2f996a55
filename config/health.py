"""`/healthz`: is this installation able to serve? For the proxy's and the monitoring's probes.

Checks the database, Redis (when `REDIS_URL` is set) and the task queue: how many tasks wait,
how long the oldest has waited, and when a worker last started a task. Answers JSON, 200 when
everything is fine and 503 otherwise; never cached; names no host, user or secret.

The queue's ages come from two huey signal handlers (`install_queue_probes`, run at start-up in
every process by `config.apps.ProjectConfig`): one notes when
each task is enqueued, the other forgets the note when a worker starts the task and records the
time the worker was last seen. huey itself keeps no enqueue time.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey import signals
from huey.contrib.djhuey import HUEY

ENQUEUED_KEY = "pramen:health:enqueued:"
WORKER_SEEN_KEY = "pramen:health:worker-seen"
QUEUE_SCAN_LIMIT = 1000


def note_enqueued(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    HUEY.storage.put_data(ENQUEUED_KEY + task.id, repr(time.time()).encode())


def note_started(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    HUEY.storage.pop_data(ENQUEUED_KEY + task.id)
    if signal == signals.SIGNAL_EXECUTING:
        HUEY.storage.put_data(WORKER_SEEN_KEY, repr(time.time()).encode())


_installed = False


def install_queue_probes() -> None:
    global _installed
    if _installed:
        return
    HUEY.signal(signals.SIGNAL_ENQUEUED)(note_enqueued)
    HUEY.signal(
        signals.SIGNAL_EXECUTING,
        signals.SIGNAL_SCHEDULED,
        signals.SIGNAL_REVOKED,
        signals.SIGNAL_EXPIRED,
        signals.SIGNAL_CANCELED,
    )(note_started)
    _installed = True


def stored_time(key: str) -> float | None:
    value = HUEY.storage.peek_data(key)
    if not isinstance(value, bytes | str):
        return None  # huey's EmptyData: nothing stored
    try:
        return float(value)
    except ValueError:
        return None


def check_database() -> dict[str, Any]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_redis() -> dict[str, Any] | None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def check_queue(now: float) -> dict[str, Any]:
    """Queue length, age of the oldest queued task, seconds since a worker last started a task."""
    pending = HUEY.pending_count()
    oldest: float | None = None
    for data in HUEY.storage.enqueued_items(QUEUE_SCAN_LIMIT):
        message = HUEY.serializer.deserialize(data)
        enqueued = stored_time(ENQUEUED_KEY + message.id)
        if enqueued is not None and (oldest is None or enqueued < oldest):
            oldest = enqueued
    seen = stored_time(WORKER_SEEN_KEY)
    oldest_age = round(now - oldest, 1) if oldest is not None else 0.0
    limit = settings.PRAMEN_HEALTH_MAX_QUEUE_AGE
    return {
        "ok": oldest_age <= limit,
        "backend": type(HUEY).__name__,
        "pending": pending,
        "scheduled": HUEY.scheduled_count(),
        "oldest_pending_age_seconds": oldest_age,
        "max_age_seconds": limit,
        "worker_last_seen_seconds": round(now - seen, 1) if seen is not None else None,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = time.time()
    checks: dict[str, Any] = {}
    for name, check in (
        ("database", check_database),
        ("redis", check_redis),
        ("queue", lambda: check_queue(now)),
    ):
        try:
            result = check()
        except Exception as exc:  # report which part failed, without its (possibly secret) detail
            result = {"ok": False, "error": type(exc).__name__}
        if result is not None:
            checks[name] = result
    healthy = all(result["ok"] for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )
