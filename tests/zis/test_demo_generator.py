"""The demo ZIS generator: deterministic, in the exchange format, and its numbers add up."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from stdnum.cz import dic

from zis.demo import LOGINS_FILE, batch_name, demo_customers, generate_batch
from zis.demo.consumption import UsageProfile
from zis.records import ENTITY_FILES, ENTITY_RECORDS, FORMAT_NAME, FORMAT_VERSION, Manifest

END = date(2026, 10, 31)
COEFFICIENTS = {"A": "0.9", "B": "0.6", "C": "0.4", "D": "0.3", "E": "0.1", "F": "0.05"}
CENT = Decimal("0.01")


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _records(batch: Path, entity: str) -> list[dict[str, Any]]:
    with (batch / f"{entity}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _digests(batch: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(batch.iterdir())}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80 supply points over 4 years: spans the VAT change of 1 January 2024."""
    out = tmp_path_factory.mktemp("demo")
    return generate_batch(out, supply_points=80, years=4, seed=11, end_date=END)


@pytest.fixture(scope="module")
def data(batch: Path) -> dict[str, list[dict[str, Any]]]:
    return {name.removesuffix(".jsonl"): _records(batch, name[:-6]) for name in ENTITY_FILES}


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    first = generate_batch(tmp_path / "a", supply_points=25, years=2, seed=5, end_date=END)
    again = generate_batch(tmp_path / "b", supply_points=25, years=2, seed=5, end_date=END)
    other = generate_batch(tmp_path / "c", supply_points=25, years=2, seed=6, end_date=END)
    assert _digests(first) == _digests(again)
    assert (tmp_path / "a" / LOGINS_FILE).read_bytes() == (
        tmp_path / "b" / LOGINS_FILE
    ).read_bytes()
    different = {
        name for name, digest in _digests(first).items() if _digests(other)[name] != digest
    }
    assert {"customers.jsonl", "readings.jsonl", "invoices.jsonl"} <= different


def test_manifest_lists_every_file_with_its_count_and_checksum(batch: Path) -> None:
    manifest = Manifest.model_validate_json((batch / "manifest.json").read_bytes())
    assert (manifest.format, manifest.version, manifest.kind) == (
        FORMAT_NAME,
        FORMAT_VERSION,
        "full",
    )
    assert manifest.batch_id == batch.name
    assert set(manifest.files) == set(ENTITY_FILES)
    for name, listed in manifest.files.items():
        content = (batch / name).read_bytes()
        assert listed.sha256 == hashlib.sha256(content).hexdigest(), name
        assert listed.records == content.count(b"\n"), name
    assert manifest.files["supply_points.jsonl"].records == 80
    assert manifest.files["deletions.jsonl"].records == 0
    assert not list(batch.parent.glob(".*.partial"))


def test_every_record_matches_the_exchange_schema(batch: Path) -> None:
    for entity, model in ENTITY_RECORDS.items():
        with (batch / f"{entity}.jsonl").open("rb") as handle:
            ids = [model.model_validate_json(line).id for line in handle]
        assert len(ids) == len(set(ids)), f"duplicate ids in {entity}"


def test_every_invoice_adds_up_to_the_haler(data: dict) -> None:
    assert data["invoices"]
    for invoice in data["invoices"]:
        by_rate: dict[str, list[dict]] = defaultdict(list)
        for line in invoice["lines"]:
            base = Decimal(line["base"])
            assert base == _round(Decimal(line["quantity"]) * Decimal(line["unit_price"]))
            assert Decimal(line["total"]) == base + Decimal(line["vat"])
            by_rate[line["vat_rate"]].append(line)
        assert {row["vat_rate"] for row in invoice["vat_summary"]} == set(by_rate)
        for row in invoice["vat_summary"]:
            lines = by_rate[row["vat_rate"]]
            base = sum(Decimal(line["base"]) for line in lines)
            assert Decimal(row["base"]) == base
            assert Decimal(row["vat"]) == _round(base * Decimal(row["vat_rate"]) / 100)
            assert Decimal(row["vat"]) == sum(Decimal(line["vat"]) for line in lines)
            assert Decimal(row["total"]) == base + Decimal(row["vat"])
        summary = invoice["vat_summary"]
        assert Decimal(invoice["total_base"]) == sum(Decimal(row["base"]) for row in summary)
        assert Decimal(invoice["total_vat"]) == sum(Decimal(row["vat"]) for row in summary)
        assert Decimal(invoice["total"]) == sum(Decimal(row["total"]) for row in summary)
        paid, balance = Decimal(invoice["advances_paid"]), Decimal(invoice["balance"])
        assert Decimal(invoice["total"]) - paid == balance


