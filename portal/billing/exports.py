"""Downloads of a supply point's readings: CSV (for Czech Excel) and XLSX (openpyxl).

The CSV is UTF-8 with a byte order mark, semicolon-separated, with decimal commas and dates as
d.m.yyyy, which is what spreadsheet programmes in a Czech locale open without asking. The XLSX
holds real numbers and dates with Czech-looking formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.billing.services.readings import SupplyPointReadings
from portal.lib.formatting import format_date_short

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Supply point"),
        _("Meter"),
        _("Date"),
        _("Meter reading (m³)"),
        _("Kind"),
        _("Consumption (m³)"),
        _("Days"),
        _("Average per day (m³)"),
    ]


def rows(history: SupplyPointReadings) -> Iterator[list[object]]:
    """One row per reading, meter by meter, in date order; typed values (Decimal, date)."""
    number = history.supply_point.number
    for meter in history.meters:
        for row in meter.rows:
            yield [
                number,
                meter.meter.serial_number,
                row.reading.date,
                Decimal(row.reading.value),
                row.kind_label,
                row.consumption,
                row.days,
                row.per_day,
            ]


def filename(history: SupplyPointReadings, extension: str) -> str:
    return f"odecty-{history.supply_point.number}.{extension}"


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if hasattr(value, "isoformat"):
        return format_date_short(value)
    return str(value)


def readings_csv(history: SupplyPointReadings) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows(history):
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def readings_xlsx(history: SupplyPointReadings) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Readings")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(history):
        sheet.append(row)
    formats = {"C": "d.m.yyyy", "D": "#,##0.000", "F": "#,##0.000", "H": "#,##0.000"}
    for column, number_format in formats.items():
        for cell in sheet[column][1:]:
            cell.number_format = number_format
    for column, width in zip("ABCDEFGH", (14, 16, 12, 18, 34, 16, 8, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def readings_csv_response(history: SupplyPointReadings) -> HttpResponse:
    return _attachment(readings_csv(history), "text/csv; charset=utf-8", filename(history, "csv"))


def readings_xlsx_response(history: SupplyPointReadings) -> HttpResponse:
    return _attachment(readings_xlsx(history), XLSX_TYPE, filename(history, "xlsx"))
