"""The bill explained: from the meter readings to the balance, every figure pointing at the row of
the invoice page it comes from (anchors `reading-<id>`, `line-<position>`, `vat-<n>`,
`deposit-<payment id>`, `invoice-total`, `invoice-advances`, `invoice-balance`).

Nothing is computed anew that the invoice states: the m³, prices, tax bases, VAT, total, advances
and balance are the invoice's own (ZIS's) figures; the readings only show where the m³ come from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from portal.billing.models import InvoiceLine, Meter, Reading

OPENING_LOOKBACK = dt.timedelta(days=400)  # the opening reading of the period is at most this old


@dataclass(frozen=True)
class MeterStep:
    """Consumption between two readings of one meter."""

    start: Reading
    end: Reading
    volume: Decimal


@dataclass
class MeterStory:
    meter: Meter
    readings: list[Reading] = field(default_factory=list)
    steps: list[MeterStep] = field(default_factory=list)

    @property
    def volume(self) -> Decimal:
        return sum((step.volume for step in self.steps), Decimal(0))


@dataclass
class Explainer:
    meters: list[MeterStory]
    water_lines: list[InvoiceLine]
    sewage_lines: list[InvoiceLine]
    rainwater_lines: list[InvoiceLine]
    other_lines: list[InvoiceLine]
    detail: Any  # the InvoiceDetail: settlement per rate, deposits, totals
    price_page_url: str = ""

    @property
    def measured(self) -> Decimal:
        return sum((story.volume for story in self.meters), Decimal(0))

    @property
    def billed_water(self) -> Decimal:
        return sum((line.quantity or Decimal(0) for line in self.water_lines), Decimal(0))


def explain(user: Any, detail: Any, price_page_url: str = "") -> Explainer:
    """The explanation of `detail` (an InvoiceDetail already scoped to `user`); two queries."""
    invoice = detail.invoice
    meters: list[MeterStory] = []
    if invoice.supply_point_id:
        stories = {
            meter.pk: MeterStory(meter)
            for meter in Meter.objects.filter(supply_point_id=invoice.supply_point_id).order_by(
                "installed_on", "pk"
            )
        }
        readings = Reading.objects.for_user(user).filter(
            meter_id__in=list(stories),
            date__gte=invoice.period_start - OPENING_LOOKBACK,
            date__lte=invoice.period_end,
        )
        by_meter: dict[int, list[Reading]] = {pk: [] for pk in stories}
        for reading in readings.order_by("date", "pk"):
            by_meter[reading.meter_id].append(reading)
        for pk, rows in by_meter.items():
            story = stories[pk]
            before = [r for r in rows if r.date < invoice.period_start]
            inside = [r for r in rows if r.date >= invoice.period_start]
            if not inside:
                continue
            story.readings = before[-1:] + inside
            for start, end in zip(story.readings, story.readings[1:], strict=False):
                if end.replacement == Reading.Replacement.INITIAL:
                    continue  # a new meter starts: nothing flowed between the two meters
                story.steps.append(MeterStep(start, end, end.value - start.value))
            meters.append(story)
    kinds = InvoiceLine.Kind
    lines = detail.lines
    return Explainer(
        meters=meters,
        water_lines=[line for line in lines if line.kind == kinds.WATER],
        sewage_lines=[line for line in lines if line.kind == kinds.SEWAGE],
        rainwater_lines=[line for line in lines if line.kind == kinds.RAINWATER],
        other_lines=[line for line in lines if line.kind in (kinds.FIXED, kinds.OTHER)],
        detail=detail,
        price_page_url=price_page_url,
    )


def price_page_url(request: Any) -> str:
    """The URL of the price page chosen in the utility's settings, or "" (from the site's cached
    frame: no query)."""
    from cms_pages.templatetags.pramen_tags import site_frame

    frame = site_frame(request)
    return frame.price_page.url if frame and frame.price_page else ""
