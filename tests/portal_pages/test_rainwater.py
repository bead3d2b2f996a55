"""Rainwater: per supply point and year, areas A–F, coefficients, normal, m³, price, amount."""

from __future__ import annotations

import pytest

from portal.models import RainwaterAssessment
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import czech, html, table_rows

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_year(portal, business_customer):
    response = client_for(business_customer).get(portal.rainwater.url)
    assert table_rows(response) == [
        ["2024", "1 950,00 m²", "0,686 m", "886,655 m³", "45,30 Kč", "40 165,47 Kč"]
    ]


def test_the_detail_explains_the_formula_with_the_figures(portal, business_customer):
    assessment = RainwaterAssessment.objects.get(zis_id="RW-2-2024")
    response = client_for(business_customer).get(
        sub(portal.rainwater, "assessment", assessment_pk=assessment.pk)
    )
    areas = table_rows(response)
    assert [row[0] for row in areas] == ["A", "B", "C", "D", "E", "F"]
    assert [row[2:] for row in areas if row[0] in "ACF"] == [
        ["1 200,00 m²", "0,9", "1 080,00 m²"],
        ["500,00 m²", "0,4", "200,00 m²"],
        ["250,00 m²", "0,05", "12,50 m²"],
    ]
    page = html(response)
    for figure in ("1 292,50 m²", "0,686", "886,655 m³", "45,30 Kč", "40 165,47 Kč"):
        assert czech(figure) in page
    assert "text-warn" not in page  # ZIS's volume is what the formula gives


def test_a_customer_without_rainwater_sees_none(portal, customer):
    response = client_for(customer).get(portal.rainwater.url)
    assert "<table" not in html(response).split('class="portal__content"')[1]
