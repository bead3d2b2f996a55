"""Shared state of one generator run and the plan of a supply point before it is simulated."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from faker import Faker

from .billing import YearPrice
from .consumption import UsageProfile
from .people import Address, Municipality
from .writer import BatchWriter


class Ids:
    """Sequential ZIS ids per prefix (``C-1``, ``OM-1``…): stable for a seed, never reused."""

    __slots__ = ("_next",)

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        return f"{prefix}{self.number(prefix)}"

    def number(self, prefix: str) -> int:
        value = self._next.get(prefix, 0) + 1
        self._next[prefix] = value
        return value


@dataclass(slots=True)
class Context:
    """What every step of one run shares: randomness, the writer, the calendar and prices."""

    rng: random.Random
    fake: Faker
    writer: BatchWriter
    start: date
    end: date
    prices: dict[int, YearPrice]
    ids: Ids = field(default_factory=Ids)
    remote_share: float = 0.05
    progress: Any = None  # told of the supply points written (zis.importer.progress.Progress)


@dataclass(slots=True)
class SupplyPlan:
    """A supply point's fixed traits, drawn before its history is simulated."""

    id: str
    number: str
    customer_id: str
    is_household: bool
    address: Address
    municipality: Municipality
    profiles: list[UsageProfile]  # one per meter position: main and, for some, a second meter
    first_day: date  # first settlement reading in the history, or the connection date
    connected: bool  # connected during the history (first meter new on first_day)
    settle_month: int
    settle_day: int
    sewage: bool
    rainwater: bool
    remote_from: date | None  # meters installed since then are remote-read
    frequency: str  # "monthly" | "quarterly"
    payment_method: str  # "transfer" | "sipo"
    sipo_number: str | None
    payer: str  # "punctual" | "late" | "bad"
    changeover: bool = False  # read on the days the VAT rate changes (see zis.demo.meters)