def test_advances_deducted_are_the_paid_advances_of_the_period(data: dict) -> None:
    paid_on = {p["advance"]: p for p in data["payments"] if "advance" in p}
    schedules = defaultdict(list)
    for schedule in data["advance_schedules"]:
        schedules[schedule["supply_point"]].append(schedule)
    for invoice in data["invoices"]:
        (schedule,) = [
            s
            for s in schedules[invoice["supply_point"]]
            if s["valid_from"] == invoice["period_start"]
        ]
        assert schedule["valid_to"] == invoice["period_end"]
        paid = [
            Decimal(paid_on[a["id"]]["amount"])
            for a in schedule["advances"]
            if a["id"] in paid_on and paid_on[a["id"]]["received_on"] < invoice["issued_on"]
        ]
        assert Decimal(invoice["advances_paid"]) == sum(paid, Decimal(0))


def _rate_on(day: str) -> str:
    return "15" if day < "2020-05-01" else "10" if day < "2024-01-01" else "12"


def _read_on_change(data: dict) -> set[tuple[str, str]]:
    """(supply point, VAT change date) where every meter in service that day was read on it."""
    read = {(r["meter"], r["date"]) for r in data["readings"]}
    meters = defaultdict(list)
    for meter in data["meters"]:
        meters[meter["supply_point"]].append(meter)
    found = set()
    for point, its in meters.items():
        for change in ("2020-05-01", "2024-01-01"):
            serving = [
                m for m in its
                if m["installed_on"] < change and m.get("removed_on", "9999") > change
            ]  # fmt: skip
            if serving and all((m["id"], change) in read for m in serving):
                found.add((point, change))
    return found


def check_vat_by_tax_point(data: dict) -> tuple[int, int]:
    """Every line is taxed at the rate in force on the invoice's DUZP, except the consumption
    up to a VAT change where the supply point was read on the change date. Returns how many
    invoices spanning a change were split and how many were not."""
    read = _read_on_change(data)
    split = unsplit = 0
    for invoice in data["invoices"]:
        changes = [
            c for c in ("2020-05-01", "2024-01-01")
            if invoice["period_start"] < c <= invoice["period_end"]
        ]  # fmt: skip
        for line in invoice["lines"]:
            supported = [c for c in changes if (invoice["supply_point"], c) in read]
            before = [c for c in supported if line["period_end"] < c]
            expected = _rate_on(line["period_end"]) if before else _rate_on(invoice["tax_point_on"])
            assert line["vat_rate"] == expected, (invoice["number"], line)
        if changes:
            if any((invoice["supply_point"], c) in read for c in changes):
                split += 1
            else:
                unsplit += 1
    for schedule in data["advance_schedules"]:
        for advance in schedule["advances"]:
            assert advance["vat_rate"] == _rate_on(advance["due_on"])
    return split, unsplit


def test_vat_follows_the_date_of_taxable_supply_and_splits_only_at_a_reading(data: dict) -> None:
    split, unsplit = check_vat_by_tax_point(data)
    assert split > 0 and unsplit > 0  # some points were read at the change, some were not
    for invoice in data["invoices"]:
        # DUZP is the day of the closing reading, the day after the period's last day
        end = date.fromisoformat(invoice["period_end"])
        assert date.fromisoformat(invoice["tax_point_on"]) == end + timedelta(days=1)


def test_water_was_taxed_at_15_percent_until_april_2020(tmp_path: Path) -> None:
    folder = generate_batch(tmp_path, supply_points=40, years=3, seed=4, end_date=date(2021, 9, 30))
    data = {name.removesuffix(".jsonl"): _records(folder, name[:-6]) for name in ENTITY_FILES}
    split, unsplit = check_vat_by_tax_point(data)
    assert split > 0 and unsplit > 0
    rates = {line["vat_rate"] for invoice in data["invoices"] for line in invoice["lines"]}
    assert rates == {"15", "10"}
    prices = data["tariffs"][0]["prices"]
    assert [(p["valid_from"], p.get("valid_to"), p["vat_rate"]) for p in prices[2:5]] == [
        ("2020-01-01", "2020-04-30", "15"),
        ("2020-05-01", "2020-12-31", "10"),
        ("2021-01-01", None, "10"),
    ]


def test_a_late_advance_payment_pays_the_invoice(data: dict) -> None:
    """A payment of an advance received on or after the invoice of its period was issued is
    matched to that invoice, never to the advance."""
    issued = {}
    for invoice in data["invoices"]:
        issued[(invoice["supply_point"], invoice["period_start"])] = invoice
    advance_period = {}
    for schedule in data["advance_schedules"]:
        for advance in schedule["advances"]:
            advance_period[advance["id"]] = (schedule["supply_point"], schedule["valid_from"])
    late = 0
    for payment in data["payments"]:
        if "advance" in payment:
            invoice = issued.get(advance_period[payment["advance"]])
            assert invoice is None or payment["received_on"] < invoice["issued_on"]
        elif "invoice" in payment and payment["variable_symbol"] != payment["invoice"]:
            late += 1
    assert late > 0


