"""Shared fixtures: the site's page tree, the portal pages, the recorded ZIS batch and the personas.

Personas (one line each below; every password is `tests.factories.accounts.PASSWORD`): customers
`customer`, `other_customer`, `business_customer` and `outsider`; staff `operator`,
`second_operator`, `viewer`, `editor`, `unenrolled_staff` and `administrator`. Staff need the MFA
stage for the admin: `operator_client` has passed it, otherwise use `login_with_mfa` or
`mfa_client` from `tests.factories.accounts`.

`customer_record` and `other_customer_record` are the customers (odběratelé) as ZIS knows them,
300100 and 300200 without supply points. A folder that needs richer customers overrides them (with
the recorded batch's customers) or builds supply points, meters and readings on them.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import translation
from wagtail.models import Page, Site

from cms_pages.models import HomePage, UtilitySettings
from portal.accounts.groups import ensure_operator_group
from portal.models import (
    ConsumptionPage,
    Customer,
    CustomerLink,
    InvoicesPage,
    MyDetailsPage,
    PortalHomePage,
    RainwaterPage,
    ReadingsPage,
    SupplyPointsPage,
)
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import (
    CustomerLinkFactory,
    UserFactory,
    enable_totp,
    mfa_client,
    staff_group,
)
from tests.factories.billing import CustomerFactory
from tests.factories.zis import copy_batch
from zis.importer import import_batch
from zis.models import SyncRun


class OneRequestAtATimeServer(WSGIServer):
    """The live server answering one request at a time, in its own thread.

    With SQLite in memory every request shares the test's one connection, and two requests at
    once (a chart's data beside a page the browser loads) can block each other for good, as
    Django's documentation of the live server warns. Not being threaded, Django's server answers
    with `Connection: close`, so a browser's kept-alive connection does not hold it."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server thread itself uses the overrides


@pytest.fixture(scope="session", autouse=True)
def _one_live_request_at_a_time_on_sqlite():
    if "sqlite" not in django_settings.DATABASES["default"]["ENGINE"]:
        yield
        return
    threaded, LiveServerThread.server_class = LiveServerThread.server_class, OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (rate limits, cached fragments)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _czech():
    """Requests to /en/… leave English active in the thread; every test starts in Czech."""
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Each test keeps customers' photos in its own private folder."""
    settings.PRAMEN_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRAMEN_PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def document_cache(settings, tmp_path) -> Path:
    """Each test renders PDFs into its own document cache."""
    settings.PRAMEN_DOCUMENT_CACHE = tmp_path / "document-cache"
    return settings.PRAMEN_DOCUMENT_CACHE


# --- the site -------------------------------------------------------------------------------------


@pytest.fixture
def home(db) -> HomePage:
    """A home page at the root of the default site, as the demo loader makes it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Vodárna Testov", slug="domov"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def utility(home) -> UtilitySettings:
    site = Site.objects.get(is_default_site=True)
    settings = UtilitySettings.for_site(site)
    settings.name = "Vodárna Testov"
    settings.legal_name = "Vodárna Testov, a.s."
    settings.ico = "25596641"
    settings.dic = "CZ25596641"
    settings.street = "Nádražní 12"
    settings.municipality = "Testov"
    settings.postcode = "53002"
    settings.phone = "+420 466 123 456"
    settings.email = "info@testov.example"
    settings.iban = "CZ6508000000192000145399"
    settings.office_hours = "Po a St 8:00–17:00\nÚt, Čt 8:00–14:00"
    settings.full_clean()
    settings.save()
    return settings


@pytest.fixture
def portal(home) -> SimpleNamespace:
    """The portal pages under the home page, made as `create_portal_pages` makes them."""
    ensure_portal_pages(home)
    return SimpleNamespace(
        home=PortalHomePage.objects.get(),
        supply_points=SupplyPointsPage.objects.get(),
        readings=ReadingsPage.objects.get(),
        invoices=InvoicesPage.objects.get(),
        rainwater=RainwaterPage.objects.get(),
        consumption=ConsumptionPage.objects.get(),
        details=MyDetailsPage.objects.get(),
    )


@pytest.fixture
def recorded_batch(db, tmp_path) -> SyncRun:
    """The recorded full batch from ZIS (tests/fixtures/zis/batch_full_v1), imported by the real
    importer: 100001 Jana Nováková, 100002 Pekárna U Mlýna s.r.o., 100003 Petr Svoboda."""
    run = import_batch(copy_batch("batch_full_v1", tmp_path), move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    return run


# --- customers and their users --------------------------------------------------------------------


@pytest.fixture
def customer_record(db) -> Customer:
    """Customer 300100 Jana Nováková, as ZIS sent it (no supply points)."""
    return CustomerFactory(name="Jana Nováková", number="300100", email="jana@zis.example")


@pytest.fixture
def other_customer_record(db) -> Customer:
    """Customer 300200 Petr Svoboda, as ZIS sent it (no supply points)."""
    return CustomerFactory(name="Petr Svoboda", number="300200", email="petr@zis.example")


@pytest.fixture
def customer(customer_record):
    """Jana Nováková: signed up, e-mail verified, linked to `customer_record`."""
    user = UserFactory(email="jana.novakova@example.cz", first_name="Jana", last_name="Nováková")
    CustomerLinkFactory(user=user, customer=customer_record)
    return user


@pytest.fixture
def other_customer(other_customer_record):
    """Petr Svoboda: signed up, linked to `other_customer_record`."""
    user = UserFactory(email="petr.svoboda@example.cz", first_name="Petr", last_name="Svoboda")
    CustomerLinkFactory(user=user, customer=other_customer_record)
    return user


@pytest.fixture
def outsider(db):
    """Signed up, e-mail verified, linked to no customer."""
    return UserFactory(email="cizi@example.cz")


@pytest.fixture
def business_customer(recorded_batch):
    """The accountant of Pekárna U Mlýna s.r.o. (100002 of the recorded batch): IČO, rainwater."""
    user = UserFactory(email="ucetni@example.cz")
    CustomerLink.objects.create(user=user, customer=Customer.objects.get(number="100002"))
    return user


# --- staff ----------------------------------------------------------------------------------------


def _staff(email: str, first_name: str, last_name: str, *groups: Group, **flags: bool):
    user = UserFactory(
        email=email, first_name=first_name, last_name=last_name, is_staff=True, **flags
    )
    user.groups.add(*groups)
    return user


@pytest.fixture
def operator(db):
    """Olga Operátorová: staff in the real Operators group (`setup_groups`), authenticator app."""
    user = _staff("operator@vodarna.example", "Olga", "Operátorová", ensure_operator_group()[0])
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def second_operator(db):
    """Karel Druhý: another operator, for two decisions at once."""
    user = _staff("druhy@vodarna.example", "Karel", "Druhý", ensure_operator_group()[0])
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def viewer(db):
    """Věra Náhledová: staff who may look at the request queues but not decide."""
    group = staff_group(
        "Request viewers", ["portal.view_selfreadingrequest", "portal.view_addresschangerequest"]
    )
    user = _staff("nahled@vodarna.example", "Věra", "Náhledová", group)
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def editor(db):
    """Eva Redaktorová: staff in Wagtail's Editors group (its migrations make it), authenticator."""
    user = _staff(
        "redaktor@vodarna.example", "Eva", "Redaktorová", Group.objects.get(name="Editors")
    )
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def unenrolled_staff(db):
    """Nela Nováčková: an editor who has not set up an authenticator app yet."""
    return _staff("novacek@vodarna.example", "Nela", "Nováčková", Group.objects.get(name="Editors"))


@pytest.fixture
def administrator(db):
    """Marek Správce: a superuser with an authenticator app."""
    user = _staff("spravce@vodarna.example", "Marek", "Správce", is_superuser=True)
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def operator_client(operator) -> Client:
    """A browser of the operator, signed in to the admin past the MFA stage."""
    return mfa_client(operator)
