"""Typed record definitions of the ZIS exchange format, version 1.1 (see zis/EXCHANGE.md).

One pydantic model per JSON Lines file. Models are strict (no silent coercion: ``"yes"`` is not a
boolean, a number is not a string) except where JSON has no native type: dates, timestamps and
decimals are written as strings. Unknown fields are refused, so a typo in ZIS's export is caught.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from portal.lib.formatting import normalise_unit

FORMAT_NAME = "pramen-zis"
# "1.1" adds optional fields to 1.0 (NEW_IN_1_1); a manifest of 1.0 says 1 (or "1.0").
FORMAT_VERSION = "1.1"
SUPPORTED_VERSIONS = frozenset({1, "1.0", "1.1"})
VERSION_1_0 = frozenset({1, "1.0"})

MANIFEST_FILE = "manifest.json"

# --- field types -------------------------------------------------------------------------------

ZisId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/-]+$")
]
Text = Annotated[str, StringConstraints(max_length=255)]
Digits10 = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}$")]
# Decimals travel as strings ("1234.50") and are checked by pattern, not converted while
# validating: pattern checks are strict (a JSON number is refused) and several times faster than
# Decimal parsing for the millions of rows of a large batch. Convert with decimal.Decimal().
Money = Annotated[str, StringConstraints(pattern=r"^-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")]
NonNegativeMoney = Annotated[
    str, StringConstraints(pattern=r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")
]
Volume = Annotated[str, StringConstraints(pattern=r"^(0|[1-9][0-9]{0,10})(\.[0-9]{1,3})?$")]
Area = Annotated[str, StringConstraints(pattern=r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$")]
Precipitation = Annotated[str, StringConstraints(pattern=r"^[0-9](\.[0-9]{1,3})?$")]
BatchId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


# Choices are Literal types: checked by pydantic-core without building enum objects, which
# matters for millions of records. VAT rates are percentages as strings.
VatRate = Literal["0", "10", "12", "15", "21"]
CustomerKind = Literal["household", "business"]
Language = Literal["cs", "en"]
AdvanceFrequency = Literal["monthly", "quarterly", "semiannual", "annual"]
SupplyPaymentMethod = Literal["transfer", "sipo"]
PaymentMethod = Literal["transfer", "sipo", "card", "cash"]
ReadingKind = Literal["regular", "self", "estimated", "remote", "replacement"]
ReplacementRole = Literal["initial", "final"]
InvoiceLineKind = Literal["water", "sewage", "rainwater", "fixed", "other"]
BatchKind = Literal["full", "delta"]
FULL: BatchKind = "full"
DELTA: BatchKind = "delta"


def _not_before(field: str, other: str) -> Any:
    """A field validator: ``field`` (a date, may be None) is not before ``other``."""

    def check(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get(other)
        if value is not None and start is not None and value < start:
            raise ValueError(f"must not be before {other} ({start.isoformat()})")
        return value

    return field_validator(field)(check)


def _required_when(field: str, other: str, expected: str) -> Any:
    """A field validator: ``field`` is set exactly when ``other`` equals ``expected``."""

    def check(value: object, info: ValidationInfo) -> object:
        wanted = info.data.get(other) == expected
        if wanted and value is None:
            raise ValueError(f"is required when {other} is {expected!r}")
        if not wanted and value is not None and other in info.data:
            raise ValueError(f"must be null unless {other} is {expected!r}")
        return value

    return field_validator(field)(check)


# --- building blocks ---------------------------------------------------------------------------


class Record(BaseModel):
    """Base of every exchange record: strict types, unknown fields refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)


class EntityRecord(Record):
    """A top-level record of an entity file: its ZIS id and when ZIS last changed it."""

    id: ZisId
    updated_at: AwareDatetime


class Address(Record):
    """A structured Czech address; ``postcode`` is five digits without the space."""

    street: Text = ""
    house_number: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    orientation_number: Annotated[str, StringConstraints(max_length=16)] = ""
    part_of_municipality: Text = ""
    municipality: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    postcode: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
    ruian_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}$")] | None = None