def test_business_customers_have_a_registered_seat_and_households_none(data: dict) -> None:
    businesses = [c for c in data["customers"] if c["kind"] == "business"]
    households = [c for c in data["customers"] if c["kind"] == "household"]
    assert businesses and households
    assert all(c["seat"]["municipality"] and c["seat"]["postcode"] for c in businesses)
    assert not any("seat" in c for c in households)


def test_prices_rise_every_year_within_the_usual_range(data: dict) -> None:
    (tariff,) = [t for t in data["tariffs"] if t["code"] == "VS"]
    water = [Decimal(p["water_price"]) for p in tariff["prices"]]
    sewage = [Decimal(p["sewage_price"]) for p in tariff["prices"]]
    assert water == sorted(set(water)) and sewage == sorted(set(sewage))
    assert Decimal(45) <= water[-1] <= Decimal(65) and Decimal(40) <= sewage[-1] <= Decimal(60)


def test_business_customers_have_valid_ico_and_dic(data: dict) -> None:
    kinds = [c["kind"] for c in data["customers"]]
    assert 0.03 <= kinds.count("business") / len(kinds) <= 0.25
    for customer in data["customers"]:
        if customer["kind"] == "household":
            assert "ico" not in customer and "dic" not in customer
            continue
        assert len(customer["ico"]) == 8 and dic.is_valid(customer["ico"])
        if "dic" in customer:
            assert customer["dic"] == "CZ" + customer["ico"] and dic.is_valid(customer["dic"])


def test_meter_replacements_pair_a_final_and_an_initial_reading_on_one_day(data: dict) -> None:
    meters = {m["id"]: m for m in data["meters"]}
    replacements = [r for r in data["readings"] if r["kind"] == "replacement"]
    finals = {
        (meters[r["meter"]]["supply_point"], r["date"])
        for r in replacements
        if r["replacement"] == "final"
    }
    initials = {
        (meters[r["meter"]]["supply_point"], r["date"])
        for r in replacements
        if r["replacement"] == "initial"
    }
    assert finals and finals == initials
    removed = {(m["supply_point"], m["removed_on"]) for m in meters.values() if "removed_on" in m}
    assert removed == finals
    installed = {(m["supply_point"], m["installed_on"]) for m in meters.values()}
    assert finals <= installed


def test_readings_of_a_meter_never_decrease(data: dict) -> None:
    by_meter = defaultdict(list)
    for reading in data["readings"]:
        by_meter[reading["meter"]].append(reading)
    kinds = set()
    for readings in by_meter.values():
        readings.sort(key=lambda r: (r["date"], r.get("replacement") != "initial"))
        values = [Decimal(r["value"]) for r in readings]
        assert values == sorted(values)
        assert len({(r["date"], r["kind"]) for r in readings}) == len(readings)
        kinds |= {r["kind"] for r in readings}
    assert kinds == {"regular", "self", "estimated", "remote", "replacement"}


def test_readings_and_daily_values_fall_within_the_meters_service(data: dict) -> None:
    meters = {m["id"]: m for m in data["meters"]}
    days = [(r["meter"], r["date"]) for r in data["readings"]]
    days += [(d["meter"], d["day"]) for d in data["daily_consumption"]]
    for meter_id, day in days:
        meter = meters[meter_id]
        assert meter["installed_on"] <= day <= meter.get("removed_on", END.isoformat())
    assert all(meters[d["meter"]]["remote_read"] for d in data["daily_consumption"])


def test_daily_values_of_remote_meters_add_up_to_their_readings(data: dict) -> None:
    daily = defaultdict(dict)
    for row in data["daily_consumption"]:
        daily[row["meter"]][row["day"]] = Decimal(row["volume"])
    assert daily
    readings = defaultdict(list)
    for reading in data["readings"]:
        if reading["meter"] in daily:
            readings[reading["meter"]].append((reading["date"], Decimal(reading["value"])))
    for meter, points in readings.items():
        points.sort()
        for (start, before), (end, after) in itertools.pairwise(points):
            used = sum(v for d, v in daily[meter].items() if start <= d < end)
            assert after - before == used, (meter, start, end)


def test_consumption_is_higher_in_summer() -> None:
    profile = UsageProfile(annual_litres=100_000, amplitude=0.25)
    july = profile.expected(date(2025, 7, 1), date(2025, 8, 1))
    january = profile.expected(date(2025, 1, 1), date(2025, 2, 1))
    year = profile.expected(date(2025, 1, 1), date(2026, 1, 1))
    assert july > 1.3 * january
    assert year == pytest.approx(100_000, rel=0.01)


