"""Rendered PDFs kept on disk and reused until the document changes.

A PDF is stored as ``<PRAMEN_DOCUMENT_CACHE>/<kind>/<id>/<version>.pdf`` where `version` hashes
everything the document shows (`content.fingerprint`: the ZIS data, payments, the utility's
identity) and the renderer (`pdf.template_version`: templates, style sheet, fonts). A changed
document gets a new version; older versions of it are removed when the new one is stored.
The folder is private (not under MEDIA_URL): files leave it only through scoped portal routes.
Writes are atomic (a temporary file renamed into place), so concurrent requests are safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from . import pdf
from .content import fingerprint


def cache_root() -> Path:
    return Path(settings.PRAMEN_DOCUMENT_CACHE)


def version_of(document: Any) -> str:
    text = f"{fingerprint(document)}:{pdf.template_version()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached_path(document: Any) -> Path:
    return cache_root() / document.kind / str(document.pk) / f"{version_of(document)}.pdf"


def get_or_render_pdf(document: Any, template: str) -> bytes:
    """The PDF of `document`: from the cache, or rendered with `template` and stored."""
    path = cached_path(document)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    content = pdf.render_pdf(template, {"document": document})
    _store(path, content)
    return content


def _store(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for older in path.parent.glob("*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
