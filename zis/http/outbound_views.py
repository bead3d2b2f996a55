"""The HTTP pull of outbound batches for ZIS (zis/EXCHANGE.md § 4.5), signed like every request.

GET  /zis/api/v1/outbound/                   → the written batches waiting for an acknowledgement
GET  /zis/api/v1/outbound/<batch_id>/        → the batch as a ZIP of its folder
POST /zis/api/v1/outbound/<batch_id>/ack/    → ack.json (application/json) → 200 what it changed

Refusals answer JSON {"error": "..."}: 400 a bad acknowledgement, 401 signature, 404 unknown batch,
409 a batch not written yet or acknowledged already with a different answer, 411/413 size,
415 type, 503 door closed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from zis.models import OutboundBatch
from zis.outbound.acks import MAX_ACK_BYTES, AckError, acknowledge_document
from zis.outbound.writer import timestamp, zip_batch

from .views import BATCH_ID, Refusal, accept_signature, read_body, signed_request

JSON_CONTENT_TYPE = "application/json"


def check_signed_get(request: HttpRequest) -> None:
    mac, signature = signed_request(request)  # signed over an empty body
    accept_signature(mac, signature)


def describe(request: HttpRequest, batch: OutboundBatch) -> dict[str, object]:
    download = reverse("zis-http:outbound-batch", args=[batch.batch_id])
    ack = reverse("zis-http:outbound-ack", args=[batch.batch_id])
    return {
        "batch_id": batch.batch_id,
        "status": batch.status,
        "created": timestamp(batch.created_at),
        "written_at": timestamp(batch.written_at),
        "records": {
            "self_readings.jsonl": batch.self_readings,
            "address_changes.jsonl": batch.address_changes,
        },
        "download_url": request.build_absolute_uri(download),
        "ack_url": request.build_absolute_uri(ack),
    }


@csrf_exempt
@never_cache
@require_GET
def outbound_list(request: HttpRequest) -> JsonResponse:
    try:
        check_signed_get(request)
    except Refusal as refusal:
        return refusal.response()
    waiting = OutboundBatch.objects.filter(status=OutboundBatch.Status.WRITTEN).order_by(
        "created_at", "pk"
    )
    return JsonResponse({"batches": [describe(request, batch) for batch in waiting]})


def known_batch(batch_id: str) -> OutboundBatch:
    batch = (
        OutboundBatch.objects.filter(batch_id=batch_id).first()
        if BATCH_ID.match(batch_id)
        else None
    )
    if batch is None:
        raise Refusal(404, f"No outbound batch {batch_id!r} is known.")
    return batch


@csrf_exempt
@never_cache
@require_GET
def outbound_batch(request: HttpRequest, batch_id: str) -> HttpResponse:
    try:
        check_signed_get(request)
        batch = known_batch(batch_id)
        if batch.status == OutboundBatch.Status.RESERVED:
            raise Refusal(
                409, f"Outbound batch {batch_id} has not been written yet; ask again later."
            )
    except Refusal as refusal:
        return refusal.response()
    response = HttpResponse(zip_batch(batch), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{batch.batch_id}.zip"'
    return response


@csrf_exempt
@never_cache
@require_POST
def outbound_ack(request: HttpRequest, batch_id: str) -> JsonResponse:
    try:
        mac, signature = signed_request(request)
        length = declared_length(request)
        if request.content_type != JSON_CONTENT_TYPE:
            raise Refusal(415, f"The body must be an acknowledgement ({JSON_CONTENT_TYPE}).")
        with read_body(request, length, MAX_ACK_BYTES, mac) as body:
            accept_signature(mac, signature)
            data = body.read()
        known_batch(batch_id)
        outcome = acknowledge_document(data, OutboundBatch.AckSource.HTTP, batch_id)
    except Refusal as refusal:
        return refusal.response()
    except AckError as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse(
        {
            "batch_id": outcome.batch.batch_id,
            "status": outcome.batch.status,
            "confirmed": outcome.confirmed,
            "rejected": outcome.rejected,
            "changed": outcome.changed,
        }
    )


def declared_length(request: HttpRequest) -> int:
    value = request.META.get("CONTENT_LENGTH") or ""
    if not value.isdigit():
        raise Refusal(411, "Content-Length is required.")
    if int(value) > MAX_ACK_BYTES:
        raise Refusal(413, f"The body is larger than {MAX_ACK_BYTES} bytes.")
    return int(value)
