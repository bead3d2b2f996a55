"""The portal's domain models: billing data mirrored from ZIS and the customer access to it."""

from .access import CustomerLink
from .activation import ActivationCode
from .addresses import Address
from .billing import Advance, AdvanceSchedule, Invoice, InvoiceLine, Payment, VatSummaryLine
from .customers import Customer
from .rainwater import RUNOFF_COEFFICIENTS, RainwaterAssessment
from .readings import DailyConsumption, Reading
from .supply_points import Meter, SupplyPoint, Tariff, TariffPrice

__all__ = [
    "RUNOFF_COEFFICIENTS",
    "ActivationCode",
    "Address",
    "Advance",
    "AdvanceSchedule",
    "Customer",
    "CustomerLink",
    "DailyConsumption",
    "Invoice",
    "InvoiceLine",
    "Meter",
    "Payment",
    "RainwaterAssessment",
    "Reading",
    "SupplyPoint",
    "Tariff",
    "TariffPrice",
    "VatSummaryLine",
]

from .accounts import AccountProfile, LinkAttempt, OperatorAccessLog

__all__ += ["AccountProfile", "LinkAttempt", "OperatorAccessLog"]

from .requests import (  # noqa: E402 - customer requests (issue 6)
    AddressChangeRequest,
    CustomerRequest,
    PortalSettings,
    RequestStatus,
    SelfReadingRequest,
)

__all__ += [
    "AddressChangeRequest",
    "CustomerRequest",
    "PortalSettings",
    "RequestStatus",
    "SelfReadingRequest",
]

from .notifications import Notification  # noqa: E402 - e-mail notifications (issue 6)

__all__ += ["Notification"]

from .pages import *  # noqa: E402, F403 - the portal page types (issue 5)
