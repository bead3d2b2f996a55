"""Filters read their GET parameters defensively: a value out of range means "not given".

The cases the security probe found (a year of 10000, -5 or twenty digits on the invoice list; NUL
in the site search, which PostgreSQL refuses in any text) and their neighbours.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from portal.lib.query import id_param, int_param, text_param, year_param
from tests.accounts.conftest import build_world
from tests.factories.accounts import client_for
from tests.factories.requests import self_reading
from tests.support.pages import sub

pytestmark = pytest.mark.django_db

IGNORED = "Některé hodnoty filtru v adrese stránky nebyly platné"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", 2024),
        (" 2024 ", 2024),
        ("10000", None),
        ("-5", None),
        ("1899", None),
        ("99999999999999999999", None),
        ("9" * 5000, None),
        ("٢٠٢٤", None),  # Arabic-Indic digits: int() would take them
        ("20\x0024", None),
        ("", None),
        (None, None),
    ],
)
def test_year_param(value, expected):
    assert year_param(value) == expected


def test_id_and_int_params_keep_to_their_range():
    assert id_param("1") == 1
    assert id_param("0") is None
    assert id_param(str(2**63)) is None
    assert id_param("-1") is None
    assert int_param("12", 1, 12) == 12
    assert int_param("13", 1, 12) is None


def test_text_param_drops_control_characters():
    assert text_param("Nádražní\x00 12\x1f\x7f\x85x", 100) == "Nádražní 12 x"
    assert text_param("a" * 500, 100) == "a" * 100
    assert text_param(None, 100) == ""


@pytest.fixture
def invoice_number(portal, customer_record, customer) -> str:
    return build_world(customer_record).invoice.number


@pytest.mark.parametrize(
    "query",
    [
        {"year": "10000"},
        {"year": "-5"},
        {"year": "99999999999999999999"},
        {"supply_point": "99999999999999999999"},
        {"supply_point": "-1"},
        {"year": "\x00", "status": "\x00", "page": "\x00"},
    ],
)
def test_the_invoice_list_ignores_filter_values_out_of_range(
    portal, customer, invoice_number, query
):
    response = client_for(customer).get(portal.invoices.url, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert invoice_number in body  # the unfiltered list
    assert IGNORED in body


def test_valid_filters_bring_no_message(portal, customer, invoice_number):
    response = client_for(customer).get(portal.invoices.url, {"year": "2024", "status": "paid"})
    assert response.status_code == 200
    assert IGNORED not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"year": "10000", "month": "13", "period": "days"},
        {"year": "-5", "supply_point": "99999999999999999999"},
    ],
)
def test_the_consumption_chart_ignores_values_out_of_range(
    portal, customer, customer_record, query
):
    build_world(customer_record)
    client = client_for(customer)
    page = client.get(portal.consumption.url, query)
    assert page.status_code == 200
    assert IGNORED in page.content.decode()
    assert client.get(sub(portal.consumption, "chart_data"), query).status_code == 200


def test_the_supply_point_search_drops_nul(portal, customer, customer_record):
    point = build_world(customer_record).supply_point
    response = client_for(customer).get(portal.supply_points.url, {"q": f"{point.number}\x00"})
    assert response.status_code == 200
    assert point.number in response.content.decode()


def test_the_site_search_refuses_control_characters(client, home):
    for query in ("\x00", "voda\x00", "voda\x1b[31m"):
        response = client.get("/hledat/", {"q": query})
        assert response.status_code == 400
        assert "nelze hledat" in response.content.decode()


def test_the_site_search_still_searches_text(client, home):
    response = client.get("/hledat/", {"q": "Vodárna  Testov"})
    assert response.status_code == 200
    assert "Vodárna Testov" in response.content.decode()


def test_the_bulk_approval_ignores_ids_that_are_no_numbers(operator_client, customer_record):
    meter = build_world(customer_record).meter
    reading = self_reading(meter, "150.000")
    url = reverse("wagtail_bulk_action", args=["portal", "selfreadingrequest", "approve"])
    for junk in ("²", "٣", "99999999999999999999", "-1", "\x00", "all"):
        response = operator_client.get(f"{url}?{urlencode([('id', reading.pk), ('id', junk)])}")
        assert response.status_code == 200, junk
        assert meter.serial_number in response.content.decode()
