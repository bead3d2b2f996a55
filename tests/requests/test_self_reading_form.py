"""The self-reading form on the readings page: facts, errors, the confirmation step, photos."""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.models import SelfReadingRequest
from portal.requests.photos import MAX_PHOTO_BYTES
from tests.factories.accounts import client_for
from tests.factories.requests import jpeg_with_exif, photo_upload, png_bytes
from tests.support.pages import sub

from .conftest import token

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_url(portal, household):
    return sub(
        portal.readings,
        "self_reading",
        supply_point_pk=household.supply_point.pk,
        meter_pk=household.meter.pk,
    )


def post(client, url, **data):
    data.setdefault("token", token())
    data.setdefault("date", "")
    return client.post(url, data)


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_form_shows_the_last_reading_and_the_limit(customer, form_url):
    text = page_text(client_for(customer).get(form_url))
    assert "Poslední schválený odečet" in text
    assert "136,500\u00a0m³" in text
    assert "0 z 1" in text
    assert 'name="token"' in text and 'type="file"' in text
    assert 'name="confirm_unusual"' not in text


def test_the_readings_detail_links_to_the_form(customer, portal, household, form_url):
    url = sub(portal.readings, "supply_point_readings", supply_point_pk=household.supply_point.pk)
    assert form_url in page_text(client_for(customer).get(url))


def test_a_good_reading_redirects_to_the_tracker(customer, portal, form_url, today):
    client = client_for(customer)
    response = post(client, form_url, value="146,5", date=today.isoformat())
    assert response.status_code == 302
    assert response["Location"] == sub(portal.details, "requests")
    obj = SelfReadingRequest.objects.get()
    assert (obj.value, obj.date, obj.language) == (Decimal("146.500"), today, "cs")
    tracker = page_text(client.get(response["Location"]))
    assert "Děkujeme, stav vodoměru SV-1001 jsme přijali." in tracker
    assert "Samoodečet vodoměru SV-1001" in tracker
    assert "čeká na vyřízení" in tracker


def test_a_double_submitted_form_makes_one_request(customer, form_url):
    client = client_for(customer)
    key = token()
    first = post(client, form_url, value="146,5", token=key)
    second = post(client, form_url, value="146,5", token=key)
    assert first.status_code == second.status_code == 302
    assert SelfReadingRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "146,5", "date": "2999-01-01"}, "Datum odečtu nemůže být v budoucnosti."),
        ({"value": "100"}, "Hodnota je nižší než poslední schválený odečet"),
        ({"value": "abc"}, "Zadejte stav vodoměru jako číslo"),
        ({"value": "146,5", "date": "2020-01-01"}, "nemůže být před posledním schváleným"),
    ],
)
def test_bad_input_is_shown_on_the_field_and_changes_nothing(customer, form_url, data, message):
    text = page_text(post(client_for(customer), form_url, **data))
    assert message in text
    assert 'class="form-errors" role="alert"' in text
    assert 'href="#id_' in text  # the summary links to the field
    assert 'aria-invalid="true"' in text
    assert SelfReadingRequest.objects.count() == 0


def test_over_the_limit_is_refused(customer, form_url):
    client = client_for(customer)
    assert post(client, form_url, value="146,5").status_code == 302
    # the form is gone; a forged post is refused too
    text = page_text(post(client, form_url, value="147"))
    assert "Samoodečty tohoto vodoměru jste v tomto fakturačním období vyčerpali." in text
    assert SelfReadingRequest.objects.count() == 1


def test_an_unusual_value_asks_for_confirmation(customer, form_url):
    client = client_for(customer)
    text = page_text(post(client, form_url, value="300"))
    assert "Je hodnota správná?" in text
    assert "mnohem vyšší" in text
    assert 'name="confirm_unusual"' in text and 'name="step" value="confirm"' in text
    assert SelfReadingRequest.objects.count() == 0
    key = token()
    # sent again without ticking the box: asked again
    text = page_text(post(client, form_url, value="300", step="confirm", token=key))
    assert "Zkontrolujte prosím hodnotu, a pokud je správná, potvrďte ji." in text
    assert SelfReadingRequest.objects.count() == 0
    response = post(client, form_url, value="300", step="confirm", confirm_unusual="on", token=key)
    assert response.status_code == 302
    obj = SelfReadingRequest.objects.get()
    assert obj.flagged and obj.customer_confirmed_unusual


