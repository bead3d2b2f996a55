"""How each exchange entity maps onto portal models: its columns, references and nested parts.

The columns of an entity's table, as the importer writes them:

    id, zis_id, zis_updated_at, <one column per reference>, <the tail columns>

in the order of the rows built by rows.RowBuilder. A tail column is written ``name`` or
``name:kind`` with the kinds of rows.decode (``t`` text, ``b`` boolean, ``i`` integer).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from portal.models import (
    ActivationCode,
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
from zis import records as r

MODELS: dict[str, type[models.Model]] = {
    "customers": Customer,
    "tariffs": Tariff,
    "supply_points": SupplyPoint,
    "meters": Meter,
    "readings": Reading,
    "daily_consumption": DailyConsumption,
    "invoices": Invoice,
    "advance_schedules": AdvanceSchedule,
    "advances": Advance,
    "payments": Payment,
    "rainwater": RainwaterAssessment,
    "activation_codes": ActivationCode,
}

# Natural keys that must be unique within a file besides the id (the database enforces them too).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("number",),
    "tariffs": ("code",),
    "supply_points": ("number",),
    "readings": ("meter", "date", "kind"),
    "daily_consumption": ("meter", "day"),
    "invoices": ("number",),
    "rainwater": ("supply_point", "year"),
}

# References whose target may not be deleted while the referring row stays (EXCHANGE.md § 1.3):
# every reference but an activation code's, which goes with its customer. A payment's match
# (invoice, advance) counts too: the database would only clear it, the spec calls it an error.
PROTECTING: dict[str, list[tuple[str, str]]] = defaultdict(list)
for _entity, _fields in r.REFERENCES.items():
    for _field, _target in _fields.items():
        if _entity != "activation_codes":
            PROTECTING[_target].append((_entity, _field))


REFERENCED = frozenset(target for refs in r.REFERENCES.values() for target in refs.values())


def columns(spec: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """'number:t kind name:t' -> (('number', 'kind', 'name'), ('t', '', 't'))."""
    pairs = [(item.partition(":")[0], item.partition(":")[2]) for item in spec.split()]
    return tuple(name for name, _kind in pairs), tuple(kind for _name, kind in pairs)


@dataclass(frozen=True)
class TableSpec:
    """The columns a writer fills: `head` columns get keys or ids, `tail` columns the row text."""

    model: type[models.Model]
    head: tuple[str, ...]
    tail: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.head, *self.tail)


def table(model: type[models.Model], head: str, tail: str) -> TableSpec:
    names, kinds = columns(tail)
    return TableSpec(model, tuple(head.split()), names, kinds)


@dataclass(frozen=True)
class EntitySpec:
    name: str
    table: TableSpec  # head: zis_id, zis_updated_at and the reference columns
    references: tuple[tuple[str, str], ...]  # (record field, target entity), in row order
    part_models: tuple[type[models.Model], ...] = ()
    natural_key: Callable[[Any], Any] | None = field(default=None, compare=False)

    @property
    def model(self) -> type[models.Model]:
        return self.table.model

    @property
    def needs_keys(self) -> bool:
        """Whether new rows' primary keys are needed: other rows refer to them, or parts do."""
        return self.name in REFERENCED or bool(self.part_models)

    @property
    def tail_index(self) -> int:
        return 2 + len(self.references)


ADDRESS = "street:t house_number:t orientation_number:t part_of_municipality:t municipality:t"
ADDRESS_END = "postcode ruian_code:i"
MAILING = " ".join(f"mailing_{item}" for item in f"{ADDRESS} {ADDRESS_END}".split())
SEAT = " ".join(f"seat_{item}" for item in f"{ADDRESS} {ADDRESS_END}".split())

TAILS: dict[str, str] = {
    "customers": f"number:t kind name:t ico dic email:t phone:t language {MAILING} {SEAT}",
    "tariffs": "code:t name:t",
    "supply_points": (
        f"number:t {ADDRESS} {ADDRESS_END} is_household:b rainwater_charged:b advance_amount "
        "advance_frequency payment_method sipo_number"
    ),
    "meters": "serial_number:t installed_on removed_on remote_read:b",
    "readings": "date value kind replacement",
    "daily_consumption": "day volume",
    "invoices": (
        "number:t variable_symbol issued_on tax_point_on due_on period_start period_end "
        "total_base total_vat total advances_paid balance"
    ),
    "advance_schedules": "valid_from valid_to frequency amount variable_symbol",
    "payments": "received_on amount method variable_symbol zis_tax_document_number:t",
    "rainwater": (
        "year:i area_a area_b area_c area_d area_e area_f precipitation_normal volume price amount"
    ),
    "activation_codes": "code_hash valid_until",
}

# Nested parts: the parent's key first, then the part's text.
PRICES = table(TariffPrice, "tariff_id", "valid_from valid_to water_price sewage_price vat_rate")
LINES = table(
    InvoiceLine,
    "invoice_id",
    "position:i kind description:t period_start period_end quantity unit:t unit_price base "
    "vat_rate vat total",
)
VAT_SUMMARY = table(VatSummaryLine, "invoice_id", "vat_rate base vat total")
ADVANCES = table(Advance, "zis_id zis_updated_at", "schedule_id:i due_on amount vat_rate")


PART_MODELS: dict[str, tuple[type[models.Model], ...]] = {
    "tariffs": (TariffPrice,),
    "invoices": (InvoiceLine, VatSummaryLine),
    "advance_schedules": (Advance,),
}


def entity_spec(name: str) -> EntitySpec:
    references = tuple(r.REFERENCES.get(name, {}).items())
    head = " ".join(("zis_id zis_updated_at", *(f"{field}_id" for field, _ in references)))
    keys = NATURAL_KEYS.get(name)
    return EntitySpec(
        name,
        table(MODELS[name], head, TAILS[name]),
        references,
        PART_MODELS.get(name, ()),
        operator.attrgetter(*keys) if keys else None,
    )


SPECS: dict[str, EntitySpec] = {name: entity_spec(name) for name in r.ENTITIES}
