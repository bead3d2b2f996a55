"""Rendered PDFs kept in the document storage and reused until the data changes.

A PDF is stored as ``<kind>/<id>/<version>.pdf`` in the storage ``STORAGES["documents"]`` (a
private folder by default, PRAMEN_DOCUMENT_CACHE; shared or S3-compatible storage when the web
tier has several servers, see docs/install.md). `version` hashes everything the document shows
(`content.fingerprint`: the ZIS data, payments, the utility's identity) and the renderer
(`pdf.template_version`: templates, style sheet, fonts). Older versions of a document are
removed when a new one is stored. Nothing in it is under MEDIA_URL: files leave it only through
scoped portal routes.

Finding the version means building the document (a dozen queries and ~30 ms). So the version
found is remembered in the cache under the document's id and the data generation
(`portal.lib.generations`, renewed after every succeeded ZIS import and every change of the
utility's identity): a download in the same generation reads the stored file straight away.
A new generation builds the document once more; an unchanged document keeps its file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile

from portal.lib import generations
from portal.lib.storage import get_document_storage

from . import pdf
from .content import fingerprint

TIMEOUT = 7 * 24 * 3600  # seconds; a new generation makes older entries unused anyway


def version_of(document: Any) -> str:
    text = f"{fingerprint(document)}:{pdf.template_version()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def stored_name(document: Any) -> str:
    return f"{document.kind}/{document.pk}/{version_of(document)}.pdf"


def _key(kind: str, pk: int) -> str:
    return f"pramen:document:{generations.current()}:{pdf.template_version()[:16]}:{kind}:{pk}"


def cached_pdf(kind: str, pk: int) -> tuple[bytes, str] | None:
    """The stored PDF of document `kind` `pk` and its file name (without ".pdf") when it was
    rendered or checked in the current data generation; None otherwise. The caller has checked
    that the user may see the document."""
    entry = cache.get(_key(kind, pk))
    if entry is None:
        return None
    name, filename = entry
    try:
        with get_document_storage().open(name, "rb") as stored:
            return stored.read(), filename
    except FileNotFoundError:
        return None


def get_or_render_pdf(document: Any, template: str) -> bytes:
    """The PDF of `document`: from the storage, or rendered with `template` and stored."""
    storage = get_document_storage()
    name = stored_name(document)
    content = _read(storage, name)
    if content is None:
        content = pdf.render_pdf(template, {"document": document})
        _store(storage, name, content)
    cache.set(_key(document.kind, document.pk), (name, document.filename), TIMEOUT)
    return content


def pdf_of(kind: str, pk: int, build: Callable[[], Any], template: str) -> tuple[bytes, str]:
    """The PDF of document `kind` `pk` and its file name: stored in this generation, or
    `build()` (the document) rendered or found by its version."""
    found = cached_pdf(kind, pk)
    if found is not None:
        return found
    document = build()
    return get_or_render_pdf(document, template), document.filename


def _read(storage: Any, name: str) -> bytes | None:
    try:
        with storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


def _store(storage: Any, name: str, content: bytes) -> None:
    """Store the new version (a concurrent request storing the same one is harmless: the same
    bytes under the same name) and remove the document's older versions."""
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # another request stored it meanwhile under the exact name
            storage.delete(saved)
    folder, _slash, current = name.rpartition("/")
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for older in files:
        if older.endswith(".pdf") and older != current:
            storage.delete(f"{folder}/{older}")