def post_photo(client, url, upload):
    return client.post(url, {"token": token(), "value": "146,5", "date": "", "photo": upload})


def test_a_text_file_named_jpg_is_refused(customer, form_url):
    upload = SimpleUploadedFile("vodomer.jpg", b"this is not a photo\n" * 50, "image/jpeg")
    text = page_text(post_photo(client_for(customer), form_url, upload))
    assert "Soubor není fotografie, kterou umíme přečíst." in text
    assert SelfReadingRequest.objects.count() == 0


def test_an_oversize_photo_is_refused(customer, form_url):
    data = jpeg_with_exif() + b"\0" * MAX_PHOTO_BYTES
    text = page_text(post_photo(client_for(customer), form_url, photo_upload(data)))
    assert "Fotografie je větší než 10 MB." in text
    assert SelfReadingRequest.objects.count() == 0


def test_the_photo_is_stored_privately_without_metadata(
    customer, form_url, private_media, settings
):
    source = Image.open(io.BytesIO(jpeg_with_exif()))
    assert source.getexif()[0x010F] == "PhoneMaker"  # the upload has EXIF
    assert post_photo(client_for(customer), form_url, photo_upload()).status_code == 302
    obj = SelfReadingRequest.objects.get()
    assert obj.photo.name.startswith("self-readings/") and "vodomer" not in obj.photo.name
    stored = private_media / obj.photo.name
    assert stored.is_file()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert len(image.getexif()) == 0
        assert "exif" not in image.info


def test_a_png_is_accepted_and_stored_as_jpeg(customer, form_url, private_media):
    upload = SimpleUploadedFile("vodomer.png", png_bytes((20, 20), transparent=True), "image/png")
    assert post_photo(client_for(customer), form_url, upload).status_code == 302
    with Image.open(private_media / SelfReadingRequest.objects.get().photo.name) as image:
        assert image.format == "JPEG"


def test_a_heic_photo_is_accepted(customer, form_url, private_media):
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (32, 32), (200, 10, 10)))
    out = io.BytesIO()
    heif.save(out, quality=50)
    upload = SimpleUploadedFile("IMG_0001.HEIC", out.getvalue(), "image/heic")
    assert post_photo(client_for(customer), form_url, upload).status_code == 302
    with Image.open(private_media / SelfReadingRequest.objects.get().photo.name) as image:
        assert image.format == "JPEG"


