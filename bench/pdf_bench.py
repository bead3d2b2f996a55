"""PDF benchmark: render time of the printed documents, cold (rendered and stored) and cached.

    python bench/pdf_bench.py [--documents 5] [--no-save]

For each kind of document (invoice, advance payment schedule, tax document) it builds a few
documents of realistic size with different numbers and amounts, renders each once into an empty
document cache ("cold": WeasyPrint, PDF/UA tagging, font subsetting, writing the file) and then
asks for it again ("cached": fingerprinting the document and reading the stored file). The
documents are built in memory, without a database: the queries that gather a document's data are
measured by the portal benchmark and pinned by query-count tests. Prints a table and returns the
p50 figures in milliseconds; goals: under 500 ms cold, under 20 ms cached. The CPU time of the
cold render is printed too: on a machine shared with busy processes the wall time depends on
them, the CPU time much less.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
GOAL_COLD_MS = 500.0
GOAL_CACHED_MS = 20.0


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def sample_documents(count: int) -> dict[str, list[tuple[Any, str]]]:
    """`count` documents of each kind with their templates, built from plain values."""
    from portal.documents import content, services
    from portal.lib.vat import VatSplit, split_gross

    supplier = content.Supplier(
        name="Vodárna Testov, a.s.",
        legal_name="Vodárna Testov, a.s.",
        address_lines=("Nádražní 12", "530 02 Testov"),
        postal=content.PostalAddress("Nádražní", "12", "Testov", "53002"),
        ico="25596641",
        dic="CZ25596641",
        phone="+420 466 123 456",
        email="info@testov.example",
        iban="CZ6508000000192000145399",
        iban_display="CZ65 0800 0000 1920 0014 5399",
        account="19-2000145399/0800",
    )
    documents: dict[str, list[tuple[Any, str]]] = {"invoice": [], "schedule": [], "tax": []}
    for index in range(count):
        customer = content.Party(
            name=f"Jana Nováková {index}",
            address_lines=("Zelinářská 515/2", "Dejvice", "160 00 Praha"),
            postal=content.PostalAddress("Zelinářská", "515/2", "Praha", "16000"),
            number=f"{100001 + index}",
        )
        place = content.Place(f"OM-{index:06d}", "Zelinářská 515/2, Dejvice, 160 00 Praha")
        quantity = Decimal("74.875") + index
        water = split_gross(quantity * Decimal("58.35"), Decimal(12))
        sewage = split_gross(quantity * Decimal("50.74"), Decimal(12))
        lines = tuple(
            content.LineRow(
                name,
                dt.date(2024, 1, 1),
                dt.date(2024, 12, 31),
                quantity,
                "m³",
                price,
                split.base,
                split.rate,
                split.vat,
                split.total,
            )
            for name, price, split in (
                ("Vodné", Decimal("52.10"), water),
                ("Stočné", Decimal("45.30"), sewage),
            )
        )
        summary = VatSplit(
            Decimal(12),
            water.base + sewage.base,
            water.vat + sewage.vat,
            water.total + sewage.total,
        )
        balance = summary.total - Decimal("6400.00")
        number = f"{2025000001 + index}"
        # eight monthly advances of 800 Kč deducted, each with its own tax document
        deposits = tuple(
            content.DepositRow(
                f"ZD2024{index:02d}{month:04d}",
                dt.date(2024, month, 15),
                dt.date(2024, month, 14),
                dt.date(2024, month, 14),
                split_gross(Decimal("800.00"), Decimal(12)),
            )
            for month in range(1, 9)
        )
        advances_split = content.sum_splits([deposit.split for deposit in deposits])[0]
        documents["invoice"].append(
            (
                content.InvoiceDocument(
                    pk=index,
                    number=number,
                    variable_symbol=number,
                    issued_on=dt.date(2025, 1, 8),
                    tax_point_on=dt.date(2024, 12, 31),
                    due_on=dt.date(2025, 1, 22),
                    period_start=dt.date(2024, 1, 1),
                    period_end=dt.date(2024, 12, 31),
                    supplier=supplier,
                    customer=customer,
                    place=place,
                    meters=(
                        content.MeterRow(
                            f"SE-{index:08d}",
                            content.ReadingEnd(
                                dt.date(2024, 1, 1), Decimal("120.500"), "pravidelný odečet", False
                            ),
                            content.ReadingEnd(
                                dt.date(2025, 1, 1),
                                Decimal("120.500") + quantity,
                                "pravidelný odečet",
                                False,
                            ),
                        ),
                    ),
                    lines=lines,
                    vat_summary=(summary,),
                    total_base=summary.base,
                    total_vat=summary.vat,
                    total=summary.total,
                    advances_paid=Decimal("6400.00"),
                    balance=balance,
                    paid=Decimal(0),
                    outstanding=balance,
                    calendar_model=False,
                    deposits=deposits,
                    rates=(
                        content.RateRow(
                            Decimal(12),
                            summary,
                            advances_split,
                            VatSplit(
                                Decimal(12),
                                summary.base - advances_split.base,
                                summary.vat - advances_split.vat,
                                summary.total - advances_split.total,
                            ),
                        ),
                    ),
                    qr=content.payment_qr(supplier, balance, number, f"Faktura {number}"),
                ),
                services.INVOICE_TEMPLATE,
            )
        )
        vs = f"{1000010001 + index}"
        advances = tuple(
            content.AdvanceRow(
                due_on=dt.date(2025, month, 15),
                split=split_gross(Decimal("800.00"), Decimal(12)),
                paid=Decimal("800.00") if month < 3 else Decimal(0),
                outstanding=Decimal(0) if month < 3 else Decimal("800.00"),
                qr=None
                if month < 3
                else content.payment_qr(
                    supplier, Decimal("800.00"), vs, f"Zaloha 15.{month:02d}.2025"
                ),
            )
            for month in range(1, 13)
        )
        documents["schedule"].append(
            (
                content.ScheduleDocument(
                    pk=index,
                    number=f"AS-{index}",
                    variable_symbol=vs,
                    issued_on=dt.date(2025, 1, 2),
                    valid_from=dt.date(2025, 1, 1),
                    valid_to=dt.date(2025, 12, 31),
                    frequency="měsíčně",
                    amount=Decimal("800.00"),
                    supplier=supplier,
                    customer=customer,
                    place=place,
                    advances=advances,
                    vat_summary=tuple(content.sum_splits([row.split for row in advances])),
                    total=Decimal("9600.00"),
                    is_tax_document=True,
                ),
                services.SCHEDULE_TEMPLATE,
            )
        )
        paid = split_gross(Decimal("800.00") + index, Decimal(12))
        documents["tax"].append(
            (
                content.TaxDocument(
                    pk=index,
                    number=f"ZD2025{index:06d}",
                    issued_on=dt.date(2025, 1, 16),
                    tax_point_on=dt.date(2025, 1, 14),
                    variable_symbol=vs,
                    method="bankovní převod",
                    advance_due_on=dt.date(2025, 1, 15),
                    advance_amount=paid.total,
                    supplier=supplier,
                    customer=customer,
                    place=place,
                    split=paid,
                ),
                services.TAX_DOCUMENT_TEMPLATE,
            )
        )
    return documents


def _p50(values: list[float]) -> float:
    return statistics.median(values) * 1000


def run(count: int) -> dict[str, dict[str, float]]:
    from django.test import override_settings

    from portal.documents import cache

    documents = sample_documents(count)
    results: dict[str, dict[str, float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="pramen-pdf-bench-") as folder,
        override_settings(PRAMEN_DOCUMENT_CACHE=Path(folder)),
    ):
        cache.get_or_render_pdf(*documents["invoice"][0])  # warm-up: imports, fonts
        for path in Path(folder).rglob("*.pdf"):
            path.unlink()
        for kind, items in documents.items():
            cold, cold_cpu, cached = [], [], []
            for document, template in items:
                start, cpu = time.perf_counter(), time.process_time()
                cache.get_or_render_pdf(document, template)
                cold.append(time.perf_counter() - start)
                cold_cpu.append(time.process_time() - cpu)
                start = time.perf_counter()
                cache.get_or_render_pdf(document, template)
                cached.append(time.perf_counter() - start)
            results[kind] = {
                "cold_ms": _p50(cold),
                "cold_cpu_ms": _p50(cold_cpu),
                "cached_ms": _p50(cached),
            }
    return results


def save_results(results: dict[str, dict[str, float]]) -> None:
    """Merge the figures into bench/results.json under "pdf"."""
    merged: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            merged = json.loads(RESULTS.read_text(encoding="utf-8"))
    merged["pdf"] = {kind: {k: round(v, 2) for k, v in f.items()} for kind, f in results.items()}
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5, help="documents of each kind")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    _setup()
    results = run(args.documents)
    print(f"PDF documents (p50 of {args.documents} each)   cold ms   cold CPU ms   cached ms")
    for kind, figures in results.items():
        print(
            f"  {kind:<36} {figures['cold_ms']:8.1f}   {figures['cold_cpu_ms']:11.1f}"
            f"   {figures['cached_ms']:9.2f}"
        )
    worst_cold = max(figures["cold_ms"] for figures in results.values())
    worst_cached = max(figures["cached_ms"] for figures in results.values())
    print(
        f"  goals: cold < {GOAL_COLD_MS:.0f} ms ({'met' if worst_cold < GOAL_COLD_MS else 'MISSED'}),"
        f" cached < {GOAL_CACHED_MS:.0f} ms"
        f" ({'met' if worst_cached < GOAL_CACHED_MS else 'MISSED'})"
    )
    if not args.no_save:
        save_results(results)
        print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'pdf').")
    return results


if __name__ == "__main__":
    main()
