"""The site's frame (menu, footer, utility settings) is cached, and every edit shows at once.

The frame holds nothing of a visitor: the same cached frame serves everyone, and whatever an
editor publishes, unpublishes, renames, moves or restricts, and every settings save, is on the
next page a visitor opens.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html
from wagtail.models import PageViewRestriction

from tests.factories.pages import add_standard_page

pytestmark = pytest.mark.django_db


def menu(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    document = lxml_html.fromstring(response.content.decode())
    return [
        " ".join(a.text_content().split())
        for a in document.xpath("//ul[@class='main-nav__list']/li/a")
    ]


def footer(response) -> str:
    document = lxml_html.fromstring(response.content.decode())
    return " ".join(document.xpath("//footer")[0].text_content().split())


def test_the_frame_costs_no_queries_once_cached(client, utility, settings):
    settings.PRAMEN_PAGE_CACHE_SECONDS = 0  # the whole page would come from its own cache
    add_standard_page(utility.site.root_page, "O nás", "o-nas", show_in_menus=True)
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/")

    assert menu(response) == ["O nás"]
    assert "Vodárna Testov, a.s." in footer(response)
    frame_tables = ("wagtailcore_page", "cms_pages_utilitysettings")
    assert any("cms_pages_utilitysettings" in q["sql"] for q in first.captured_queries)
    assert not any("cms_pages_utilitysettings" in q["sql"] for q in second.captured_queries)
    assert len(second) < len(first), [q["sql"][:80] for q in second.captured_queries]
    assert all(table in " ".join(q["sql"] for q in first) for table in frame_tables)


def test_a_published_page_is_in_the_menu_at_once(client, home):
    add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    assert menu(client.get("/")) == ["O nás"]

    prices = add_standard_page(home, "Ceník", "cenik", show_in_menus=True, live=False)
    assert menu(client.get("/")) == ["O nás"]  # a draft is not in the menu

    prices.save_revision().publish()
    assert menu(client.get("/")) == ["O nás", "Ceník"]


def test_a_renamed_unpublished_or_moved_page_changes_the_menu_at_once(client, home):
    about = add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    prices = add_standard_page(home, "Ceník", "cenik", show_in_menus=True)
    assert menu(client.get("/")) == ["O nás", "Ceník"]

    prices.title = "Ceník 2027"
    prices.save_revision().publish()
    assert menu(client.get("/")) == ["O nás", "Ceník 2027"]

    prices.refresh_from_db()
    prices.unpublish()
    assert menu(client.get("/")) == ["O nás"]

    contact = add_standard_page(home, "Kontakt", "kontakt", show_in_menus=True)
    assert menu(client.get("/")) == ["O nás", "Kontakt"]
    contact.move(about, pos="last-child")  # no longer a child of the home page
    assert menu(client.get("/")) == ["O nás"]


def test_a_deleted_page_leaves_the_menu_at_once(client, home):
    add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    prices = add_standard_page(home, "Ceník", "cenik", show_in_menus=True)
    assert menu(client.get("/")) == ["O nás", "Ceník"]

    prices.delete()
    assert menu(client.get("/")) == ["O nás"]


def test_a_page_made_private_leaves_the_menu_at_once(client, home):
    about = add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    assert menu(client.get("/")) == ["O nás"]

    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert menu(client.get("/")) == []


def test_a_settings_save_shows_at_once(client, utility):
    before = client.get("/")
    assert "Vodárna Testov, a.s." in footer(before)
    assert "| Vodárna Testov</title>" in before.content.decode()

    utility.legal_name = "Vodárna Nový Testov, a.s."
    utility.name = "Vodárna Nový Testov"
    utility.phone = "+420 466 999 000"
    utility.save()

    after = client.get("/")
    assert "Vodárna Nový Testov, a.s." in footer(after)
    assert "+420 466 999 000" in footer(after)
    assert "| Vodárna Nový Testov</title>" in after.content.decode()
    assert "Vodárna Testov, a.s." not in footer(after)


def test_the_cached_frame_holds_nothing_of_the_visitor(client, django_user_model, home):
    add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    user = django_user_model.objects.create_user("eva@example.cz", "eva@example.cz", "x" * 16)
    signed_in = client.__class__()
    signed_in.force_login(user)

    for_eva = signed_in.get("/").content.decode()
    anonymous = client.get("/").content.decode()

    assert "Odhlásit" in for_eva and "Odhlásit" not in anonymous
    assert "Přihlásit" in anonymous
    assert menu(client.get("/")) == menu(signed_in.get("/")) == ["O nás"]


# Wagtail leaves a temporary file of a new rendition to the garbage collector (not our code).
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_logo_from_the_settings_is_in_the_header_and_follows_a_change(client, utility):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    out = io.BytesIO()
    Image.new("RGB", (96, 96), (20, 120, 200)).save(out, format="PNG")
    logo = get_image_model().objects.create(title="Logo", file=ImageFile(out, name="logo.png"))
    assert 'src="/static/brand/logo.svg"' in client.get("/").content.decode()

    utility.logo = logo
    utility.save()
    document = lxml_html.fromstring(client.get("/").content.decode())
    (image,) = document.xpath("//a[@class='brand']/img")
    assert image.get("src") == logo.get_rendition("height-48").url
    assert image.get("height") == "48" and image.get("alt") == ""

    utility.logo = None
    utility.save()
    assert 'src="/static/brand/logo.svg"' in client.get("/").content.decode()
