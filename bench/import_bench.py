"""Import benchmark: generate a demo utility and import it into PostgreSQL through the real importer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/import_bench.py

DATABASE_URL only says which PostgreSQL server to use: the benchmark works in its own database
``pramen_bench`` on that server (created when missing, migrated, flushed before each run). The batch
is generated into ``var/bench-cache/`` and reused while seed, size, end date and the generator's
code stay the same. The figures are printed and merged into ``bench/results.json`` under the key
``"import"``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
BENCH_DATABASE = "pramen_bench"
GOAL_SECONDS = 60.0
FINGERPRINT = re.compile(r"[0-9a-f]{12}")
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
HOW_TO = """\
The import benchmark runs on PostgreSQL only. Point DATABASE_URL at a PostgreSQL server, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/import_bench.py

It creates and uses its own database "pramen_bench" on that server; the database named in the URL
is not touched."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, default=10_000, help="default 10000")
    parser.add_argument("--years", type=int, default=10, help="default 10")
    parser.add_argument("--seed", type=int, default=1, help="default 1")
    parser.add_argument("--end-date", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=ROOT / "var" / "bench-cache",
        help="where generated batches are kept for the next run (default var/bench-cache)",
    )
    parser.add_argument("--no-cache", action="store_true", help="generate into a temporary folder")
    parser.add_argument(
        "--reimport", action="store_true", help="also time a second import (nothing changes)"
    )
    return parser.parse_args(argv)


def bench_database_url(url: str) -> str | None:
    """The URL of the benchmark's own database on the server of ``url``; None if not PostgreSQL."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return None
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist (connecting to ``postgres``)."""
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone()
        if found is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log: it would grow with every bulk statement


def prepare_database() -> float:
    """Migrate and empty the benchmark database; returns the seconds it took."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    return time.perf_counter() - started


def generator_fingerprint() -> str:
    """A hash of the generator's and the format's source: a cached batch is reused only while
    they are unchanged."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "zis" / "demo").glob("*.py"), ROOT / "zis" / "records.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def cache_folder(cache_dir: Path) -> Path:
    """The cache folder of the current generator; those of older versions are removed."""
    current = generator_fingerprint()
    if cache_dir.is_dir():
        for old in cache_dir.iterdir():
            if old.is_dir() and FINGERPRINT.fullmatch(old.name) and old.name != current:
                shutil.rmtree(old)
    folder = cache_dir / current
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def obtain_batch(args: argparse.Namespace, workdir: Path) -> tuple[Path, float | None]:
    """The batch folder and the generation time (None when a cached batch was reused)."""
    from zis.demo import batch_name, generate_batch

    size = {"supply_points": args.supply_points, "years": args.years, "seed": args.seed}
    folder = workdir / batch_name(**size, end_date=args.end_date)
    if (folder / "manifest.json").exists():
        return folder, None
    started = time.perf_counter()
    folder = generate_batch(workdir, **size, end_date=args.end_date)
    return folder, time.perf_counter() - started


@contextlib.contextmanager
def stage_timer(timings: dict[str, float]) -> Iterator[None]:
    """Time the importer's validation and each entity's apply step, without changing them."""
    import zis.importer.apply as apply_module
    import zis.importer.run as run_module

    originals = (run_module.validate_batch, apply_module.apply_entity)

    def validate_batch(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return originals[0](*args, **kwargs)
        finally:
            timings["validate"] = time.perf_counter() - started

    def apply_entity(spec: Any, ctx: Any) -> None:
        started = time.perf_counter()
        originals[1](spec, ctx)
        timings[f"apply {spec.name}"] = time.perf_counter() - started

    run_module.validate_batch, apply_module.apply_entity = validate_batch, apply_entity
    try:
        yield
    finally:
        run_module.validate_batch, apply_module.apply_entity = originals


def run_import(folder: Path) -> tuple[Any, float, dict[str, float]]:
    from zis.importer import import_batch

    timings: dict[str, float] = {}
    with stage_timer(timings):
        started = time.perf_counter()
        run = import_batch(folder, move=False)
        elapsed = time.perf_counter() - started
    return run, elapsed, timings


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


def database_rows() -> int:
    """Rows of the ZIS-mirrored tables after the import (nested lines and advances included)."""
    from django.apps import apps

    return sum(apps.get_model("portal", name).objects.count() for name in MIRRORED_MODELS)


def manifest_records(folder: Path) -> dict[str, int]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {name.removesuffix(".jsonl"): f["records"] for name, f in manifest["files"].items()}


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["import"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def print_figures(figures: dict[str, Any], timings: dict[str, float]) -> None:
    generated = figures["generate_seconds"]
    print(f"Demo utility: {figures['supply_points']} supply points x {figures['years']} years")
    print(f"  generation:    {'cached' if generated is None else f'{generated:.1f} s'}")
    print(
        f"  records:       {figures['records']:,} in the batch, {figures['db_rows']:,} rows stored"
    )
    print(f"  import:        {figures['import_seconds']:.1f} s ({figures['status']})")
    print(f"  throughput:    {figures['records_per_second']:,.0f} records/s")
    print(f"                 {figures['rows_per_second']:,.0f} rows/s")
    if figures.get("reimport_seconds") is not None:
        print(f"  re-import:     {figures['reimport_seconds']:.1f} s (nothing changed)")
    verdict = "met" if figures["met_goal"] else "MISSED"
    print(f"  goal:          under {GOAL_SECONDS:.0f} s: {verdict}")
    for stage, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        count = figures["entities"].get(stage.removeprefix("apply "), "")
        print(f"    {stage:<28} {seconds:7.2f} s  {count:>10}")


def measure(args: argparse.Namespace, workdir: Path) -> tuple[dict[str, Any], dict[str, float]]:
    prepare = prepare_database()
    folder, generated = obtain_batch(args, workdir)
    run, elapsed, timings = run_import(folder)
    if run.status != "succeeded":
        raise SystemExit(f"The import was {run.status}:\n{run.report}")
    records = manifest_records(folder)
    total, rows = sum(records.values()), database_rows()
    figures: dict[str, Any] = {
        "supply_points": args.supply_points,
        "years": args.years,
        "seed": args.seed,
        "batch_id": folder.name,
        "status": run.status,
        "records": total,
        "db_rows": rows,
        "entities": records,
        "generate_seconds": None if generated is None else round(generated, 2),
        "prepare_database_seconds": round(prepare, 2),
        "import_seconds": round(elapsed, 2),
        "stages_seconds": {stage: round(seconds, 2) for stage, seconds in timings.items()},
        "records_per_second": round(total / elapsed),
        "rows_per_second": round(rows / elapsed),
        "goal_seconds": GOAL_SECONDS,
        "met_goal": elapsed < GOAL_SECONDS,
        "reimport_seconds": None,
    }
    if args.reimport:
        again, again_elapsed, _ = run_import(folder)
        figures["reimport_seconds"] = round(again_elapsed, 2)
        figures["reimport_changed"] = again.changed
    return figures, timings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    if url is None:
        print(HOW_TO, file=sys.stderr)
        return 2
    ensure_database(url)
    setup_django(url)
    with contextlib.ExitStack() as stack:
        if args.no_cache:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pramen-bench-")))
        else:
            workdir = cache_folder(args.cache_dir)
        figures, timings = measure(args, workdir)
    figures |= {
        "database": f"PostgreSQL {server_version()}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    print_figures(figures, timings)
    save_results(figures)
    print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'import').")
    return 0


if __name__ == "__main__":
    sys.exit(main())
