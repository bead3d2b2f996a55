"""Signatures of the HTTP door: HMAC-SHA256 of ``f"{timestamp}.".encode() + body``.

ZIS sends ``X-Pramen-Timestamp`` (unix seconds) and ``X-Pramen-Signature`` (lowercase hex of
HMAC-SHA256 with ``settings.ZIS_SHARED_SECRET``). A request is accepted when the signature matches
(compared in constant time), the timestamp is within five minutes of the server's clock either
way, and the signature has not been seen before: every signature is accepted once.

Seen signatures are remembered in the Django cache for as long as they could still be valid. In
production, with several gunicorn workers or hosts, the cache must be shared (Redis, i.e. set
``REDIS_URL``); a per-process cache would let a replay through to another worker.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

from django.core.cache import cache

TIMESTAMP_HEADER = "X-Pramen-Timestamp"
SIGNATURE_HEADER = "X-Pramen-Signature"
WINDOW_SECONDS = 300
# A signature is valid from (timestamp - window) to (timestamp + window): remember it that long.
REPLAY_MEMORY_SECONDS = 2 * WINDOW_SECONDS + 60
REPLAY_KEY_PREFIX = "zis-http:signature:"

TIMESTAMP_PATTERN = re.compile(r"^[1-9][0-9]{0,11}$")
SIGNATURE_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class SignatureError(Exception):
    """The request is not signed correctly; the message says why (it goes into the 401 body)."""


def start_signature(secret: str, timestamp: str) -> hmac.HMAC:
    """An HMAC over the timestamp and the dot; feed it the body with ``update()``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)


def sign(secret: str, timestamp: int | str, body: bytes = b"") -> str:
    """The signature of a request: what ZIS puts into ``X-Pramen-Signature``."""
    mac = start_signature(secret, str(timestamp))
    mac.update(body)
    return mac.hexdigest()


def signed_headers(secret: str, body: bytes = b"", timestamp: int | None = None) -> dict[str, str]:
    """Both headers for a request with `body`, signed now (or at `timestamp`)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(secret, stamp, body)}


def read_headers(headers: Mapping[str, str], now: float | None = None) -> tuple[str, str]:
    """The timestamp and signature of a request; refuses missing, malformed or expired ones."""
    timestamp = (headers.get(TIMESTAMP_HEADER) or "").strip()
    signature = (headers.get(SIGNATURE_HEADER) or "").strip().lower()
    if not timestamp or not signature:
        raise SignatureError(f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required.")
    if not TIMESTAMP_PATTERN.match(timestamp):
        raise SignatureError(f"{TIMESTAMP_HEADER} must be unix seconds.")
    if not SIGNATURE_PATTERN.match(signature):
        raise SignatureError(f"{SIGNATURE_HEADER} must be 64 hexadecimal digits.")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise SignatureError(
            f"{TIMESTAMP_HEADER} is more than {WINDOW_SECONDS} seconds from the server's clock."
        )
    return timestamp, signature


def check_signature(mac: hmac.HMAC, signature: str) -> None:
    """Compare the computed HMAC with the one sent, in constant time."""
    if not hmac.compare_digest(mac.hexdigest(), signature):
        raise SignatureError("The signature does not match.")


def remember_signature(signature: str) -> None:
    """Accept each signature once: refuse one already seen within its validity."""
    if not cache.add(REPLAY_KEY_PREFIX + signature, 1, timeout=REPLAY_MEMORY_SECONDS):
        raise SignatureError("This signature has been used already (a replayed request).")