def test_rainwater_volume_follows_the_formula(data: dict) -> None:
    assert data["rainwater"]
    (tariff,) = [t for t in data["tariffs"] if t["code"] == "VS"]
    sewage = {p["valid_from"][:4]: Decimal(p["sewage_price"]) for p in tariff["prices"]}
    household = {s["id"] for s in data["supply_points"] if s["is_household"]}
    for row in data["rainwater"]:
        assert row["supply_point"] not in household
        reduced = sum(
            Decimal(area) * Decimal(COEFFICIENTS[cat]) for cat, area in row["areas"].items()
        )
        normal = Decimal(row["precipitation_normal"])
        assert Decimal("0.5") <= normal <= Decimal("0.8")
        assert Decimal(row["volume"]) == _round(reduced * normal, "0.001")
        assert Decimal(row["price"]) == sewage[str(row["year"])]
        assert Decimal(row["amount"]) == _round(Decimal(row["volume"]) * Decimal(row["price"]))


def test_payments_are_mostly_on_time_some_late_some_missing(data: dict) -> None:
    paid = {p["advance"]: p["received_on"] for p in data["payments"] if "advance" in p}
    due = [
        (a["due_on"], paid.get(a["id"]))
        for s in data["advance_schedules"]
        for a in s["advances"]
        if a["due_on"] <= "2026-09-01"
    ]
    on_time = sum(1 for d, p in due if p is not None and p <= d)
    late = sum(1 for d, p in due if p is not None and p > d)
    missing = sum(1 for _d, p in due if p is None)
    assert on_time > 0.8 * len(due) and late > 0 and missing > 0


def test_demo_logins_name_two_customers_and_their_codes(batch: Path, data: dict) -> None:
    logins = demo_customers(batch.parent)
    assert [login.kind for login in logins] == ["household", "business"]
    numbers = {c["number"]: c["id"] for c in data["customers"]}
    codes = {a["customer"]: a["code"] for a in data["activation_codes"]}
    for login in logins:
        assert codes[numbers[login.number]] == login.activation_code
    assert len(codes) == len(data["customers"])


def test_command_writes_a_batch_and_prints_the_logins(tmp_path: Path, capsys) -> None:
    call_command(
        "zis_demo", "--supply-points", "12", "--years", "1", "--seed", "3", "--out", str(tmp_path)
    )
    out = capsys.readouterr().out
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert (folder / "manifest.json").exists()
    for login in demo_customers(tmp_path):
        assert login.number in out and login.activation_code in out


@pytest.mark.django_db
def test_a_small_utility_imports_through_the_importer_and_again_changes_nothing(
    tmp_path: Path,
) -> None:
    from portal.models import Customer, DailyConsumption, Invoice, Payment, Reading, SupplyPoint
    from zis.importer import import_batch

    folder = generate_batch(tmp_path, supply_points=30, years=3, seed=2, end_date=END)
    manifest = Manifest.model_validate_json((folder / "manifest.json").read_bytes())
    first = import_batch(folder, move=False)
    assert first.status == "succeeded", first.report
    for model, name in [
        (Customer, "customers"),
        (SupplyPoint, "supply_points"),
        (Reading, "readings"),
        (DailyConsumption, "daily_consumption"),
        (Invoice, "invoices"),
        (Payment, "payments"),
    ]:
        assert model.objects.count() == manifest.files[f"{name}.jsonl"].records, name
    assert first.total("created") == sum(f.records for f in manifest.files.values())

    stored = _stored_rows()
    second = import_batch(folder, move=False)
    if second.status == "rejected":  # the importer may refuse a batch id it already imported
        assert "batch" in second.report.lower(), second.report
    else:
        assert second.status == "succeeded", second.report
        assert not second.changed
        assert second.total("unchanged") == first.total("created")
    assert _stored_rows() == stored


MIRRORED_MODELS = (
    "Customer",
    "Tariff",
    "TariffPrice",
    "SupplyPoint",
    "Meter",
    "Reading",
    "DailyConsumption",
    "Invoice",
    "InvoiceLine",
    "VatSummaryLine",
    "AdvanceSchedule",
    "Advance",
    "Payment",
    "RainwaterAssessment",
    "ActivationCode",
)


def _stored_rows() -> dict[str, int]:
    from django.apps import apps

    return {name: apps.get_model("portal", name).objects.count() for name in MIRRORED_MODELS}


def test_the_smallest_utility_and_bad_sizes(tmp_path: Path) -> None:
    folder = generate_batch(tmp_path, supply_points=2, years=1, seed=1, end_date=date(2024, 2, 29))
    assert folder.name == batch_name(supply_points=2, years=1, seed=1, end_date=date(2024, 2, 29))
    assert len(_records(folder, "supply_points")) == 2
    with pytest.raises(ValueError, match="at least"):
        generate_batch(tmp_path, supply_points=1, years=1, seed=1)
