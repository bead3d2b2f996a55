"""Fixtures of the request tests: a household with a year of reading history, its users, two
operators and the portal pages.

The meter's history is relative to today: 100.000 m³ 465 days ago and 136.500 m³ 100 days ago,
so the supply point uses 0.1 m³ a day and today's plausible band (factors 0.3–3) is
139.500–166.500 m³.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from portal.pages.setup import ensure_portal_pages
from tests.factories import billing as f
from tests.factories.accounts import AccountUserFactory, staff_group

PLAUSIBLE = Decimal("146.500")


@pytest.fixture(autouse=True)
def _czech():
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRAMEN_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRAMEN_PRIVATE_MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def household(db, today):
    customer = f.CustomerFactory(name="Jana Nováková", number="300100", email="jana@zis.example")
    point = f.SupplyPointFactory(customer=customer, number="OM-300100")
    meter = f.MeterFactory(
        supply_point=point, serial_number="SV-1001", installed_on=dt.date(2020, 1, 1)
    )
    f.ReadingFactory(meter=meter, date=today - dt.timedelta(days=465), value=Decimal("100.000"))
    last = f.ReadingFactory(
        meter=meter, date=today - dt.timedelta(days=100), value=Decimal("136.500")
    )
    return SimpleNamespace(customer=customer, supply_point=point, meter=meter, last=last)


@pytest.fixture
def jana(household):
    user = AccountUserFactory(
        email="jana.novakova@example.cz", first_name="Jana", last_name="Nováková"
    )
    f.CustomerLinkFactory(user=user, customer=household.customer)
    return user


@pytest.fixture
def stranger_household(db):
    customer = f.CustomerFactory(name="Petr Svoboda", number="300200")
    point = f.SupplyPointFactory(customer=customer, number="OM-300200")
    meter = f.MeterFactory(supply_point=point, serial_number="SV-2002")
    return SimpleNamespace(customer=customer, supply_point=point, meter=meter)


@pytest.fixture
def petr(stranger_household):
    user = AccountUserFactory(email="petr.svoboda@example.cz")
    f.CustomerLinkFactory(user=user, customer=stranger_household.customer)
    return user


@pytest.fixture
def outsider(db):
    return AccountUserFactory(email="cizi@example.cz")


def _operator(email: str, first: str, last: str):
    user = AccountUserFactory(email=email, first_name=first, last_name=last, is_staff=True)
    user.groups.add(staff_group("Operators", []))
    return user


@pytest.fixture
def operator(db):
    return _operator("operator@vodarna.example", "Olga", "Operátorová")


@pytest.fixture
def second_operator(db):
    return _operator("druhy@vodarna.example", "Karel", "Druhý")


@pytest.fixture
def portal(home):
    from portal.models import MyDetailsPage, ReadingsPage

    ensure_portal_pages(home)
    return SimpleNamespace(readings=ReadingsPage.objects.get(), details=MyDetailsPage.objects.get())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sub(page, route: str, **kwargs) -> str:
    return page.url + page.reverse_subpage(route, kwargs=kwargs or None)


def token() -> str:
    return str(uuid.uuid4())


def jpeg_with_exif(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF with a camera make and GPS coordinates."""
    image = Image.new("RGB", size, (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 5.0, 0.0)
    gps[3] = "E"
    gps[4] = (14.0, 25.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo_upload(
    data: bytes | None = None, name: str = "vodomer.jpg", content_type: str = "image/jpeg"
):
    return SimpleUploadedFile(name, data if data is not None else jpeg_with_exif(), content_type)
