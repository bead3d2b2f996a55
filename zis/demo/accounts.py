"""Money of one supply point: advance schedules, annual settlement invoices, payments, rainwater.

Each billing period has an advance schedule (monthly or quarterly advances due on the 15th,
variable symbol = supply point number), estimated from the previous period's consumption at the
current prices. A closed period is settled by an invoice issued 3-12 days after the settlement
reading, dated (DUZP) on the day of that reading; the advances of its schedule paid before the
issue day are deducted. A payment of an advance that arrives on the issue day or later is matched
to the invoice (it pays the invoice), and the customer's payment of the balance is smaller by it.
See :mod:`zis.demo.billing` for the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import billing
from .meters import Period
from .plan import Context, SupplyPlan
from .writer import amount, day, stamp, volume

COEFFICIENTS = {
    "A": Decimal("0.9"),
    "B": Decimal("0.6"),
    "C": Decimal("0.4"),
    "D": Decimal("0.3"),
    "E": Decimal("0.1"),
    "F": Decimal("0.05"),
}
ON_TIME_LATE = {"punctual": (0.96, 0.035), "late": (0.72, 0.24), "bad": (0.5, 0.3)}
MONTHS_BETWEEN = {"monthly": 1, "quarterly": 3}


@dataclass(slots=True)
class Schedule:
    amount: Decimal
    paid: list[tuple[date, Decimal, str]]  # (received on, amount, advance id) of advance payments


@dataclass(slots=True)
class Issued:
    id: str
    number: str
    issued: date
    due: date
    balance: Decimal


def rainwater_volume(areas: dict[str, Decimal], normal: Decimal) -> Decimal:
    """Q = Σ area * coefficient * precipitation normal, in m³ rounded half up to 0.001."""
    reduced = sum((area * COEFFICIENTS[cat] for cat, area in areas.items()), Decimal(0))
    return (reduced * normal).quantize(billing.MILLI, rounding=ROUND_HALF_UP)


def simulate_accounts(ctx: Context, plan: SupplyPlan, periods: list[Period]) -> Decimal:
    """Write the rainwater assessments, schedules, invoices and payments; return the current
    advance amount."""
    rain = _write_rainwater(ctx, plan) if plan.rainwater else {}
    annual = sum(profile.annual_litres for profile in plan.profiles)
    current = Decimal(0)
    for period in periods:
        schedule = _write_schedule(ctx, plan, period, annual, rain)
        current = schedule.amount
        invoice = _write_invoice(ctx, plan, period, rain, schedule) if period.end else None
        late = Decimal(0)
        for received, value, advance_id in schedule.paid:
            if invoice is not None and received >= invoice.issued:
                _write_payment(ctx, plan, received, value, plan.number, invoice=invoice.id)
                late += value
            else:
                _write_payment(ctx, plan, received, value, plan.number, advance=advance_id)
        if invoice is not None:
            _settle_balance(ctx, plan, invoice, invoice.balance - late)
        if period.end is not None:
            annual = period.litres * 365 / max(1, (period.end - period.start).days)
    return current


def _write_rainwater(ctx: Context, plan: SupplyPlan) -> dict[int, Decimal]:
    rng = ctx.rng
    areas = {"A": Decimal(int(min(6000.0, max(60.0, rng.lognormvariate(6.0, 0.8)))))}
    if rng.random() < 0.5:
        areas["C"] = Decimal(rng.randint(20, 800))
    for category in ("B", "D", "E"):
        if rng.random() < 0.08:
            areas[category] = Decimal(rng.randint(30, 400))
    if rng.random() < 0.6:
        areas["F"] = Decimal(rng.randint(50, 1500))
    normal = Decimal(plan.municipality.precipitation_normal)
    volumes = {}
    for year in range(plan.first_day.year, ctx.end.year + 1):
        if year > plan.first_day.year and rng.random() < 0.05:
            areas["A"] += Decimal(rng.randint(20, 300))  # a new roof or a paved yard
        q = rainwater_volume(areas, normal)
        price = ctx.prices[year].sewage
        ctx.writer.write("rainwater", _rainwater_record(ctx, plan, year, areas, normal, q, price))
        volumes[year] = q
    return volumes


def _rainwater_record(
    ctx: Context,
    plan: SupplyPlan,
    year: int,
    areas: dict[str, Decimal],
    normal: Decimal,
    q: Decimal,
    price: Decimal,
) -> dict[str, object]:
    return {
        "id": ctx.ids.next("RW-"),
        "updated_at": stamp(max(plan.first_day, min(date(year, 1, 15), ctx.end))),
        "supply_point": plan.id,
        "year": year,
        "areas": {cat: f"{areas[cat]:.2f}" for cat in COEFFICIENTS if cat in areas},
        "precipitation_normal": f"{normal:.3f}",
        "volume": volume(q),
        "price": amount(price),
        "amount": amount(billing.money(q * price)),
    }


def due_dates(start: date, end: date | None, frequency: str) -> list[date]:
    """Advances fall due on the 15th of the months after ``start``: up to ``end``, or for a year."""
    step, dates = MONTHS_BETWEEN[frequency], []
    month = start.month + 1
    for _ in range(12 // step):
        due = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 15)
        if end is not None and due >= end:
            break
        dates.append(due)
        month += step
    return dates


def _write_schedule(
    ctx: Context, plan: SupplyPlan, period: Period, annual: float, rain: dict[int, Decimal]
) -> Schedule:
    dues = due_dates(period.start, period.end, plan.frequency)
    count = 12 // MONTHS_BETWEEN[plan.frequency]
    price = ctx.prices[period.start.year]
    rain_m3 = rain.get(period.start.year, Decimal(0))
    each = billing.advance_amount(
        annual, price, sewage=plan.sewage, rainwater_m3=rain_m3, count=count
    )
    advances, schedule = [], Schedule(each, [])
    for due in dues:
        advance_id = ctx.ids.next("Z-")
        vat_rate = str(billing.vat_rate_on(due))
        advances.append(
            {"id": advance_id, "due_on": day(due), "amount": amount(each), "vat_rate": vat_rate}
        )
        received = _payment_day(ctx, plan, due)
        if received is not None:
            schedule.paid.append((received, each, advance_id))
    record = {
        "id": ctx.ids.next("ZP-"),
        "updated_at": stamp(period.start),
        "customer": plan.customer_id,
        "supply_point": plan.id,
        "valid_from": day(period.start),
    }
    if period.end is not None:
        record["valid_to"] = day(period.end - timedelta(days=1))
    record |= {
        "frequency": plan.frequency,
        "amount": amount(each),
        "variable_symbol": plan.number,
        "advances": advances,
    }
    ctx.writer.write("advance_schedules", record)
    return schedule


def _write_invoice(
    ctx: Context, plan: SupplyPlan, period: Period, rain: dict[int, Decimal], schedule: Schedule
) -> Issued | None:
    assert period.end is not None  # noqa: S101 - only closed periods are invoiced
    issued = period.end + timedelta(days=ctx.rng.randint(3, 12))
    if issued > ctx.end:
        return None
    period_end = period.end - timedelta(days=1)
    lines = billing.settlement_lines(
        period.start,
        period_end,
        period.litres,
        ctx.prices,
        sewage=plan.sewage,
        rainwater=rain,
        tax_point=period.end,
        readings=period.changeovers,
    )
    settled = billing.settle(lines)
    paid = sum((value for received, value, _a in schedule.paid if received < issued), Decimal(0))
    balance = settled.total - paid
    sequence = ctx.ids.number("F-")
    number = f"{issued.year % 100:02d}{sequence:07d}"
    due = issued + timedelta(days=14)
    record = {
        "id": f"F-{sequence}",
        "updated_at": stamp(issued),
        "number": number,
        "customer": plan.customer_id,
        "supply_point": plan.id,
        "variable_symbol": number,
        "issued_on": day(issued),
        "tax_point_on": day(period.end),
        "due_on": day(due),
        "period_start": day(period.start),
        "period_end": day(period_end),
        "total_base": amount(settled.total_base),
        "total_vat": amount(settled.total_vat),
        "total": amount(settled.total),
        "advances_paid": amount(paid),
        "balance": amount(balance),
        "lines": [_line_record(i, line) for i, line in enumerate(settled.lines, start=1)],
        "vat_summary": [_summary_record(summary) for summary in settled.summary],
    }
    ctx.writer.write("invoices", record)
    return Issued(record["id"], number, issued, due, balance)


def _summary_record(summary: billing.RateSummary) -> dict[str, str]:
    return {
        "vat_rate": str(summary.vat_rate),
        "base": amount(summary.base),
        "vat": amount(summary.vat),
        "total": amount(summary.total),
    }


def _line_record(position: int, line: billing.Line) -> dict[str, object]:
    return {
        "position": position,
        "kind": line.kind,
        "description": billing.LINE_NAMES[line.kind],
        "period_start": day(line.period_start),
        "period_end": day(line.period_end),
        "quantity": volume(line.quantity),
        "unit": billing.VOLUME_UNIT,
        "unit_price": amount(line.unit_price),
        "base": amount(line.base),
        "vat_rate": str(line.vat_rate),
        "vat": amount(line.vat),
        "total": amount(line.total),
    }


def _settle_balance(ctx: Context, plan: SupplyPlan, invoice: Issued, owed: Decimal) -> None:
    """The customer pays what the invoice still asks (or not); an overpayment is refunded by
    transfer. `owed` is the balance less the advance payments that arrived after the issue."""
    if owed > 0:
        received = _payment_day(ctx, plan, invoice.due)
        method = "card" if ctx.rng.random() < 0.08 else "transfer"
    elif owed < 0:
        received, method = invoice.issued + timedelta(days=ctx.rng.randint(5, 15)), "transfer"
    else:
        return
    if received is not None and received <= ctx.end:
        _write_payment(ctx, plan, received, owed, invoice.number, invoice=invoice.id, method=method)


def _payment_day(ctx: Context, plan: SupplyPlan, due: date) -> date | None:
    """When the payment for ``due`` arrived: mostly on time, some late, some never; None as well
    when it is after the end of the history."""
    rng = ctx.rng
    on_time, late = ON_TIME_LATE[plan.payer]
    draw = rng.random()
    if draw < on_time:
        received = due - timedelta(days=0 if plan.payment_method == "sipo" else rng.randint(0, 6))
    elif draw < on_time + late:
        received = due + timedelta(days=rng.randint(3, 45))
    else:
        return None
    return received if received <= ctx.end else None


def _write_payment(
    ctx: Context,
    plan: SupplyPlan,
    received: date,
    value: Decimal,
    vs: str,
    *,
    advance: str = "",
    invoice: str = "",
    method: str = "",
) -> None:
    iso = received.isoformat()
    match = f',"advance":"{advance}"' if advance else ""
    match += f',"invoice":"{invoice}"' if invoice else ""
    ctx.writer.write_line(
        "payments",
        f'{{"id":"{ctx.ids.next("P-")}","updated_at":"{iso}T06:00:00Z",'
        f'"customer":"{plan.customer_id}","received_on":"{iso}","amount":"{value:.2f}",'
        f'"method":"{method or plan.payment_method}","variable_symbol":"{vs}"{match}}}\n',
    )
