"""Private files: stored on disk, never served under MEDIA_URL, only by views that check the user."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files that are never served under MEDIA_URL (customers' photos); served by `portal.requests.photos`.

    The location is read from `PRAMEN_PRIVATE_MEDIA_ROOT` on every use, so tests can override it.
    """

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRAMEN_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage
