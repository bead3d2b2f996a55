"""Views of the HTTP door for ZIS (zis/EXCHANGE.md § 4): check, store, queue, answer in JSON.

POST /zis/api/v1/batches/            a signed ZIP of a batch folder → 202 {"batch_id", "status_url"}
GET  /zis/api/v1/batches/<batch_id>/  signed, empty body → the batch's latest sync run (or 404)

Refusals answer JSON {"error": "..."}: 401 signature, 411/413 size, 415 type, 400 archive,
503 door closed (no ZIS_SHARED_SECRET) or task queue down. Nothing is stored on any refusal.
"""

from __future__ import annotations

import hmac
import logging
import re
import tempfile
from typing import IO

from django.conf import settings
from django.http import HttpRequest, JsonResponse, UnreadablePostError
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from zis.models import SyncRun
from zis.tasks import import_batch_task

from . import signing
from .archive import ArchiveError
from .store import batch_status, discard_upload, store_upload

ZIP_CONTENT_TYPE = "application/zip"
READ_CHUNK = 1 << 16
SPOOL_IN_MEMORY = 8 << 20
logger = logging.getLogger(__name__)
BATCH_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> JsonResponse:
        return JsonResponse({"error": str(self)}, status=self.status)


@csrf_exempt
@never_cache
@require_POST
def upload_batch(request: HttpRequest) -> JsonResponse:
    try:
        mac, signature = signed_request(request)
        length = declared_length(request)
        if request.content_type != ZIP_CONTENT_TYPE:
            raise Refusal(415, f"The body must be a ZIP archive ({ZIP_CONTENT_TYPE}).")
        with read_body(request, length, settings.ZIS_MAX_UPLOAD_BYTES, mac) as body:
            accept_signature(mac, signature)
            try:
                stored = store_upload(body)
            except ArchiveError as exc:
                raise Refusal(400, str(exc)) from exc
    except Refusal as refusal:
        return refusal.response()
    try:
        import_batch_task(str(stored.path), SyncRun.Source.HTTP)
    except Exception:  # the task queue is down: keep nothing, ZIS sends the batch again
        logger.exception("Could not queue the import of uploaded batch %s", stored.batch_id)
        discard_upload(stored)
        return Refusal(
            503, "The import could not be queued; send the batch again later."
        ).response()
    status_url = reverse("zis-http:batch-status", args=[stored.batch_id])
    return JsonResponse(
        {"batch_id": stored.batch_id, "status_url": request.build_absolute_uri(status_url)},
        status=202,
    )


@csrf_exempt
@never_cache
@require_GET
def batch_status_view(request: HttpRequest, batch_id: str) -> JsonResponse:
    try:
        mac, signature = signed_request(request)  # signed over an empty body
        accept_signature(mac, signature)
    except Refusal as refusal:
        return refusal.response()
    status = batch_status(batch_id) if BATCH_ID.match(batch_id) else None
    if status is None:
        return JsonResponse({"error": f"No batch {batch_id!r} is known."}, status=404)
    return JsonResponse(status)


def signed_request(request: HttpRequest) -> tuple[hmac.HMAC, str]:
    """The HMAC to feed the body into, and the signature sent; refuses what fails early."""
    secret = settings.ZIS_SHARED_SECRET
    if not secret:
        raise Refusal(503, "The HTTP door for ZIS is closed (no shared secret is configured).")
    try:
        timestamp, signature = signing.read_headers(request.headers)
    except signing.SignatureError as exc:
        raise Refusal(401, str(exc)) from exc
    return signing.start_signature(secret, timestamp), signature


def accept_signature(mac: hmac.HMAC, signature: str) -> None:
    try:
        signing.check_signature(mac, signature)
        signing.remember_signature(signature)
    except signing.SignatureError as exc:
        raise Refusal(401, str(exc)) from exc


def declared_length(request: HttpRequest) -> int:
    """Content-Length, checked against ZIS_MAX_UPLOAD_BYTES before anything is read."""
    value = request.META.get("CONTENT_LENGTH") or ""
    if not value.isdigit():
        raise Refusal(411, "Content-Length is required.")
    if int(value) > settings.ZIS_MAX_UPLOAD_BYTES:
        raise Refusal(413, f"The body is larger than {settings.ZIS_MAX_UPLOAD_BYTES} bytes.")
    return int(value)


def read_body(stream: IO[bytes], length: int, limit: int, mac: hmac.HMAC) -> IO[bytes]:
    """Spool the body to a temporary file (outside the inbox) while signing and counting it."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    received = 0
    try:
        while chunk := stream.read(READ_CHUNK):
            received += len(chunk)
            if received > limit:
                raise Refusal(413, f"The body is larger than {limit} bytes.")
            mac.update(chunk)
            body.write(chunk)
        if received != length:
            raise Refusal(400, "The body is shorter than its Content-Length.")
    except (Refusal, OSError, UnreadablePostError) as exc:
        body.close()
        if isinstance(exc, Refusal):
            raise
        raise Refusal(400, "The body could not be read.") from exc
    body.seek(0)
    return body
