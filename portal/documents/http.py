"""HTTP answers for document downloads: type, attachment file name, never stored by caches."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

PDF = "application/pdf"
ISDOC = "application/xml"


def ascii_filename(name: str) -> str:
    """ "faktura-2025/01 č.pdf" → "faktura-2025-01-c.pdf": safe in every browser and OS."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return text or "document"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII name and the exact one in RFC 5987 ``filename*``."""
    fallback = ascii_filename(filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def download_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    return response
