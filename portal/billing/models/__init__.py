"""The billing data mirrored from ZIS: customers, supply points, meters, tariffs, readings, daily
values, invoices, advances, payments and rainwater assessments. ZIS owns every row (see
`zis/EXCHANGE.md`); the portal only reads them, always through `objects.for_user(user)`."""

from .customers import Customer
from .invoices import Advance, AdvanceSchedule, Invoice, InvoiceLine, Payment, VatSummaryLine
from .rainwater import RUNOFF_COEFFICIENTS, RainwaterArea, RainwaterAssessment
from .readings import DailyConsumption, Reading
from .supply_points import Meter, SupplyPoint, Tariff, TariffPrice

__all__ = [
    "RUNOFF_COEFFICIENTS",
    "Advance",
    "AdvanceSchedule",
    "Customer",
    "DailyConsumption",
    "Invoice",
    "InvoiceLine",
    "Meter",
    "Payment",
    "RainwaterArea",
    "RainwaterAssessment",
    "Reading",
    "SupplyPoint",
    "Tariff",
    "TariffPrice",
    "VatSummaryLine",
]