def test_the_photo_is_shown_to_its_customer_only(
    customer, other_customer, outsider, portal, form_url
):
    client = client_for(customer)
    post_photo(client, form_url, photo_upload())
    obj = SelfReadingRequest.objects.get()
    url = sub(portal.details, "self_reading_photo", self_reading_pk=obj.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert response.content[:2] == b"\xff\xd8"
    assert url in page_text(client.get(sub(portal.details, "requests")))
    for user in (other_customer, outsider):
        assert client_for(user).get(url).status_code == 404
    assert client_for(customer).get(url.replace("/foto/", "x/foto/")).status_code == 404


def test_another_customers_meter_is_404(other_customer, outsider, form_url):
    for user in (other_customer, outsider):
        assert client_for(user).get(form_url).status_code == 404
        assert post(client_for(user), form_url, value="146,5").status_code == 404
    assert SelfReadingRequest.objects.count() == 0


def test_a_remote_read_meter_has_no_form(customer, household, form_url):
    household.meter.remote_read = True
    household.meter.save()
    text = page_text(client_for(customer).get(form_url))
    assert "Tento vodoměr je odečítán dálkově" in text
    assert 'name="value"' not in text


def kept_photos(private_media) -> list:
    folder = private_media / "pending-photos"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_photo_is_kept_through_the_confirmation_step(customer, form_url, private_media):
    client = client_for(customer)
    key = token()
    first = client.post(
        form_url, {"token": key, "value": "300", "date": "", "photo": photo_upload()}
    )
    text = page_text(first)
    assert "Je hodnota správná?" in text
    assert "Fotografii, kterou jste přiložili, jsme si ponechali" in text
    # the notice is also the file input's description
    assert re.search(r'id="id_photo_helptext">Fotografii, kterou jste přiložili', text)
    assert SelfReadingRequest.objects.count() == 0
    assert len(kept_photos(private_media)) == 1

    # confirmed without attaching the photo again
    response = post(client, form_url, value="300", step="confirm", confirm_unusual="on", token=key)

    assert response.status_code == 302
    obj = SelfReadingRequest.objects.get()
    assert obj.flagged and obj.photo
    with Image.open(private_media / obj.photo.name) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert len(image.getexif()) == 0
    assert kept_photos(private_media) == []  # used, not left behind


def test_a_new_photo_at_the_confirmation_step_replaces_the_kept_one(
    customer, form_url, private_media
):
    client = client_for(customer)
    key = token()
    client.post(form_url, {"token": key, "value": "300", "date": "", "photo": photo_upload()})
    second = SimpleUploadedFile("jina.png", png_bytes((30, 20)), "image/png")
    data = {"token": key, "value": "300", "date": "", "step": "confirm", "confirm_unusual": "on"}
    assert client.post(form_url, {**data, "photo": second}).status_code == 302
    with Image.open(private_media / SelfReadingRequest.objects.get().photo.name) as image:
        assert image.size == (30, 20)
    assert kept_photos(private_media) == []


def test_the_photo_is_kept_when_the_value_has_a_typo(customer, form_url, private_media):
    client = client_for(customer)
    key = token()
    text = page_text(
        client.post(form_url, {"token": key, "value": "14x", "date": "", "photo": photo_upload()})
    )
    assert "Zadejte stav vodoměru jako číslo" in text
    assert re.search(r'id="id_photo_helptext">Fotografii, kterou jste přiložili', text)

    assert post(client, form_url, value="146,5", token=key).status_code == 302
    assert SelfReadingRequest.objects.get().photo


def test_a_kept_photo_belongs_to_its_user_and_form_only(
    customer, other_customer, household, private_media
):
    from portal.requests.services.kept_photos import has_kept_photo, keep_upload, kept_photo

    key = token()
    assert keep_upload(customer, key, photo_upload())
    assert has_kept_photo(customer, key)
    assert (
        not has_kept_photo(other_customer, key)
        and kept_photo(other_customer, uuid.UUID(key)) is None
    )
    assert not has_kept_photo(customer, token())
    assert not keep_upload(
        customer, token(), SimpleUploadedFile("a.jpg", b"not a photo", "image/jpeg")
    )


def test_stale_kept_photos_are_purged(customer, private_media):
    import os
    import time

    from portal.requests.services.kept_photos import keep_upload, purge_kept_photos

    old, fresh = token(), token()
    keep_upload(customer, old, photo_upload())
    [stale] = kept_photos(private_media)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    keep_upload(customer, fresh, photo_upload())  # keeping another purges the stale one

    assert [path.name for path in kept_photos(private_media)] == [
        f"{customer.pk}-{fresh.replace('-', '')}.jpg"
    ]
    assert purge_kept_photos() == 0


def test_the_confirmation_box_is_described_by_the_warning(customer, form_url):
    client = client_for(customer)
    key = token()
    text = page_text(post(client, form_url, value="300", token=key))
    assert re.search(r'name="confirm_unusual"[^>]*aria-describedby="unusual-warning"', text)
    assert 'id="unusual-warning" tabindex="-1" autofocus' in text  # focused on load

    text = page_text(post(client, form_url, value="300", step="confirm", token=key))
    assert re.search(
        r'name="confirm_unusual"[^>]*aria-describedby="unusual-warning id_confirm_unusual_error"',
        text,
    )
    assert 'id="error-summary"' in text and "autofocus" in text.split('id="unusual-warning"')[0]
    assert 'id="unusual-warning" tabindex="-1">' in text  # one autofocus: the error summary