# --- entity records (inbound, ZIS -> portal) ----------------------------------------------------


class CustomerRecord(EntityRecord):
    number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    kind: CustomerKind
    name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    ico: Annotated[str, StringConstraints(pattern=r"^[0-9]{8}$")] | None = None
    dic: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[0-9A-Z]{2,12}$")] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] = ""
    phone: Annotated[str, StringConstraints(max_length=32)] = ""
    language: Language = "cs"
    mailing_address: Address
    seat: Address | None = None  # 1.1: the registered seat (sídlo) of a business


class TariffPriceRecord(Record):
    valid_from: dt.date
    valid_to: dt.date | None = None
    water_price: NonNegativeMoney
    sewage_price: NonNegativeMoney
    vat_rate: VatRate

    _valid_to = _not_before("valid_to", "valid_from")


class TariffRecord(EntityRecord):
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    name: Text
    prices: list[TariffPriceRecord] = []


class SupplyPointRecord(EntityRecord):
    number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    customer: ZisId
    tariff: ZisId | None = None
    address: Address
    is_household: bool
    rainwater_charged: bool = False
    advance_amount: NonNegativeMoney
    advance_frequency: AdvanceFrequency
    payment_method: SupplyPaymentMethod
    sipo_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")] | None = None

    _sipo_number = _required_when("sipo_number", "payment_method", "sipo")


class MeterRecord(EntityRecord):
    supply_point: ZisId
    serial_number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    installed_on: dt.date
    removed_on: dt.date | None = None
    remote_read: bool = False

    _removed_on = _not_before("removed_on", "installed_on")


class ReadingRecord(EntityRecord):
    meter: ZisId
    date: dt.date
    value: Volume
    kind: ReadingKind
    replacement: ReplacementRole | None = None

    _replacement = _required_when("replacement", "kind", "replacement")


class DailyConsumptionRecord(EntityRecord):
    meter: ZisId
    day: dt.date
    volume: Volume


class InvoiceLineRecord(Record):
    position: Annotated[int, Field(ge=1, le=9999)]
    kind: InvoiceLineKind
    description: Text
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    quantity: Volume | None = None
    unit: Annotated[str, StringConstraints(max_length=16)] = ""
    unit_price: Money | None = None
    base: Money
    vat_rate: VatRate
    vat: Money
    total: Money

    _period_end = _not_before("period_end", "period_start")

    @field_validator("unit")
    @classmethod
    def _one_spelling_of_the_cubic_metre(cls, value: str) -> str:
        # Stored once as "m³" so that the web page, the PDF and ISDOC never see "m3" and "m³" side by side.
        return normalise_unit(value)


class VatSummaryRecord(Record):
    vat_rate: VatRate
    base: Money
    vat: Money
    total: Money


class InvoiceRecord(EntityRecord):
    number: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    customer: ZisId
    supply_point: ZisId | None = None
    variable_symbol: Digits10
    issued_on: dt.date
    tax_point_on: dt.date
    due_on: dt.date
    period_start: dt.date
    period_end: dt.date
    total_base: Money
    total_vat: Money
    total: Money
    advances_paid: NonNegativeMoney
    balance: Money
    lines: list[InvoiceLineRecord] = []
    vat_summary: list[VatSummaryRecord] = []

    _period_end = _not_before("period_end", "period_start")
    _due_on = _not_before("due_on", "issued_on")


class AdvanceRecord(Record):
    id: ZisId
    due_on: dt.date
    amount: NonNegativeMoney
    vat_rate: VatRate


class AdvanceScheduleRecord(EntityRecord):
    customer: ZisId
    supply_point: ZisId
    valid_from: dt.date
    valid_to: dt.date | None = None
    frequency: AdvanceFrequency
    amount: NonNegativeMoney
    variable_symbol: Digits10
    advances: list[AdvanceRecord] = []

    _valid_to = _not_before("valid_to", "valid_from")


