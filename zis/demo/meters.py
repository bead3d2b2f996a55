"""A supply point's meters and readings, and the consumption of each billing period.

Readings are taken on each yearly settlement date (regular, sometimes self or estimated; remote for
remote-read meters), 0-3 times more in between (self, regular, estimated) and on the 1st of each
month for remote-read meters. A meter is replaced when its six-year verification runs out: the old
meter's ``final`` and the new one's ``initial`` reading carry the same date. A manual reading is
the register floored to the whole m³; an estimate never exceeds the register, so readings never
decrease. Every meter of a supply point with ``changeover`` readings (all remote-read points and a
share of the others) is read on the day a VAT rate changes (1 May 2020, 1 January 2024): only
those supply points' invoices split the consumption at the change (see :mod:`zis.demo.billing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .billing import VAT_CHANGES
from .consumption import DailySink, MeterClock
from .plan import Context, SupplyPlan
from .writer import litres

LIFETIME_DAYS = 2192  # six years: the verification period of a cold-water meter
BRANDS = ("SE", "ZR", "MA", "IT", "DI")
INTERIM_COUNTS = (0, 1, 2, 3)
INTERIM_WEIGHTS = (35, 35, 20, 10)
INTERIM_KINDS = ("self", "regular", "estimated")
INTERIM_KIND_WEIGHTS = (60, 25, 15)
ONE_DAY = timedelta(days=1)


@dataclass(slots=True)
class Meter:
    id: str
    serial: str
    installed_on: date
    replace_on: date
    clock: MeterClock
    main: bool = True  # the main meter of the point, not a second one (garden, workshop)
    removed_on: date | None = None
    start: int = 0  # register as read at the start of the current billing period
    last: int = 0  # the last reading's value
    last_day: date | None = None

    @property
    def remote(self) -> bool:
        return self.clock.remote


@dataclass(slots=True)
class Period:
    """A billing period from one settlement reading (inclusive) to the next (exclusive)."""

    start: date
    end: date | None  # None: the period still open at the end of the history
    litres: int
    # litres consumed from `start` up to a reading on a VAT change date, by that date
    changeovers: dict[date, int] = field(default_factory=dict)


def settlement_dates(ctx: Context, plan: SupplyPlan) -> list[date]:
    """The first day of the history and the yearly settlement dates after it, up to the end."""
    dates = [plan.first_day]
    for year in range(plan.first_day.year, ctx.end.year + 1):
        day = date(year, plan.settle_month, plan.settle_day)
        if (day - plan.first_day).days >= 60 and day <= ctx.end:
            dates.append(day)
    return dates


def simulate_meters(ctx: Context, plan: SupplyPlan) -> tuple[list[Meter], list[Period]]:
    """Write the meters' readings and daily values; return every meter and the billing periods."""
    dates = settlement_dates(ctx, plan)
    active = [_first_meter(ctx, plan, position, dates[0]) for position in range(len(plan.profiles))]
    every = list(active)
    for meter in active:
        register = meter.clock.litres
        kind, value = ("remote", register) if meter.remote else ("regular", _floor_m3(register))
        _read(ctx, meter, dates[0], kind, value)
        meter.start = meter.last
    periods = []
    for index, start in enumerate(dates):
        end = dates[index + 1] if index + 1 < len(dates) else None
        carried, changeovers = _walk_period(
            ctx, plan, active, every, start, end or ctx.end, set(dates)
        )
        if end is None:
            periods.append(Period(start, None, carried, changeovers))
            break
        for meter in active:
            value = _settlement_reading(ctx, meter, end)
            carried += value - meter.start
            meter.start = value
        periods.append(Period(start, end, carried, changeovers))
    return every, periods


def _walk_period(
    ctx: Context,
    plan: SupplyPlan,
    active: list[Meter],
    every: list[Meter],
    start: date,
    stop: date,
    settlements: set[date],
) -> tuple[int, dict[date, int]]:
    """Replacements and interim readings from ``start`` to before ``stop``, in date order; returns
    the litres consumed on meters removed in the period (final reading minus period start) and,
    per changeover reading, the litres consumed from ``start`` up to it."""
    carried, changeovers = 0, {}
    replacing = {m.replace_on: m for m in active if start <= m.replace_on < stop}
    events = _interim_days(ctx, active, start, stop, settlements | set(replacing))
    if plan.changeover:
        changes = [d for d in VAT_CHANGES if start < d < stop and d not in replacing]
        events = [(d, kind) for d, kind in events if d not in changes]
        events += [(d, "changeover") for d in changes]
    events += [(day, "replacement") for day in replacing]
    for day, kind in sorted(events):
        if kind == "changeover":
            for meter in active:
                _interim_reading(ctx, [meter], day, "remote" if meter.remote else "regular")
            changeovers[day] = carried + sum(m.last - m.start for m in active)
            continue
        if kind != "replacement":
            _interim_reading(ctx, active, day, kind)
            continue
        old = replacing[day]
        new = _replace(ctx, plan, old, day)
        carried += old.last - old.start
        active[active.index(old)] = new
        every.append(new)
    if stop == ctx.end:
        for meter in active:
            meter.clock.advance(ctx.rng, ctx.end, _daily_sink(ctx, meter))
    return carried, changeovers


