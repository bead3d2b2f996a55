"""Shared fixtures: the site's page tree and the personas of the tests."""

import pytest
from wagtail.models import Page, Site

from cms_pages.models import HomePage, UtilitySettings


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (rate limits, cached fragments)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
