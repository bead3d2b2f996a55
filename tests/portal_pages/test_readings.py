"""Reading history per meter with consumption and m³/day; CSV and XLSX downloads."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.models import SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(recorded_batch):
    return SupplyPoint.objects.get(number="OM-000001")


def test_a_replaced_meter_and_its_successor_are_two_histories(portal, customer, point):
    response = client_for(customer).get(
        sub(portal.readings, "supply_point_readings", supply_point_pk=point.pk)
    )
    old, new = table_rows(response, 0), table_rows(response, 1)
    # newest first: date, reading, kind, consumption, days, per day
    assert [row[0:2] for row in old] == [
        ["30. 6. 2024", "150,250 m³"],
        ["31. 12. 2023", "120,500 m³"],
    ]
    assert old[0][3:5] == ["29,750 m³", "182"]
    assert old[0][5].startswith("0,163 m³/")  # per day
    assert old[1][3:] == ["–", "–", "–"]
    assert [row[0:2] for row in new] == [["31. 12. 2024", "45,125 m³"], ["30. 6. 2024", "0,000 m³"]]
    assert new[0][3:5] == ["45,125 m³", "184"]
    assert new[0][5].startswith("0,245 m³/")


def test_the_index_lists_supply_points_with_a_link_to_their_history(portal, customer, point):
    page = client_for(customer).get(portal.readings.url).content.decode()
    assert sub(portal.readings, "supply_point_readings", supply_point_pk=point.pk) in page


def test_csv_download(portal, customer, point):
    response = client_for(customer).get(
        sub(portal.readings, "readings_csv", supply_point_pk=point.pk)
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="odecty-OM-000001.csv"'
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 5  # header + 4 readings
    assert lines[2] == "OM-000001;SE-18-004211;30.6.2024;150,250;" + lines[2].split(";")[4] + (
        ";29,750;182;0,163"
    )
    assert lines[4].startswith("OM-000001;DI-24-000117;31.12.2024;45,125;")
    assert lines[4].endswith(";45,125;184;0,245")


def test_xlsx_download_has_numbers_and_dates(portal, customer, point):
    response = client_for(customer).get(
        sub(portal.readings, "readings_xlsx", supply_point_pk=point.pk)
    )
    assert response["Content-Disposition"] == 'attachment; filename="odecty-OM-000001.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 5
    number, serial, day, value, _kind, consumption, days, per_day = rows[4]
    assert (number, serial) == ("OM-000001", "DI-24-000117")
    assert day == dt.datetime(2024, 12, 31)
    assert Decimal(str(value)) == Decimal("45.125")
    assert (Decimal(str(consumption)), days, Decimal(str(per_day))) == (
        Decimal("45.125"),
        184,
        Decimal("0.245"),
    )