def _interim_days(
    ctx: Context, active: list[Meter], start: date, stop: date, taken: set[date]
) -> list[tuple[date, str]]:
    rng, span = ctx.rng, (stop - start).days
    days: dict[date, str] = {}
    if span > 60:
        for _ in range(rng.choices(INTERIM_COUNTS, INTERIM_WEIGHTS)[0]):
            day = start + timedelta(days=rng.randint(20, span - 20))
            days[day] = rng.choices(INTERIM_KINDS, INTERIM_KIND_WEIGHTS)[0]
    if any(m.remote for m in active):
        month = date(start.year, start.month, 1)
        while True:
            month = (month + timedelta(days=32)).replace(day=1)
            if month >= stop:
                break
            days[month] = "remote"
    return sorted((d, kind) for d, kind in days.items() if d not in taken)


def _interim_reading(ctx: Context, active: list[Meter], day: date, kind: str) -> None:
    """Readings on an interim day: the monthly one of remote meters, or those of the manual ones."""
    for meter in active:
        if (kind == "remote") != meter.remote:
            continue
        register = meter.clock.advance(ctx.rng, day, _daily_sink(ctx, meter))
        if kind == "remote":
            value = register
        elif kind == "estimated":
            value = _floor_m3(meter.clock.estimate(meter.last, meter.last_day or day, day))
            value = max(value, meter.last)
        else:
            value = _floor_m3(register)
        _read(ctx, meter, day, kind, value)


def _settlement_reading(ctx: Context, meter: Meter, day: date) -> int:
    register = meter.clock.advance(ctx.rng, day, _daily_sink(ctx, meter))
    if meter.remote:
        kind, value = "remote", register
    else:
        kind = ctx.rng.choices(("regular", "self", "estimated"), (90, 5, 5))[0]
        if kind == "estimated":
            value = _floor_m3(meter.clock.estimate(meter.last, meter.last_day or day, day))
            value = max(value, meter.last)
        else:
            value = _floor_m3(register)
    _read(ctx, meter, day, kind, value)
    return value


def _replace(ctx: Context, plan: SupplyPlan, old: Meter, day: date) -> Meter:
    """The old meter's final reading and a new meter with its initial reading, on ``day``."""
    register = old.clock.advance(ctx.rng, day, _daily_sink(ctx, old))
    final = register if old.remote else max(_floor_m3(register), old.last)
    _read(ctx, old, day, "replacement", final, role="final")
    old.removed_on = day
    main = old.main
    remote = main and plan.remote_from is not None and day >= plan.remote_from
    initial = ctx.rng.randint(0, 2) * 1000
    clock = MeterClock(old.clock.profile, initial, day, remote)
    new = _new_meter(ctx, plan, day, clock, main=main)
    _read(ctx, new, day, "replacement", initial, role="initial")
    new.start = initial
    return new


def _first_meter(ctx: Context, plan: SupplyPlan, position: int, first_day: date) -> Meter:
    """The meter in place on the first day: new for a new connection, already remote-read if the
    point got its remote meter before the history starts, else installed up to six years before."""
    rng, profile, main = ctx.rng, plan.profiles[position], position == 0
    if plan.connected:
        installed = first_day
    elif main and plan.remote_from is not None and plan.remote_from <= first_day:
        installed = plan.remote_from
    else:
        installed = first_day - timedelta(days=rng.randint(0, LIFETIME_DAYS - 150))
    register = rng.randint(0, 2) * 1000
    register += int(profile.expected(installed, first_day) * rng.uniform(0.9, 1.1))
    remote = main and plan.remote_from is not None and installed >= plan.remote_from
    clock = MeterClock(profile, register, first_day, remote)
    return _new_meter(ctx, plan, installed, clock, main=main)


def _new_meter(
    ctx: Context, plan: SupplyPlan, installed: date, clock: MeterClock, *, main: bool
) -> Meter:
    """A meter due for replacement six years (+/- four months) after installation, or earlier
    when the point is to get a remote-read meter (then on ``remote_from``)."""
    number = ctx.ids.number("M-")
    serial = f"{ctx.rng.choice(BRANDS)}{installed.year % 100:02d}{number:07d}"
    replace_on = installed + timedelta(days=LIFETIME_DAYS + ctx.rng.randint(-120, 120))
    if replace_on.month == plan.settle_month and abs(replace_on.day - plan.settle_day) < 3:
        replace_on += timedelta(days=5)
    if replace_on in VAT_CHANGES:  # the changeover reading and a replacement never share a day
        replace_on += timedelta(days=3)
    remote_from = plan.remote_from
    pending = main and not clock.remote and remote_from is not None and remote_from > installed
    if pending and replace_on > remote_from - timedelta(days=180):
        replace_on = remote_from
    return Meter(f"M-{number}", serial, installed, replace_on, clock, main=main)


def _read(ctx: Context, meter: Meter, day: date, kind: str, value: int, role: str = "") -> None:
    iso = day.isoformat()
    tail = f',"replacement":"{role}"}}\n' if role else "}\n"
    ctx.writer.write_line(
        "readings",
        f'{{"id":"{ctx.ids.next("R-")}","updated_at":"{iso}T06:00:00Z","meter":"{meter.id}",'
        f'"date":"{iso}","value":"{litres(value)}","kind":"{kind}"{tail}',
    )
    meter.last, meter.last_day = value, day


def _daily_sink(ctx: Context, meter: Meter) -> DailySink | None:
    if not meter.remote:
        return None
    write, ids, meter_id = ctx.writer.write_line, ctx.ids, meter.id

    def sink(day: date, volume: int) -> None:
        after = (day + ONE_DAY).isoformat()
        write(
            "daily_consumption",
            f'{{"id":"D-{ids.number("D-")}","updated_at":"{after}T06:00:00Z",'
            f'"meter":"{meter_id}","day":"{day.isoformat()}","volume":"{litres(volume)}"}}\n',
        )

    return sink


def _floor_m3(register: int) -> int:
    return register // 1000 * 1000
