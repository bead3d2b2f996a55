"""Customers' photos of their meters: checked by decoding, cleaned, stored and served privately.

A photo is accepted when Pillow decodes it as JPEG, PNG or HEIC/HEIF (whatever its name says),
it is at most `MAX_PHOTO_BYTES` and `MAX_PIXELS`, and it is not a decompression bomb (more than
`MAX_PIXELS_PER_BYTE` pixels per byte of the file). Size and format are read from the header
first, so a file refused for them is never decoded: decoding works on at most `MAX_PIXELS`
pixels (JPEGs larger than `MAX_SIDE` are decoded at a reduced scale), which bounds its time and
memory. Uploads are counted per user (`allow_upload`). It is re-encoded as a JPEG without any
metadata (EXIF with GPS and the camera, XMP, ICC comments), turned upright first, and stored on
the private storage under a random name. Only scoped views serve it: the customer's photo route
and the operators' inspect view (`photo_response`).
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import IO, Any

import pillow_heif
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A phone's photo (12 MP; 24 MP for the largest default modes) passes; a 7000 × 7000 image does
# not. Decoding 30 MP takes at most 120 MB (four bytes a pixel).
MAX_PIXELS = 30_000_000
# A photo compresses to a few pixels per byte (a 12 MP JPEG is 2–5 MB, a flat screenshot a few
# hundred pixels per byte); a decompression bomb (a tiny PNG of a huge blank area) to thousands.
MAX_PIXELS_PER_BYTE = 1000
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "HEIF"})  # MPO: JPEGs of some phones
MAX_SIDE = 4000  # larger photos are scaled down; a meter's dial stays readable
JPEG_QUALITY = 85
# Photo uploads per user and window: enough for a customer with many meters and a few retries,
# few enough that nobody can keep the server decoding.
UPLOADS_PER_WINDOW = 30
UPLOAD_WINDOW = 60 * 60  # seconds


class PhotoRejected(ValueError):
    """The upload is not a photo we accept; `str()` is the message for the customer."""


def allow_upload(user: Any) -> bool:
    """Count one photo upload of `user`; False when they sent `UPLOADS_PER_WINDOW` already in
    the current window of `UPLOAD_WINDOW` seconds (the upload must then not be decoded)."""
    key = f"pramen:photo-uploads:{int(user.pk)}"
    cache.add(key, 0, timeout=UPLOAD_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=UPLOAD_WINDOW)
        count = 1
    return count <= UPLOADS_PER_WINDOW


def clean_photo(upload: Any) -> ContentFile:
    """The upload decoded, checked and re-encoded as a metadata-free JPEG with a random name."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise PhotoRejected(_("The photo is larger than 10 MB. Please send a smaller one."))
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRejected(_("The photo is larger than 10 MB. Please send a smaller one."))
    not_a_photo = PhotoRejected(
        _("The file is not a photo we can read. Please send a JPEG, PNG or HEIC image.")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise not_a_photo
                width, height = image.size
                if width * height > MAX_PIXELS or width * height > MAX_PIXELS_PER_BYTE * len(data):
                    raise PhotoRejected(
                        _("The photo has too many pixels. Please send a smaller one.")
                    )
                if image.format in ("JPEG", "MPO"):
                    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale
                image.load()
                cleaned = _reencode(image)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_a_photo from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRejected(
            _("The photo has too many pixels. Please send a smaller one.")
        ) from None
    return ContentFile(cleaned, name=f"{uuid.uuid4().hex}.jpg")


def _reencode(image: Image.Image) -> bytes:
    upright = ImageOps.exif_transpose(image) or image
    if upright.mode not in ("RGB", "L"):
        upright = (
            upright.convert("RGBA").convert("RGB")
            if "A" in upright.mode
            else upright.convert("RGB")
        )
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image carries no info dict: nothing of the original's metadata is written.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def open_photo(request_obj: Any) -> IO[bytes]:
    """The stored photo of a self-reading request, opened for reading (Http404 without one)."""
    photo = getattr(request_obj, "photo", None)
    if not photo:
        raise Http404("No photo")
    try:
        return photo.storage.open(photo.name, "rb")
    except FileNotFoundError:
        raise Http404("The photo file is missing") from None


def photo_response(request_obj: Any) -> HttpResponse:
    """The photo as a private, inline JPEG response. The caller has checked who may see it.

    The re-encoded photo is small (at most `MAX_SIDE` pixels a side), so it is read whole: no
    file handle outlives the response."""
    with open_photo(request_obj) as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="samoodecet-{request_obj.pk}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
