"""The consumption chart's JSON route and data table: measured daily values of remote-read
meters, averages per day between readings of the others, and a year earlier."""

from __future__ import annotations

import pytest

from portal.models import SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import html, table_rows

pytestmark = pytest.mark.django_db


def chart(client, portal, **query):
    response = client.get(sub(portal.consumption, "chart_data"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    return data, {series["key"]: series["data"] for series in data["datasets"]}


def test_months_split_measured_and_averaged_consumption(portal, customer):
    data, series = chart(client_for(customer), portal, period="months", year="2024")
    assert len(data["labels"]) == 12
    assert list(series) == ["measured", "average", "previous"]
    # the remote-read meter's three daily values at the end of December
    assert series["measured"] == [0] * 11 + [0.715]
    # the replaced meter: 29.750 m³ from 31 Dec 2023 to 30 Jun 2024 (182 days), spread by days
    assert series["average"] == [5.067, 4.74, 5.067, 4.904, 5.067, 4.74, 0, 0, 0, 0, 0, 0]
    # a year earlier: only the last day of 2023 is covered by readings
    assert series["previous"] == [0] * 11 + [0.163]


def test_years(portal, customer):
    data, series = chart(client_for(customer), portal, period="years")
    assert data["labels"] == ["2023", "2024"]
    assert series["measured"] == [0, 0.715]
    assert series["average"] == [0.163, 29.587]
    assert "previous" not in series


def test_days_default_to_the_last_month_with_data(portal, customer):
    data, series = chart(client_for(customer), portal, period="days")
    assert (data["year"], data["month"]) == (2024, 12)
    assert len(data["labels"]) == 31
    assert series["measured"][-3:] == [0.212, 0.198, 0.305]
    assert sum(series["measured"][:-3]) == 0
    assert series["previous"][-1] == 0.163  # 31 December 2023, the average of that interval


def test_a_manual_meter_only_has_averages(portal, business_customer):
    _data, series = chart(client_for(business_customer), portal, period="years")
    assert list(series) == ["average"]
    # 240 m³ between 31 Dec 2023 and 31 Dec 2024: one day in 2023, 365 days in 2024
    assert series["average"] == [0.656, 239.344]


def test_another_customers_supply_point_is_404(portal, customer):
    point = SupplyPoint.objects.get(number="OM-000002")
    client = client_for(customer)
    url = sub(portal.consumption, "chart_data")
    assert client.get(url, {"supply_point": point.pk}).status_code == 404
    assert client.get(portal.consumption.url, {"supply_point": point.pk}).status_code == 404


def test_the_page_has_the_table_beside_the_chart_and_no_inline_script(portal, customer):
    response = client_for(customer).get(
        portal.consumption.url, {"period": "months", "year": "2024"}
    )
    page = html(response)
    rows = table_rows(response)
    assert rows[0][1:] == ["0,000 m³", "5,067 m³", "5,067 m³", "0,000 m³"]
    assert rows[11][1:] == ["0,715 m³", "0,000 m³", "0,715 m³", "0,163 m³"]
    assert 'id="consumption-chart"' in page
    assert "data-source=" in page and "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page
    assert all('src="' in tag for tag in page.split("<script")[1:] if "json" not in tag[:40])
