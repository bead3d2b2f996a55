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
(`portal.lib.generations`, renewed after every succeeded ZIS import, every change of the
utility's identity and every tax document the portal issues): a download in the same
generation reads the stored file straight away. A new generation builds the document once
more; an unchanged document keeps its file.

An export (the ISDOC e-invoice, a few kilobytes) is kept in the cache itself for the data
generation and the exporting code (`export_of`): building its document cost more than the rest
of the download.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import translation

from portal.lib import generations
from portal.lib.storage import get_document_storage

from . import content, isdoc, pdf
from .content import fingerprint

TIMEOUT = 7 * 24 * 3600  # seconds; a new generation makes older entries unused anyway
EXPORT_TIMEOUT = 3600  # seconds; exports are kept in the cache itself, so not for long


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


@lru_cache(maxsize=1)
def export_version() -> str:
    """A hash of the code that builds and writes exports: a deployment that changes it does not
    serve exports kept from the code before."""
    digest = hashlib.sha256()
    for module in (content, isdoc):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _export_key(kind: str, pk: int, extension: str) -> str:
    # the language too: an export writes the document's title as the active language has it
    generation, language = generations.current(), translation.get_language()
    version = export_version()
    return f"pramen:document-export:{generation}:{version}:{language}:{extension}:{kind}:{pk}"


def export_of(
    kind: str, pk: int, extension: str, build: Callable[[], Any], export: Callable[[Any], bytes]
) -> tuple[bytes, str]:
    """The export of document `kind` `pk` in format `extension` and its file name (without the
    extension): kept in this data generation and language, or `export(build())`. The caller
    has checked that the user may see the document."""
    key = _export_key(kind, pk, extension)
    found = cache.get(key)
    if found is not None:
        return found
    document = build()
    entry = (export(document), document.filename)
    cache.set(key, entry, EXPORT_TIMEOUT)
    return entry


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
