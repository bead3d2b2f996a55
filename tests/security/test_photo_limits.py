"""Limits on customers' meter photos: pixels, decompression bombs, kept photos, upload rate.

- a phone's photo passes; a PNG of 7000 × 7000 pixels in a few kilobytes (or 134 bytes of header
  and a truncated image) is refused before anything is decoded;
- a user keeps at most `MAX_KEPT_PER_USER` photos of unfinished forms, the oldest dropped;
- a user's uploads are limited per hour; the reading is still accepted without the photo.
"""

from __future__ import annotations

import io
import os
import struct
import time
import uuid
import zlib

import pytest
from django.utils import timezone
from PIL import Image, ImageFile

from portal.models import SelfReadingRequest
from portal.requests import photos
from portal.requests.photos import MAX_SIDE, PhotoRejected, clean_photo
from portal.requests.services import kept_photos
from tests.factories.accounts import client_for
from tests.factories.billing import household_with_history
from tests.factories.requests import photo_upload
from tests.requests.conftest import token
from tests.support.pages import sub

pytestmark = pytest.mark.django_db


def blank_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def header_only_png(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels in about 130 bytes (one short IDAT)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def phone_photo(size=(4032, 3024)) -> bytes:
    """A 12-megapixel JPEG with a photo's grain: about six pixels per byte, as a phone's."""
    out = io.BytesIO()
    grain = Image.effect_noise((size[0] // 8, size[1] // 8), 40).resize(size)
    grain.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def no_decoding(monkeypatch):
    """Decoding any image fails the test: a refused file must be refused from its header."""

    def refuse(self):
        raise AssertionError(f"decoded a {self.size} image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(blank_png(7000, 7000), id="7000x7000-blank-png"),
        pytest.param(header_only_png(7000, 7000), id="7000x7000-header-only"),
        pytest.param(blank_png(5000, 5000), id="5000x5000-blank-png-within-the-pixel-limit"),
        pytest.param(header_only_png(100_000, 100_000), id="100000x100000-header-only"),
    ],
)
def test_a_decompression_bomb_is_refused_without_decoding(data, no_decoding):
    assert len(data) < 10_000
    with pytest.raises(PhotoRejected, match="příliš mnoho pixelů"):
        clean_photo(photo_upload(data, name="bomb.png", content_type="image/png"))


def test_the_134_byte_bomb_of_the_probe_is_that_small():
    assert len(header_only_png(7000, 7000)) <= 134


def test_a_phone_photo_passes_and_is_scaled_down():
    data = phone_photo()
    cleaned = clean_photo(photo_upload(data))
    with Image.open(cleaned) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= MAX_SIDE
        assert image.size[0] / image.size[1] == pytest.approx(4032 / 3024, rel=0.01)


def test_a_24_megapixel_phone_photo_passes():
    cleaned = clean_photo(photo_upload(phone_photo((5712, 4284))))
    with Image.open(cleaned) as image:
        assert max(image.size) <= MAX_SIDE


def _kept(private_media) -> list[str]:
    folder = private_media / "pending-photos"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_user_keeps_at_most_a_few_photos_the_oldest_dropped(
    customer, other_customer, private_media
):
    limit = kept_photos.MAX_KEPT_PER_USER
    theirs = token()
    assert kept_photos.keep_upload(other_customer, theirs, photo_upload())
    tokens = [token() for _ in range(limit + 2)]
    for age, key in enumerate(tokens):
        assert kept_photos.keep_upload(customer, key, photo_upload())
        # each photo kept a minute after the one before
        stamp = time.time() - 3600 + 60 * age
        path = private_media / kept_photos.kept_photo_name(customer, uuid.UUID(key))
        os.utime(path, (stamp, stamp))

    names = _kept(private_media)
    mine = [name for name in names if name.startswith(f"{customer.pk}-")]
    assert sorted(mine) == sorted(
        f"{customer.pk}-{key.replace('-', '')}.jpg" for key in tokens[-limit:]
    )
    assert kept_photos.has_kept_photo(other_customer, theirs)  # another user's are not touched


@pytest.fixture
def form_url(portal, customer_record, customer):
    household = household_with_history(customer_record, timezone.localdate())
    return sub(
        portal.readings,
        "self_reading",
        supply_point_pk=household.supply_point.pk,
        meter_pk=household.meter.pk,
    )


def test_photo_uploads_are_rate_limited_per_user(
    customer, other_customer, form_url, private_media, monkeypatch
):
    monkeypatch.setattr(photos, "UPLOADS_PER_WINDOW", 2)
    client = client_for(customer)
    for _ in range(2):  # unusual values: refused, their photos kept
        response = client.post(
            form_url, {"token": token(), "value": "300", "date": "", "photo": photo_upload()}
        )
        assert response.status_code == 200
    assert len(_kept(private_media)) == 2

    response = client.post(
        form_url, {"token": token(), "value": "146,5", "date": "", "photo": photo_upload()}
    )
    assert response.status_code == 200
    assert "Odeslali jste v poslední hodině mnoho fotografií" in response.content.decode()
    assert len(_kept(private_media)) == 2  # the third photo was neither decoded nor kept
    assert not SelfReadingRequest.objects.exists()

    # without a photo the reading goes through
    response = client.post(form_url, {"token": token(), "value": "146,5", "date": ""})
    assert response.status_code == 302
    assert SelfReadingRequest.objects.count() == 1
