"""A customer with many supply points (a municipality, a housing cooperative): paginated lists.

The supply points list, the readings index and the rainwater index show 20 points a page by
number; the dashboard shows the first 5 and links to the whole list; the list can be searched.
A customer of 45 points runs the same queries as one of 3, on every page.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from portal.models import CustomerLink
from portal.pages import data_cache
from tests.factories.accounts import UserFactory, client_for
from tests.factories.billing import (
    CustomerFactory,
    InvoiceFactory,
    MeterFactory,
    RainwaterAssessmentFactory,
    ReadingFactory,
    SupplyPointFactory,
    TariffPriceFactory,
)

from .conftest import czech, html, table_rows

pytestmark = pytest.mark.django_db

BIG, SMALL = 45, 3
SEARCHED_STREET = "Lipová"  # the street of one point only: VB-0037


def make_customer(prefix: str, count: int, tariff, name: str):
    """A customer with `count` supply points numbered PREFIX-0001…, created in random order,
    each with a meter, its last reading and a rainwater assessment for two years."""
    customer = CustomerFactory(name=name)
    numbers = list(range(1, count + 1))
    random.Random(count).shuffle(numbers)
    for n in numbers:
        point = SupplyPointFactory(
            customer=customer,
            number=f"{prefix}-{n:04d}",
            tariff=tariff,
            street=SEARCHED_STREET if (prefix, n) == ("VB", 37) else "Nádražní",
            house_number=str(100 + n),
            is_household=False,
            rainwater_charged=True,
        )
        meter = MeterFactory(supply_point=point, serial_number=f"{prefix}-M-{n:04d}")
        ReadingFactory(meter=meter, date=dt.date(2024, 12, 31), value=Decimal(n))
        for year in (2023, 2024):
            RainwaterAssessmentFactory(supply_point=point, year=year)
    return customer


def linked(*customers):
    user = UserFactory()
    for customer in customers:
        CustomerLink.objects.create(user=user, customer=customer)
    return user


@pytest.fixture
def customers(db):
    tariff = TariffPriceFactory().tariff
    big = make_customer("VB", BIG, tariff, "Bytové družstvo Vodárenská")
    small = make_customer("MS", SMALL, tariff, "Obec Malá Skála")
    return big, small


@pytest.fixture
def big(customers):
    return customers[0]


@pytest.fixture
def small(customers):
    return customers[1]


def numbers_in(response, index: int = 0) -> list[str]:
    return [row[0] for row in table_rows(response, index)]


def headings(response) -> list[str]:
    document = lxml_html.fromstring(html(response))
    return [" ".join(h.text_content().split()) for h in document.xpath("//main//h2")]


def point_numbers(response) -> list[str]:
    """The supply point numbers in the section headings ("Odběrné místo VB-0001")."""
    return [text.split()[-1] for text in headings(response) if text.startswith("Odběrné místo")]


def links(response, text: str) -> list[str]:
    document = lxml_html.fromstring(html(response))
    return [a.get("href") for a in document.xpath("//main//a") if text in a.text_content()]


def expected(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}-{n:04d}" for n in range(first, last + 1)]


def test_the_list_shows_20_points_a_page_by_number(portal, big):
    client = client_for(linked(big))
    first = client.get(portal.supply_points.url)
    assert numbers_in(first) == expected("VB", 1, 20)
    assert "Odběrná místa 1–20 z 45" in html(first)
    assert links(first, "Další") == ["?page=2"]
    assert numbers_in(client.get(portal.supply_points.url, {"page": "2"})) == expected("VB", 21, 40)
    last = client.get(portal.supply_points.url, {"page": "3"})
    assert numbers_in(last) == expected("VB", 41, 45)
    assert "Strana 3 z 3" in html(last)
    # out of range: the last page, as in the invoices list; not a number: the first
    assert numbers_in(client.get(portal.supply_points.url, {"page": "99"})) == expected(
        "VB", 41, 45
    )
    assert numbers_in(client.get(portal.supply_points.url, {"page": "x"})) == expected("VB", 1, 20)


def test_a_small_customer_has_one_page_and_no_search(portal, small):
    response = client_for(linked(small)).get(portal.supply_points.url)
    assert numbers_in(response) == expected("MS", 1, 3)
    page = html(response)
    assert 'class="pagination"' not in page
    assert 'id="point-search"' not in page


def test_the_search_finds_a_point_by_street_or_number(portal, big):
    client = client_for(linked(big))
    page = html(client.get(portal.supply_points.url))
    assert '<label for="point-search">Hledat odběrná místa</label>' in page
    found = client.get(portal.supply_points.url, {"q": "  lipov "})
    assert numbers_in(found) == ["VB-0037"]
    assert table_rows(found)[0][1].startswith("Lipová 137")
    assert "1 odběrné místo odpovídá hledání „lipov“." in html(found)
    assert numbers_in(client.get(portal.supply_points.url, {"q": "VB-0042"})) == ["VB-0042"]
    assert numbers_in(client.get(portal.supply_points.url, {"q": "Nádražní 105"})) == ["VB-0005"]
    none = html(client.get(portal.supply_points.url, {"q": "Neexistující"}))
    assert "0 odběrných míst odpovídá hledání „Neexistující“." in none
    assert "nemá žádná odběrná místa" not in none
    # many matches are paginated too, the search kept in the page links
    many = client.get(portal.supply_points.url, {"q": "Nádražní", "page": "3"})
    assert numbers_in(many) == expected("VB", 42, 45)
    assert links(many, "Předchozí") == ["?q=N%C3%A1dra%C5%BEn%C3%AD&page=2"]


def test_page_links_and_the_search_keep_the_chosen_customer(portal, big, small):
    client = client_for(linked(small, big))
    query = {"customer": big.number}
    response = client.get(portal.supply_points.url, query)
    assert numbers_in(response) == expected("VB", 1, 20)
    assert links(response, "Další") == [f"?customer={big.number}&page=2"]
    assert f'<input type="hidden" name="customer" value="{big.number}">' in html(response)
    readings = client.get(portal.readings.url, query)
    assert links(readings, "Další") == [f"?customer={big.number}&page=2"]
    rainwater = client.get(portal.rainwater.url, {**query, "page": "2"})
    assert links(rainwater, "Předchozí") == [f"?customer={big.number}&page=1"]
    assert links(rainwater, "Další") == [f"?customer={big.number}&page=3"]
    board = client.get(portal.home.url, query)
    assert links(board, "Všech 45 odběrných míst") == [
        f"{portal.supply_points.url}?customer={big.number}"
    ]


def test_the_readings_index_is_paginated(portal, big):
    client = client_for(linked(big))
    first = client.get(portal.readings.url)
    assert point_numbers(first) == expected("VB", 1, 20)
    assert numbers_in(first, 0) == ["VB-M-0001"]  # the meter of the first point
    last = client.get(portal.readings.url, {"page": "3"})
    assert point_numbers(last) == expected("VB", 41, 45)
    assert "Odběrná místa 41–45 z 45" in html(last)


def test_the_rainwater_index_is_paginated(portal, big):
    client = client_for(linked(big))
    first = client.get(portal.rainwater.url)
    assert point_numbers(first) == expected("VB", 1, 20)
    assert [row[0] for row in table_rows(first, 0)] == ["2024", "2023"]
    last = client.get(portal.rainwater.url, {"page": "3"})
    assert point_numbers(last) == expected("VB", 41, 45)
    assert [row[0] for row in table_rows(last, 4)] == ["2024", "2023"]


def test_the_dashboard_shows_five_points_and_links_to_all(portal, big):
    # the balance counts every supply point, not only those shown
    InvoiceFactory(customer=big, supply_point=big.supply_points.get(number="VB-0001"))
    InvoiceFactory(customer=big, supply_point=big.supply_points.get(number="VB-0045"))
    response = client_for(linked(big)).get(portal.home.url)
    assert point_numbers_h3(response) == expected("VB", 1, 5)
    page = html(response)
    assert "Prvních 5 odběrných míst podle čísla (celkem 45)." in page
    assert links(response, "Všech 45 odběrných míst") == [portal.supply_points.url]
    assert "Dlužíte " + czech("2 240,00 Kč") in page


def test_a_small_customer_sees_every_point_on_the_dashboard(portal, small):
    response = client_for(linked(small)).get(portal.home.url)
    assert point_numbers_h3(response) == expected("MS", 1, 3)
    assert not links(response, "odběrná místa")
    assert not links(response, "odběrných míst")


def point_numbers_h3(response) -> list[str]:
    document = lxml_html.fromstring(html(response))
    return [h.text_content().split()[-1] for h in document.xpath("//main//article/h3")]


def count_queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, url
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_supply_points(portal, big, small, monkeypatch):
    # Counted as computed, not as kept for the data generation (portal/pages/data_cache.py).
    monkeypatch.setattr(data_cache, "cached", lambda name, user, parts, compute: compute())
    as_big, as_small = client_for(linked(big)), client_for(linked(small))
    pages = {
        "dashboard": portal.home.url,
        "supply points": portal.supply_points.url,
        "readings": portal.readings.url,
        "rainwater": portal.rainwater.url,
    }
    for client in (as_big, as_small):
        for url in pages.values():
            client.get(url)  # warm the caches (the routing, the navigation, the frame)
    for name, url in pages.items():
        few = count_queries(as_small, url, {})
        assert count_queries(as_big, url, {}) == few, name
        assert count_queries(as_big, url, {"page": "3"}) == few, name
        assert few <= 12, name  # as test_query_counts.MAX_QUERIES
    searched = count_queries(as_small, portal.supply_points.url, {"q": "Nádražní"})
    assert count_queries(as_big, portal.supply_points.url, {"q": "Nádražní", "page": "2"}) == (
        searched
    )
