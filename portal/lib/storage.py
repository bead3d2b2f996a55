"""Where Pramen keeps files, through Django's storage API (STORAGES), so that several web servers
can share them (a shared folder or S3-compatible storage, see docs/install.md "Scaling out").

- ``STORAGES["default"]``: media (images and documents of the public site; under MEDIA_URL);
- ``STORAGES["private"]``: customers' photos of their meters, never under MEDIA_URL, served
  only by views that check the user (`portal.requests.photos`);
- ``STORAGES["documents"]``: rendered PDF documents (`portal.documents.cache`), private too.

The private kinds default to folders on disk that are read from the settings on every use
(PRAMEN_PRIVATE_MEDIA_ROOT, PRAMEN_DOCUMENT_CACHE), so tests can move them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """A folder that is never served under MEDIA_URL (customers' photos)."""

    setting = "PRAMEN_PRIVATE_MEDIA_ROOT"

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(getattr(settings, self.setting))

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL")


class DocumentStorage(PrivateStorage):
    """The folder of rendered documents (PDFs), private like the photos."""

    setting = "PRAMEN_DOCUMENT_CACHE"

    def _save(self, name: str, content: Any) -> str:
        # Written under a temporary name and renamed into place: a concurrent download never
        # reads half a file.
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return name


def get_private_storage() -> Storage:
    """The storage of customers' photos (``STORAGES["private"]``)."""
    return storages["private"]


def get_document_storage() -> Storage:
    """The storage of rendered documents (``STORAGES["documents"]``)."""
    return storages["documents"]