class PaymentRecord(EntityRecord):
    customer: ZisId
    received_on: dt.date
    amount: Money
    method: PaymentMethod
    variable_symbol: Digits10 | None = None
    invoice: ZisId | None = None
    advance: ZisId | None = None
    # 1.1: the number of the payment's tax document when ZIS numbers them itself.
    tax_document_number: Annotated[str, StringConstraints(max_length=32)] = ""

    @field_validator("advance")
    @classmethod
    def _one_match(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("invoice") is not None:
            raise ValueError("a payment is matched to an invoice or an advance, not both")
        return value


class RainwaterAreas(Record):
    """Areas in m² by surface category (vyhl. 428/2001 příloha 16, since 1 July 2022)."""

    A: Area = "0"
    B: Area = "0"
    C: Area = "0"
    D: Area = "0"
    E: Area = "0"
    F: Area = "0"


class RainwaterRecord(EntityRecord):
    supply_point: ZisId
    year: Annotated[int, Field(ge=2000, le=2100)]
    areas: RainwaterAreas
    precipitation_normal: Precipitation
    volume: Volume
    price: NonNegativeMoney
    amount: NonNegativeMoney


class ActivationCodeRecord(EntityRecord):
    customer: ZisId
    code: Annotated[str, StringConstraints(min_length=6, max_length=64)]
    valid_until: dt.date | None = None


class DeletionRecord(EntityRecord):
    entity: Literal[
        "customers",
        "tariffs",
        "supply_points",
        "meters",
        "readings",
        "daily_consumption",
        "invoices",
        "advance_schedules",
        "payments",
        "rainwater",
        "activation_codes",
    ]


# Fields a batch of version 1.0 may not carry (they are errors there, as any unknown field).
NEW_IN_1_1: dict[str, tuple[str, ...]] = {
    "customers": ("seat",),
    "payments": ("tax_document_number",),
}


# Entity files in dependency order: a file only refers to entities listed before it.
ENTITY_RECORDS: dict[str, type[EntityRecord]] = {
    "customers": CustomerRecord,
    "tariffs": TariffRecord,
    "supply_points": SupplyPointRecord,
    "meters": MeterRecord,
    "readings": ReadingRecord,
    "daily_consumption": DailyConsumptionRecord,
    "invoices": InvoiceRecord,
    "advance_schedules": AdvanceScheduleRecord,
    "payments": PaymentRecord,
    "rainwater": RainwaterRecord,
    "activation_codes": ActivationCodeRecord,
}
ENTITIES: tuple[str, ...] = tuple(ENTITY_RECORDS)
DELETIONS = "deletions"
ENTITY_FILES: tuple[str, ...] = (*(f"{name}.jsonl" for name in ENTITIES), f"{DELETIONS}.jsonl")

# Which fields of a record refer to which entity (by ZIS id). "advances" are nested in schedules.
REFERENCES: dict[str, dict[str, str]] = {
    "supply_points": {"customer": "customers", "tariff": "tariffs"},
    "meters": {"supply_point": "supply_points"},
    "readings": {"meter": "meters"},
    "daily_consumption": {"meter": "meters"},
    "invoices": {"customer": "customers", "supply_point": "supply_points"},
    "advance_schedules": {"customer": "customers", "supply_point": "supply_points"},
    "payments": {"customer": "customers", "invoice": "invoices", "advance": "advances"},
    "rainwater": {"supply_point": "supply_points"},
    "activation_codes": {"customer": "customers"},
}


# --- manifest ----------------------------------------------------------------------------------


class ManifestFile(Record):
    records: Annotated[int, Field(ge=0)]
    sha256: Sha256


class Manifest(Record):
    format: str
    version: Literal[1, "1.0", "1.1"]
    batch_id: BatchId
    created: AwareDatetime
    kind: BatchKind
    files: dict[str, ManifestFile]
