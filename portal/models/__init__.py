"""Every model of the portal app, gathered from its feature packages so that Django finds them.

Code inside `portal` imports models from their feature package (`portal.billing.models`); this
module is for Django and for code outside the app (`zis`, tests).
"""

from portal.accounts.models import (
    AccountProfile,
    ActivationCode,
    CustomerLink,
    EInvoiceConsent,
    LinkAttempt,
)
from portal.advisor.models import AdvanceProjection
from portal.api.models import ApiToken, CalendarFeed
from portal.audit.models import OperatorAccessLog
from portal.billing.models import (
    RUNOFF_COEFFICIENTS,
    Advance,
    AdvanceSchedule,
    Customer,
    DailyConsumption,
    Invoice,
    InvoiceLine,
    Meter,
    Payment,
    RainwaterAssessment,
    Reading,
    SupplyPoint,
    Tariff,
    TariffPrice,
    VatSummaryLine,
)
from portal.documents.models import TaxDocument, TaxDocumentSeries
from portal.insights.models import AwayPeriod, ConsumptionWarning, SupplyPointPreferences
from portal.lib.addresses import Address
from portal.mailings.models import MailingSent, ReadingInvitation
from portal.notices.models import (
    NoticeIndexPage,
    NoticePage,
    NoticePlace,
    NoticeRecipient,
    NoticeSubscription,
    NoticeSupplyPoint,
)
from portal.notifications.models import Notification, NotificationAttachment
from portal.pages.models import (
    ConsumptionPage,
    InvoicesPage,
    MyDetailsPage,
    PortalHomePage,
    PortalPage,
    RainwaterPage,
    ReadingsPage,
    SupplyPointsPage,
)
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.rules import PortalSettings

__all__ = [
    "RUNOFF_COEFFICIENTS",
    "AccountProfile",
    "ActivationCode",
    "Address",
    "AddressChangeRequest",
    "Advance",
    "AdvanceChangeRequest",
    "AdvanceProjection",
    "AdvanceSchedule",
    "ApiToken",
    "AwayPeriod",
    "CalendarFeed",
    "ConsumptionPage",
    "ConsumptionWarning",
    "Customer",
    "CustomerLink",
    "CustomerRequest",
    "DailyConsumption",
    "EInvoiceConsent",
    "Invoice",
    "InvoiceLine",
    "InvoicesPage",
    "LinkAttempt",
    "MailingSent",
    "Meter",
    "MyDetailsPage",
    "NoticeIndexPage",
    "NoticePage",
    "NoticePlace",
    "NoticeRecipient",
    "NoticeSubscription",
    "NoticeSupplyPoint",
    "Notification",
    "NotificationAttachment",
    "OperatorAccessLog",
    "Payment",
    "PortalHomePage",
    "PortalPage",
    "PortalSettings",
    "RainwaterAssessment",
    "RainwaterPage",
    "Reading",
    "ReadingInvitation",
    "ReadingsPage",
    "RequestStatus",
    "SelfReadingRequest",
    "SupplyPoint",
    "SupplyPointPreferences",
    "SupplyPointsPage",
    "Tariff",
    "TariffPrice",
    "TaxDocument",
    "TaxDocumentSeries",
    "VatSummaryLine",
]
