"""The demo ZIS: a realistic, deterministic water utility written as one full exchange batch.

``generate_batch(out_dir, supply_points=1000, years=3, seed=1)`` writes ``out_dir/<batch id>/``
(manifest and JSON Lines files, see zis/EXCHANGE.md) and ``out_dir/demo_logins.json`` beside it
with two customers to log in as (customer number and plain activation code). The same arguments
give byte-identical files. Records are written as they are made, one customer at a time, so memory
stays flat whatever the size.
"""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import people
from .accounts import simulate_accounts
from .billing import price_table
from .consumption import business_profile, garden_profile, household_profile
from .meters import Meter, simulate_meters
from .plan import Context, SupplyPlan
from .writer import BatchWriter, amount, day, stamp

DEFAULT_END_DATE = date(2026, 10, 31)
DEFAULT_REMOTE_SHARE = 0.05  # of supply points with a remote-read meter (and daily values)
CHANGEOVER_SHARE = 0.35  # of the other supply points read on the day a VAT rate changes
LOGINS_FILE = "demo_logins.json"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TARIFFS = {"T-VS": ("VS", "Vodné a stočné"), "T-V": ("V", "Pouze vodné (bez kanalizace)")}


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo customer to link a portal account to."""

    number: str
    name: str
    kind: str
    activation_code: str


def generate_batch(
    out_dir: Path,
    *,
    supply_points: int,
    years: int,
    seed: int,
    end_date: date | None = None,
    remote_share: float = DEFAULT_REMOTE_SHARE,
    progress: Any = None,
) -> Path:
    """Write a full batch of a utility with ``supply_points`` points and ``years`` of history
    ending on ``end_date`` (default 2026-10-31); return the batch folder. ``progress``
    (zis.importer.progress.Progress) is told of the supply points written."""
    if supply_points < 2 or years < 1:
        raise ValueError("a demo utility needs at least 2 supply points and 1 year")
    end = end_date or DEFAULT_END_DATE
    start = _years_before(end, years) + timedelta(days=1)
    batch_id = batch_name(
        supply_points=supply_points,
        years=years,
        seed=seed,
        end_date=end,
        remote_share=remote_share,
    )
    out_dir = Path(out_dir)
    writer = BatchWriter(out_dir / batch_id)
    try:
        rng = random.Random(seed)  # noqa: S311 - demo data, not security
        ctx = Context(
            rng=rng,
            fake=people.make_faker(seed),
            writer=writer,
            start=start,
            end=end,
            prices=price_table(rng, start.year, end.year),
            remote_share=remote_share,
            progress=progress,
        )
        if progress is not None:
            progress.start("generating", supply_points)
        _write_tariffs(ctx)
        logins = _write_utility(ctx, supply_points)
        folder = writer.finish(batch_id=batch_id, created=f"{end.isoformat()}T22:00:00Z")
    except BaseException:
        writer.abort()
        raise
    _write_logins(out_dir / LOGINS_FILE, batch_id, logins)
    return folder


def batch_name(
    *,
    supply_points: int,
    years: int,
    seed: int,
    end_date: date | None = None,
    remote_share: float = DEFAULT_REMOTE_SHARE,
) -> str:
    """The batch id (and folder name) :func:`generate_batch` uses for these arguments."""
    end = end_date or DEFAULT_END_DATE
    name = f"demo-{seed}-{supply_points}x{years}-{end:%Y%m%d}"
    if remote_share != DEFAULT_REMOTE_SHARE:
        name += f"-r{round(remote_share * 1000)}"
    return name


def demo_customers(out_dir: Path) -> list[DemoLogin]:
    """The demo logins written by :func:`generate_batch` into ``out_dir`` (or beside a batch)."""
    path = Path(out_dir) / LOGINS_FILE
    if not path.exists():
        path = Path(out_dir).parent / LOGINS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return [DemoLogin(**item) for item in data["customers"]]


def _write_logins(path: Path, batch_id: str, logins: list[DemoLogin]) -> None:
    data = {"batch_id": batch_id, "customers": [dataclasses.asdict(login) for login in logins]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _years_before(end: date, years: int) -> date:
    try:
        return end.replace(year=end.year - years)
    except ValueError:  # 29 February
        return end.replace(year=end.year - years, day=28)


def _write_tariffs(ctx: Context) -> None:
    for tariff_id, (code, name) in TARIFFS.items():
        prices = []
        for year, price in sorted(ctx.prices.items()):
            periods = price.rate_periods()
            for index, (valid_from, valid_to, rate) in enumerate(periods):
                item = {"valid_from": day(valid_from)}
                if year < ctx.end.year or index < len(periods) - 1:
                    item["valid_to"] = day(valid_to)
                sewage = price.sewage if code == "VS" else 0
                item |= {
                    "water_price": amount(price.water),
                    "sewage_price": f"{sewage:.2f}",
                    "vat_rate": str(rate),
                }
                prices.append(item)
        record = {"id": tariff_id, "updated_at": stamp(date(ctx.end.year, 1, 1))}
        ctx.writer.write("tariffs", record | {"code": code, "name": name, "prices": prices})


def _write_utility(ctx: Context, supply_points: int) -> list[DemoLogin]:
    """Customers one by one until the supply points are all placed; the first two are the demo
    logins: a household with a remote-read meter and a business with rainwater."""
    region = people.build_region(ctx.rng, ctx.fake, supply_points)
    remaining, index, logins = supply_points, 0, []
    while remaining > 0:
        business = index == 1 or (index > 1 and ctx.rng.random() < 0.10)
        count = min(remaining, _supply_point_count(ctx.rng, business, index))
        login = _write_customer(ctx, region, business, count, demo=index < 2)
        if index < 2:
            logins.append(login)
        remaining -= count
        index += 1
        if ctx.progress is not None:
            ctx.progress.advance(count)
    return logins


def _supply_point_count(rng: random.Random, business: bool, index: int) -> int:
    if index < 2:
        return index + 1
    if business:
        return rng.choices((1, 2, 3, 4), (60, 25, 10, 5))[0]
    return 2 if rng.random() < 0.04 else 1


def _write_customer(
    ctx: Context, region: list[people.Municipality], business: bool, count: int, *, demo: bool
) -> DemoLogin:
    rng, fake = ctx.rng, ctx.fake
    person = people.new_business(rng, fake) if business else people.new_household(rng, fake)
    number = ctx.ids.number("C-")
    customer_id, customer_number = f"C-{number}", str(100_000 + number)
    plans = [_plan(ctx, region, customer_id, person, demo=demo) for _ in range(count)]
    mailing = plans[0].address
    if business or rng.random() < 0.08:
        mailing = people.new_address(rng, region[0] if business else rng.choice(region))
    seat = people.new_address(rng, rng.choice(region)) if business else None
    record = _customer_record(ctx, customer_id, customer_number, person, mailing)
    if seat is not None:
        record["seat"] = address(seat)  # the registered seat (sídlo), exchange format 1.1
    ctx.writer.write("customers", record)
    for plan in plans:
        _write_supply_point(ctx, plan)
    code = "-".join("".join(rng.choices(CODE_ALPHABET, k=4)) for _ in range(3))
    ctx.writer.write(
        "activation_codes",
        {
            "id": f"AC-{number}",
            "updated_at": stamp(ctx.start),
            "customer": customer_id,
            "code": code,
        },
    )
    kind = "business" if business else "household"
    return DemoLogin(customer_number, person.name, kind, code)


def _customer_record(
    ctx: Context, customer_id: str, number: str, person: people.Person, mailing: people.Address
) -> dict[str, object]:
    record: dict[str, object] = {
        "id": customer_id,
        "updated_at": stamp(ctx.start),
        "number": number,
        "kind": "business" if person.is_business else "household",
        "name": person.name,
    }
    if person.company_id:
        record["ico"] = person.company_id
    if person.vat_id:
        record["dic"] = person.vat_id
    record |= {"email": person.email, "phone": person.phone, "mailing_address": address(mailing)}
    return record


def address(value: people.Address) -> dict[str, str]:
    """An Address record of the exchange format."""
    record = {"street": value.street, "house_number": value.house_number}
    if value.orientation_number:
        record["orientation_number"] = value.orientation_number
    record |= {"municipality": value.municipality, "postcode": value.postcode}
    return record


def _plan(
    ctx: Context,
    region: list[people.Municipality],
    customer_id: str,
    person: people.Person,
    *,
    demo: bool,
) -> SupplyPlan:
    rng = ctx.rng
    municipality = people.pick_municipality(rng, region)
    number = ctx.ids.number("OM-")
    business = person.is_business
    profile = business_profile(rng) if business else household_profile(rng)
    profiles = [profile]
    if rng.random() < (0.2 if business else 0.12) or (demo and business):
        profiles.append(garden_profile(rng, profile))
    settle_month, settle_day = rng.randint(1, 12), rng.randint(16, 28)
    connected = not demo and rng.random() < 0.06 and (ctx.end - ctx.start).days > 400
    first_day = _first_day(ctx, settle_month, settle_day, connected)
    sewage = demo or rng.random() < 0.95
    sipo = not business and rng.random() < 0.3
    remote = (demo and not business) or rng.random() < ctx.remote_share
    return SupplyPlan(
        id=f"OM-{number}",
        number=str(1_000_000 + number),
        customer_id=customer_id,
        is_household=not business,
        address=people.new_address(rng, municipality),
        municipality=municipality,
        profiles=profiles,
        first_day=first_day,
        connected=connected,
        settle_month=settle_month,
        settle_day=settle_day,
        sewage=sewage,
        rainwater=business and sewage and (demo or rng.random() < 0.9),
        remote_from=_remote_from(ctx, settle_month, demo=demo) if remote else None,
        frequency=_frequency(rng, business),
        payment_method="sipo" if sipo else "transfer",
        sipo_number=f"{rng.randint(1, 9_999_999_999):010d}" if sipo else None,
        payer=rng.choices(("punctual", "late", "bad"), (85, 12, 3))[0],
        changeover=remote or rng.random() < CHANGEOVER_SHARE,
    )


def _first_day(ctx: Context, month: int, day_of_month: int, connected: bool) -> date:
    if connected:
        span = (ctx.end - ctx.start).days
        return ctx.start + timedelta(days=ctx.rng.randint(60, span - 120))
    first = date(ctx.start.year, month, day_of_month)
    return first if first >= ctx.start else first.replace(year=first.year + 1)


def _remote_from(ctx: Context, settle_month: int, *, demo: bool) -> date:
    """When the point got its remote-read meter: within the last three years (the demo household's
    over two years ago, for a long daily chart), not in the month of the settlement reading (so the
    replacement and the settlement never share a day)."""
    remote_from = ctx.end - timedelta(days=ctx.rng.randint(750 if demo else 60, 3 * 365))
    if remote_from.month == settle_month:
        remote_from -= timedelta(days=40)
    return remote_from


def _frequency(rng: random.Random, business: bool) -> str:
    monthly = 0.8 if business else 0.4
    return "monthly" if rng.random() < monthly else "quarterly"


def _write_supply_point(ctx: Context, plan: SupplyPlan) -> None:
    meters, periods = simulate_meters(ctx, plan)
    advance = simulate_accounts(ctx, plan, periods)
    record: dict[str, object] = {
        "id": plan.id,
        "updated_at": stamp(periods[-1].start),
        "number": plan.number,
        "customer": plan.customer_id,
        "tariff": "T-VS" if plan.sewage else "T-V",
        "address": address(plan.address),
        "is_household": plan.is_household,
        "rainwater_charged": plan.rainwater,
        "advance_amount": amount(advance),
        "advance_frequency": plan.frequency,
        "payment_method": plan.payment_method,
    }
    if plan.sipo_number:
        record["sipo_number"] = plan.sipo_number
    ctx.writer.write("supply_points", record)
    for meter in meters:
        ctx.writer.write("meters", _meter_record(ctx, plan, meter))


def _meter_record(ctx: Context, plan: SupplyPlan, meter: Meter) -> dict[str, object]:
    record: dict[str, object] = {
        "id": meter.id,
        "updated_at": stamp(meter.removed_on or max(meter.installed_on, plan.first_day)),
        "supply_point": plan.id,
        "serial_number": meter.serial,
        "installed_on": day(meter.installed_on),
    }
    if meter.removed_on:
        record["removed_on"] = day(meter.removed_on)
    record["remote_read"] = meter.remote
    return record
