"""Fixtures of the portal page tests: the recorded ZIS batch imported through the real importer,
the portal page tree as the demo loader makes it, and the personas.

Personas (customers of tests/fixtures/zis/batch_full_v1):
- `jana`: linked to 100001 Jana Nováková (household; meter replaced by a remote-read one);
- `pekarna`: linked to 100002 Pekárna U Mlýna s.r.o. (business; rainwater charged);
- `both`: linked to 100001 and 100002 (the customer switcher);
- `svoboda`: linked to 100003 Petr Svoboda (SIPO, a self-reading);
- `outsider`: signed up, nothing linked.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from portal.models import Customer, CustomerLink
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import AccountUserFactory
from zis.importer import import_batch
from zis.models import SyncRun

BATCH = Path(__file__).resolve().parent.parent / "fixtures" / "zis" / "batch_full_v1"


@pytest.fixture(autouse=True)
def _czech():
    translation.activate("cs")
    yield
    translation.activate("cs")


@pytest.fixture
def batch(db, tmp_path) -> SyncRun:
    """The recorded full batch, imported by the real importer."""
    folder = tmp_path / "batch_full_v1"
    shutil.copytree(BATCH, folder)
    run = import_batch(folder, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    return run


@pytest.fixture
def portal(home) -> SimpleNamespace:
    """The portal pages under the home page, made by the demo loader's function."""
    from portal.models import (
        ConsumptionPage,
        InvoicesPage,
        MyDetailsPage,
        PortalHomePage,
        RainwaterPage,
        ReadingsPage,
        SupplyPointsPage,
    )

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


def linked_user(email: str, *numbers: str):
    user = AccountUserFactory(email=email)
    for number in numbers:
        CustomerLink.objects.create(user=user, customer=Customer.objects.get(number=number))
    return user


@pytest.fixture
def jana(batch):
    return linked_user("jana@example.cz", "100001")


@pytest.fixture
def pekarna(batch):
    return linked_user("ucetni@example.cz", "100002")


@pytest.fixture
def both(batch):
    return linked_user("spravce@example.cz", "100001", "100002")


@pytest.fixture
def svoboda(batch):
    return linked_user("petr@example.cz", "100003")


@pytest.fixture
def outsider(db):
    return AccountUserFactory(email="nikdo@example.cz")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sub(page, route: str, **kwargs) -> str:
    """The URL of one of a portal page's routes."""
    return page.url + page.reverse_subpage(route, kwargs=kwargs or None)


NBSP = "\u00a0"


def czech(text: str) -> str:
    """Write figures with plain spaces in tests; pages use non-breaking ones ("1 234,50 Kč")."""
    return text.replace(" ", NBSP)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def table_rows(response, index: int = 0) -> list[list[str]]:
    """The body rows of the `index`-th table of the page, as lists of cell texts."""
    from lxml import html as lxml_html

    document = lxml_html.fromstring(html(response))
    table = document.xpath("//main//table")[index]
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in table.xpath("./tbody/tr")
    ]
