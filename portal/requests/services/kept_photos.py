"""A self-reading's photo kept between the steps of the form, so the customer attaches it once.

When a self-reading is not saved at once (an unusual value waits for the customer's
confirmation, or another field is refused), the photo already checked and stripped of its
metadata by `portal.requests.photos.clean_photo` is kept on the private storage under a name tied to
the form's submission token and the user: ``pending-photos/<user pk>-<token>.jpg``. When the same
form comes back without a new file, the kept photo is used; a new file replaces it. A user has
at most `MAX_KEPT_PER_USER` kept photos: keeping another drops their oldest. Kept photos are
removed when the request is saved, and ones older than `KEEP_FOR` whenever another is kept
(`purge_kept_photos`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.lib.storage import get_private_storage

FOLDER = "pending-photos"
KEEP_FOR = dt.timedelta(days=1)
# Forms a customer may have open with a photo at once (several meters, a retried form); more
# would let one account fill the disk with refused submissions.
MAX_KEPT_PER_USER = 3


def kept_photo_name(user: Any, token: uuid.UUID) -> str:
    return f"{FOLDER}/{int(user.pk)}-{token.hex}.jpg"


def keep_photo(user: Any, token: uuid.UUID, photo: ContentFile) -> None:
    """Keep the cleaned `photo` of the form `token` of `user` (replacing one kept before)."""
    storage = get_private_storage()
    name = kept_photo_name(user, token)
    photo.seek(0)
    data = photo.read()
    storage.delete(name)
    storage.save(name, ContentFile(data))
    _drop_oldest(user, keep=name)
    purge_kept_photos()


def _drop_oldest(user: Any, keep: str) -> None:
    """Delete `user`'s kept photos beyond `MAX_KEPT_PER_USER`, oldest first, never `keep`."""
    storage = get_private_storage()
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    prefix = f"{int(user.pk)}-"
    dated = []
    for filename in files:
        name = f"{FOLDER}/{filename}"
        if not filename.startswith(prefix) or name == keep:
            continue
        try:
            dated.append((storage.get_modified_time(name), name))
        except FileNotFoundError:
            continue
    dated.sort()
    for _modified, name in dated[: max(0, len(dated) - (MAX_KEPT_PER_USER - 1))]:
        storage.delete(name)


def has_kept_photo(user: Any, token: Any) -> bool:
    token = _uuid(token)
    if token is None or not getattr(user, "pk", None):
        return False
    return get_private_storage().exists(kept_photo_name(user, token))


def kept_photo(user: Any, token: uuid.UUID) -> ContentFile | None:
    """A copy of the kept photo under a new random name, or None when there is none."""
    if not getattr(user, "pk", None):
        return None
    storage = get_private_storage()
    name = kept_photo_name(user, token)
    try:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return ContentFile(data, name=f"{uuid.uuid4().hex}.jpg")


def discard_kept_photo(user: Any, token: uuid.UUID) -> None:
    if getattr(user, "pk", None):
        get_private_storage().delete(kept_photo_name(user, token))


def purge_kept_photos(older_than: dt.timedelta = KEEP_FOR) -> int:
    """Delete kept photos of forms never finished; return how many were deleted."""
    storage = get_private_storage()
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    limit, deleted = timezone.now() - older_than, 0
    for filename in files:
        name = f"{FOLDER}/{filename}"
        try:
            stale = storage.get_modified_time(name) < limit
        except FileNotFoundError:
            continue
        if stale:
            storage.delete(name)
            deleted += 1
    return deleted


def _uuid(token: Any) -> uuid.UUID | None:
    try:
        return token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
    except ValueError:
        return None


def keep_upload(user: Any, token: Any, upload: Any) -> bool:
    """Keep a photo of a form refused before the service saw it (e.g. a typo in the value);
    False when there is nothing to keep or the file is not a photo we accept."""
    from portal.requests.photos import PhotoRejected, clean_photo

    token = _uuid(token)
    if token is None or not upload or not getattr(user, "pk", None):
        return False
    try:
        keep_photo(user, token, clean_photo(upload))
    except PhotoRejected:
        return False
    return True
