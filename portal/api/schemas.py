"""What the personal API answers: one schema per kind of record (amounts and volumes as decimal
strings, dates in ISO 8601)."""

# No `from __future__ import annotations`: django-ninja reads the annotations when the
# module is imported.

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class CustomerOut(Schema):
    id: int
    number: str = Field(description="Customer number (číslo odběratele)")
    name: str


class SupplyPointOut(Schema):
    id: int
    number: str = Field(description="Supply point number (číslo odběrného místa)")
    customer_id: int
    address: str
    is_household: bool
    advance_amount: Decimal = Field(description="Current advance amount, CZK")
    advance_frequency: str
    payment_method: str

    @staticmethod
    def resolve_address(obj) -> str:
        return str(obj.address)


class MeterOut(Schema):
    id: int
    supply_point_id: int
    serial_number: str
    installed_on: dt.date
    removed_on: dt.date | None
    remote_read: bool


class ReadingOut(Schema):
    id: int
    meter_id: int
    date: dt.date
    value: Decimal = Field(description="Meter reading, m³")
    kind: str = Field(description="regular, self, estimated, remote or replacement")


class DailyConsumptionOut(Schema):
    meter_id: int
    day: dt.date
    volume: Decimal = Field(description="Consumption of the day, m³")


class MeterStateOut(Schema):
    meter: MeterOut
    latest_reading: ReadingOut | None = Field(description="The newest reading, if any")
    month: str = Field(description="The current month, YYYY-MM")
    month_consumption: Decimal | None = Field(
        description="m³ measured this month (remote-read meters' daily values); "
        "null when the meter sends no daily values"
    )


class InvoiceOut(Schema):
    id: int
    number: str
    customer_id: int
    supply_point_id: int | None
    variable_symbol: str
    issued_on: dt.date
    due_on: dt.date
    period_start: dt.date
    period_end: dt.date
    total: Decimal = Field(description="Total including VAT, CZK")
    advances_paid: Decimal
    balance: Decimal = Field(description="Positive: to pay; negative: overpayment")


class AdvanceOut(Schema):
    id: int
    customer_id: int
    supply_point_id: int | None
    due_on: dt.date
    amount: Decimal
    variable_symbol: str

    @staticmethod
    def resolve_customer_id(obj) -> int:
        return obj.schedule.customer_id

    @staticmethod
    def resolve_supply_point_id(obj) -> int | None:
        return obj.schedule.supply_point_id

    @staticmethod
    def resolve_variable_symbol(obj) -> str:
        return obj.schedule.variable_symbol


class PaymentOut(Schema):
    id: int
    customer_id: int
    received_on: dt.date
    amount: Decimal
    method: str = Field(description="transfer, sipo, card or cash")
    variable_symbol: str
    invoice_id: int | None
    advance_id: int | None


class ErrorOut(Schema):
    detail: str
