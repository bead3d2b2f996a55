"""Sample data for the admin preview of portal pages: built in memory, never saved.

Editors preview a portal page without being anyone's customer; these objects fill the same
dataclasses the services return, so the preview shows the page as a customer would see it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from portal.billing.models.customers import Customer
from portal.billing.models.invoices import Invoice, Payment
from portal.billing.models.rainwater import RainwaterAssessment
from portal.billing.models.supply_points import Meter, SupplyPoint, Tariff, TariffPrice
from portal.billing.services.consumption import Bucket, ConsumptionChart
from portal.billing.services.invoices import Balance, InvoiceFilters, InvoiceList, InvoiceRow
from portal.billing.services.rainwater import AssessmentView, SupplyPointAssessments
from portal.billing.services.statuses import OVERDUE, PAID, UNPAID
from portal.billing.services.supply_points import LastReading, MeterView, PriceView, SupplyPointView

from .dashboard import CustomerSummary, Dashboard

SAMPLE_PK = 0  # sample objects link to routes that show nothing: they are not in the database
D = Decimal


def sample_customer() -> Customer:
    return Customer(
        pk=SAMPLE_PK,
        number="100000",
        kind=Customer.Kind.HOUSEHOLD,
        name=_("Sample Customer"),
        email="zakaznik@example.cz",
        phone="+420 600 123 456",
        mailing_street="Nádražní",
        mailing_house_number="12",
        mailing_municipality="Pramenov",
        mailing_postcode="53002",
    )


def sample_supply_point(customer: Customer | None = None, **changes: object) -> SupplyPoint:
    fields = {
        "pk": SAMPLE_PK,
        "number": "1000001",
        "customer": customer or sample_customer(),
        "tariff": Tariff(code="VS", name=_("Water and sewage")),
        "street": "Nádražní",
        "house_number": "12",
        "municipality": "Pramenov",
        "postcode": "53002",
        "advance_amount": D("800.00"),
        "advance_frequency": SupplyPoint.AdvanceFrequency.MONTHLY,
        "payment_method": SupplyPoint.PaymentMethod.TRANSFER,
    }
    return SupplyPoint(**(fields | changes))


def sample_supply_point_view(customer: Customer | None = None) -> SupplyPointView:
    point = sample_supply_point(customer)
    meter = Meter(pk=SAMPLE_PK, serial_number="SE-21-0001234", installed_on=dt.date(2021, 5, 3))
    price = TariffPrice(
        valid_from=dt.date(2026, 1, 1),
        water_price=D("52.10"),
        sewage_price=D("45.30"),
        vat_rate=D("12"),
    )
    last = LastReading(dt.date(2026, 6, 30), D("412.375"), "regular")
    return SupplyPointView(point, [MeterView(meter, last)], PriceView(price))


def dashboard() -> Dashboard:
    customer = sample_customer()
    balance = Balance(invoices=D("1250.40"), advances=D("800.00"), unmatched=D("0.00"))
    return Dashboard(
        customer=customer,
        balance=balance,
        next_advance=None,
        supply_points=[sample_supply_point_view(customer)],
        open_requests=0,
        customers=[CustomerSummary(customer, balance)],
    )


def invoice_list() -> InvoiceList:
    customer = sample_customer()
    point = sample_supply_point(customer)
    rows = [
        _invoice_row(point, "2026000123", dt.date(2026, 7, 8), D("1250.40"), D("0"), OVERDUE),
        _invoice_row(point, "2025000456", dt.date(2025, 7, 9), D("-432.10"), D("-432.10"), PAID),
        _invoice_row(point, "2024000789", dt.date(2024, 7, 5), D("310.00"), D("0"), UNPAID),
    ]
    page = Paginator(rows, 20).get_page(1)
    return InvoiceList(page, rows, InvoiceFilters(), [point], [2026, 2025, 2024])


def _invoice_row(point, number, issued, balance, paid, status) -> InvoiceRow:
    invoice = Invoice(
        pk=SAMPLE_PK,
        number=number,
        supply_point=point,
        variable_symbol=number,
        issued_on=issued,
        due_on=issued + dt.timedelta(days=14),
        period_start=dt.date(issued.year - 1, 7, 1),
        period_end=dt.date(issued.year, 6, 30),
        total=balance + D("9600.00"),
        advances_paid=D("9600.00"),
        balance=balance,
    )
    return InvoiceRow(invoice, paid, status)


def payments() -> list[Payment]:
    return [
        Payment(
            pk=SAMPLE_PK,
            received_on=dt.date(2026, 6, 14),
            amount=D("800.00"),
            method=Payment.Method.TRANSFER,
            variable_symbol="1000001",
        )
    ]


def rainwater() -> list[SupplyPointAssessments]:
    point = sample_supply_point(is_household=False, rainwater_charged=True)
    assessment = RainwaterAssessment(
        pk=SAMPLE_PK,
        supply_point=point,
        year=2026,
        area_a=D("1200.00"),
        area_c=D("500.00"),
        area_f=D("250.00"),
        precipitation_normal=D("0.686"),
        volume=D("886.655"),
        price=D("45.30"),
        amount=D("40165.47"),
    )
    return [SupplyPointAssessments(point, [AssessmentView(assessment)])]


def consumption_chart() -> ConsumptionChart:
    point = sample_supply_point()
    volumes = [7.1, 6.4, 7.0, 7.9, 9.2, 11.5, 12.8, 12.1, 9.6, 8.2, 7.4, 7.3]
    buckets = [
        Bucket(
            label=dt.date(2026, month, 1).strftime("%m/%Y"),
            start=dt.date(2026, month, 1),
            end=dt.date(2026, month, 28),
            average=D(str(volume)),
            previous=D(str(round(volume * 0.95, 3))),
        )
        for month, volume in enumerate(volumes, start=1)
    ]
    return ConsumptionChart(
        point,
        [point],
        period="months",
        year=2026,
        years=[2026],
        buckets=buckets,
        has_average=True,
    )
