"""The header and footer kept in the cache: each request still gets its own token, links and sign-in state."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.pages import add_standard_page

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_a_kept_header_carries_each_visitors_own_csrf_token(home, customer, other_customer):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(customer)
    second.force_login(other_customer)

    one = first.get("/").content.decode()
    two = second.get("/").content.decode()

    token_one, token_two = TOKEN.search(_header(one))[1], TOKEN.search(_header(two))[1]
    assert token_one != token_two
    assert token_one[32:]  # a masked token, as {% csrf_token %} writes it
    signed_out = first.post(reverse("account_logout"), {"csrfmiddlewaretoken": token_one})
    assert signed_out.status_code == 302


def test_a_signed_out_visitor_does_not_get_the_signed_in_header(home, customer):
    signed_in = Client()
    signed_in.force_login(customer)
    signed_in.get("/")

    html = Client().get("/").content.decode()

    assert "csrfmiddlewaretoken" not in _header(html)
    assert "Přihlásit" in _header(html)


def test_the_language_switch_links_the_current_path_of_each_page(home, client):
    about = add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    contact = add_standard_page(home, "Kontakt", "kontakt", show_in_menus=True)

    client.get(about.url)
    html = client.get(contact.url).content.decode()

    assert 'href="/en/kontakt/" hreflang="en"' in _header(html)
    assert f'<a href="{contact.url}" aria-current="page">Kontakt</a>' in _header(html)
    assert f'<a href="{about.url}">O nás</a>' in _header(html)


def test_a_renamed_page_shows_at_once_in_the_menu(home, client):
    about = add_standard_page(home, "O nás", "o-nas", show_in_menus=True)
    assert ">O nás</a>" in client.get("/").content.decode()

    about.title = "O vodárně"
    about.save_revision().publish()

    html = client.get("/").content.decode()
    assert ">O vodárně</a>" in _header(html) and ">O nás</a>" not in html
