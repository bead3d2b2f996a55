"""Request ids, structured (JSON) logs and optional error reporting.

- `RequestIdMiddleware` gives every request an id: the proxy's `X-Request-ID` when it looks like
  one (nginx sends `$request_id`), else a new UUID. It is `request.id`, echoed in the response's
  `X-Request-ID` header and attached to every log record written while the request runs.
- `RequestIdFilter` puts that id on log records (`record.request_id`, "-" outside a request).
- `JsonFormatter` writes one JSON object per line: time, level, logger, message, request id,
  and the exception's traceback when there is one.
- `init_error_reporting` starts Sentry when `SENTRY_DSN` is set (the `sentry-sdk` package is
  optional: install it only if you use it).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
NO_REQUEST = "-"

current_request_id: ContextVar[str] = ContextVar("pramen_request_id", default=NO_REQUEST)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.id = request_id  # type: ignore[attr-defined]
        # Kept until the response is closed (request_finished): Django logs a 4xx/5xx response
        # ("Not Found: …") after the middleware has returned.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def forget_request_id(**kwargs: Any) -> None:
    current_request_id.set(NO_REQUEST)


request_finished.connect(forget_request_id, dispatch_uid="pramen-forget-request-id")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (the id of the request being served, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for journald / a log shipper."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str, json_format: bool) -> dict[str, Any]:
    """The LOGGING setting: console (stderr, i.e. journald under systemd), request ids on."""
    formatter = (
        {"()": "config.observability.JsonFormatter"}
        if json_format
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "main",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django_tasks": {"level": "WARNING"},
            # Django logs 4xx/5xx here; propagate to the root handler only.
            "django": {"handlers": [], "level": level, "propagate": True},
            # The task worker's log, through the same handler (run_huey adds none of its own then).
            "huey": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


def init_error_reporting(dsn: str, environment: str, release: str = "") -> None:
    """Report unhandled errors to Sentry (or a compatible service such as GlitchTip)."""
    if not dsn:
        return
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but the sentry-sdk package is not installed: "
            "run `pip install sentry-sdk` in Pramen's virtual environment or unset SENTRY_DSN."
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or "production",
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,  # no cookies, user data or request bodies leave the server
        traces_sample_rate=0.0,
    )
