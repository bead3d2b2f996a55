"""Import benchmark: generate a demo utility and import it into PostgreSQL through the real importer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/import_bench.py

DATABASE_URL only says which PostgreSQL server to use: the benchmark works in its own database
``pramen_bench_<supply points>`` on that server, one per size (created when missing, created
afresh when the project's migrations changed, migrated, flushed before each run), so the portal
benchmark finds each size imported. After the import the database is VACUUM ANALYZEd, as
autovacuum would do in production. The batch is generated into
``var/bench-cache/`` and reused while seed, size, end date and the generator's code stay the same.

Besides wall time it measures CPU time: of Python (this process and the child that validates
part of a large batch), and of the PostgreSQL backend serving it (read from /proc when the
server runs on this machine), per stage. On a machine shared
with other busy processes the wall time depends on them; the CPU times do not. The figures are
printed as a table and merged into ``bench/results.json`` under the key ``"import"``.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
# The databases' name before _<size>: BENCH_DATABASE in the environment may change it (so that
# several checkouts on one server keep apart).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "pramen_bench"
GOAL_SECONDS = 60.0  # for the utility of GOAL_SUPPLY_POINTS
GOAL_SUPPLY_POINTS = 10_000
FINGERPRINT = re.compile(r"[0-9a-f]{12}")
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
MIGRATIONS_MARK = "pramen-bench migrations "
HOW_TO = """\
The import benchmark runs on PostgreSQL only. Point DATABASE_URL at a PostgreSQL server, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/import_bench.py

It creates and uses its own databases "pramen_bench_<supply points>" on that server; the database
named in the URL is not touched."""

# The tables each entity file fills (nested parts included), to count the rows it stored.
ENTITY_TABLES: dict[str, tuple[str, ...]] = {
    "customers": ("Customer",),
    "tariffs": ("Tariff", "TariffPrice"),
    "supply_points": ("SupplyPoint",),
    "meters": ("Meter",),
    "readings": ("Reading",),
    "daily_consumption": ("DailyConsumption",),
    "invoices": ("Invoice", "InvoiceLine", "VatSummaryLine"),
    "advance_schedules": ("AdvanceSchedule", "Advance"),
    "payments": ("Payment",),
    "rainwater": ("RainwaterAssessment",),
    "activation_codes": ("ActivationCode",),
}


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
    parser.add_argument(
        "--delta",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="also time a nightly delta changing every record of this share of the supply "
        "points (e.g. 0.02)",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures only, leave results.json"
    )
    return parser.parse_args(argv)


# --- the database ------------------------------------------------------------------------------


def bench_database_url(url: str, supply_points: int) -> str | None:
    """The URL of the benchmark's database for a utility of ``supply_points`` on the server of
    ``url``; None if not PostgreSQL."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return None
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}_{supply_points}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def migration_hashes() -> dict[str, str]:
    """A hash of each of the project's migration files: they are sometimes edited in place."""
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(ROOT.glob("*/migrations/*.py"))
    }


def migrations_fingerprint(hashes: dict[str, str] | None = None) -> str:
    digest = hashlib.sha256()
    for path, file_hash in sorted((hashes or migration_hashes()).items()):
        digest.update(path.encode() + b"\0" + file_hash.encode())
    return digest.hexdigest()[:12]


def migrations_note(database: str) -> Path:
    """Where the migration files a benchmark database was migrated from are noted."""
    return ROOT / "var" / "bench-cache" / f"migrations-{database}.json"


def only_new_migrations(database: str, hashes: dict[str, str]) -> bool:
    """Whether the database was migrated from files that are all unchanged (new ones may have
    come since: a forward migration brings it up to date, no new import needed)."""
    try:
        noted = json.loads(migrations_note(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(noted, dict) and all(hashes.get(path) == h for path, h in noted.items())


def ensure_database(url: str) -> None:
    """Create the benchmark database; afresh when one of the migration files it was migrated
    from changed (new migration files are applied by the next ``migrate``)."""
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    hashes = migration_hashes()
    wanted = MIGRATIONS_MARK + migrations_fingerprint(hashes)
    database = database_name(url)
    name = sql.Identifier(database)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
        if found is not None and found[0] != wanted:
            if only_new_migrations(database, hashes):
                print("New migrations: they are applied to the benchmark database.")
            else:
                print("The migrations changed: creating the benchmark database afresh.")
                connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
                found = None
        if found is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        if found is None or found[0] != wanted:
            connection.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, wanted))
            note = migrations_note(database)
            note.parent.mkdir(parents=True, exist_ok=True)
            note.write_text(json.dumps(hashes, indent=1), encoding="utf-8")


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


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


def analyze() -> float:
    """VACUUM ANALYZE the database, as autovacuum does in production after a large load (the
    local server may run without it): the planner then knows the imported sizes, and index-only
    scans need no heap visits. Returns the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- the batch ---------------------------------------------------------------------------------


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


GENERATION_NOTE = "generation.json"


def obtain_batch(args: argparse.Namespace, workdir: Path) -> tuple[Path, float | None, bool]:
    """The batch folder, the seconds its generation took (noted beside a cached batch) and
    whether it was generated just now."""
    from zis.demo import batch_name, generate_batch

    size = {"supply_points": args.supply_points, "years": args.years, "seed": args.seed}
    folder = workdir / batch_name(**size, end_date=args.end_date)
    note = workdir / f"{folder.name}.{GENERATION_NOTE}"
    if (folder / "manifest.json").exists():
        with contextlib.suppress(OSError, ValueError, KeyError):
            return folder, json.loads(note.read_text(encoding="utf-8"))["seconds"], False
        return folder, None, False
    started = time.perf_counter()
    folder = generate_batch(workdir, **size, end_date=args.end_date)
    seconds = round(time.perf_counter() - started, 2)
    note.write_text(json.dumps({"seconds": seconds}), encoding="utf-8")
    return folder, seconds, True


def manifest_records(folder: Path) -> dict[str, int]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {name.removesuffix(".jsonl"): f["records"] for name, f in manifest["files"].items()}


# --- measuring ---------------------------------------------------------------------------------


def backend_cpu_reader() -> Callable[[], float | None]:
    """A function returning the CPU seconds of the PostgreSQL backend serving Django's
    connection, or None when its /proc entry cannot be read (a server on another machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(stat[11]) + int(stat[12])) / ticks  # utime + stime

    return read


def python_cpu() -> float:
    """CPU seconds of this process and of its finished children (the importer may check part
    of a large batch in a forked child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class Clock:
    """Wall time, Python's CPU time and the database backend's CPU time."""

    backend: Callable[[], float | None]
    stages: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def now(self) -> tuple[float, float, float | None]:
        return time.perf_counter(), python_cpu(), self.backend()

    def since(self, start: tuple[float, float, float | None]) -> dict[str, float | None]:
        wall, cpu, backend = self.now()
        server = None if backend is None or start[2] is None else backend - start[2]
        return {
            "wall_seconds": round(wall - start[0], 2),
            "python_cpu_seconds": round(cpu - start[1], 2),
            "postgres_cpu_seconds": None if server is None else round(server, 2),
        }

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = self.now()
        try:
            yield
        finally:
            self.stages[name] = self.since(start)


@contextlib.contextmanager
def stage_timer(clock: Clock) -> Iterator[None]:
    """Time the importer's validation and each entity's apply step, without changing them."""
    import zis.importer.apply as apply_module
    import zis.importer.run as run_module

    originals = (
        run_module.validate_batch,
        apply_module.apply_entity,
        apply_module.delete_unlisted,
    )

    def validate_batch(*args: Any, **kwargs: Any) -> Any:
        with clock.stage("validate"):
            return originals[0](*args, **kwargs)

    def apply_entity(spec: Any, ctx: Any) -> None:
        with clock.stage(spec.name):
            originals[1](spec, ctx)

    def delete_unlisted(ctx: Any) -> None:
        with clock.stage("unlisted rows"):
            originals[2](ctx)

    run_module.validate_batch = validate_batch
    apply_module.apply_entity, apply_module.delete_unlisted = apply_entity, delete_unlisted
    try:
        yield
    finally:
        run_module.validate_batch = originals[0]
        apply_module.apply_entity, apply_module.delete_unlisted = originals[1:]


def reset_peak_memory() -> None:
    """Restart the peak resident size count (Linux), so it covers the import only."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mb() -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def run_import(folder: Path, clock: Clock) -> tuple[Any, dict[str, float | None]]:
    """Import the batch with a progress bar (plain lines when not a terminal); the figures
    include the peak resident memory of this process during the import."""
    from zis.importer import import_batch
    from zis.importer.progress import terminal_progress

    reset_peak_memory()
    with stage_timer(clock):
        start = clock.now()
        run = import_batch(folder, move=False, display=terminal_progress(sys.stderr, "import"))
        total = clock.since(start)
    return run, total | {"peak_memory_mb": peak_memory_mb()}


def table_rows() -> dict[str, int]:
    """Rows stored per entity (its nested parts included)."""
    from django.apps import apps

    return {
        entity: sum(apps.get_model("portal", name).objects.count() for name in names)
        for entity, names in ENTITY_TABLES.items()
    }


# --- the figures -------------------------------------------------------------------------------


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    prepare = prepare_database()
    folder, generated, generated_now = obtain_batch(args, workdir)
    clock = Clock(backend_cpu_reader())
    run, total = run_import(folder, clock)
    if run.status != "succeeded":
        raise SystemExit(f"The import was {run.status}:\n{run.report}")
    analyze_seconds = analyze()
    records, rows = manifest_records(folder), table_rows()
    wall = total["wall_seconds"]
    figures: dict[str, Any] = {
        "supply_points": args.supply_points,
        "years": args.years,
        "seed": args.seed,
        "batch_id": folder.name,
        "status": run.status,
        "records": sum(records.values()),
        "db_rows": sum(rows.values()),
        "entities": records,
        "entity_rows": rows,
        "generate_seconds": generated,
        "generated_now": generated_now,
        "prepare_database_seconds": round(prepare, 2),
        "analyze_seconds": round(analyze_seconds, 2),
        "import_seconds": wall,
        "import_python_cpu_seconds": total["python_cpu_seconds"],
        "import_postgres_cpu_seconds": total["postgres_cpu_seconds"],
        "peak_memory_mb": total["peak_memory_mb"],
        "stages": clock.stages,
        "records_per_second": round(sum(records.values()) / wall),
        "rows_per_second": round(sum(rows.values()) / wall),
        "goal_seconds": GOAL_SECONDS if args.supply_points == GOAL_SUPPLY_POINTS else None,
        "met_goal": wall < GOAL_SECONDS if args.supply_points == GOAL_SUPPLY_POINTS else None,
        "load_average_at_start": load_at_start,
        "reimport": None,
    }
    if args.reimport:
        again_clock = Clock(clock.backend)
        again, again_total = run_import(folder, again_clock)
        figures["reimport"] = again_total | {
            "changed": again.changed,
            "stages": again_clock.stages,
        }
    figures["delta"] = None
    if args.delta:
        from delta import make_delta  # beside this file

        delta_folder = make_delta(folder, workdir / f"{folder.name}-delta", share=args.delta)
        records = sum(manifest_records(delta_folder).values())
        delta_clock = Clock(clock.backend)
        delta_run, delta_total = run_import(delta_folder, delta_clock)
        if delta_run.status != "succeeded":
            raise SystemExit(f"The delta import was {delta_run.status}:\n{delta_run.report}")
        figures["delta"] = delta_total | {
            "share": args.delta,
            "records": records,
            "stages": delta_clock.stages,
        }
    figures["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    return figures


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table_line(name: str, records: Any, rows: Any, times: dict[str, float | None]) -> str:
    def count(value: Any) -> str:
        return f"{value:>11,}" if isinstance(value, int) else " " * 11

    return (
        f"{name:<22}{count(records)}{count(rows)}{seconds(times['wall_seconds']):>9}"
        f"{seconds(times['python_cpu_seconds']):>14}{seconds(times['postgres_cpu_seconds']):>10}"
    )


def print_stages(stages: dict[str, dict[str, float | None]]) -> None:
    """The stages of a later import (re-import, delta), indented under its line."""
    for stage, times in stages.items():
        print(
            f"    {stage:<22}{seconds(times['wall_seconds']):>9} s wall, "
            f"{seconds(times['python_cpu_seconds'])} s python cpu, "
            f"{seconds(times['postgres_cpu_seconds'])} s pg cpu"
        )


def print_figures(figures: dict[str, Any]) -> None:
    generated = figures["generate_seconds"]
    when = "just now" if figures["generated_now"] else "cached batch"
    print(
        f"\nImport of a demo utility: {figures['supply_points']:,} supply points × "
        f"{figures['years']} years (seed {figures['seed']}), {figures['database']}, "
        f"{figures['cpus']} cores, load average {figures['load_average_at_start']} at start"
    )
    print(f"generation: {'—' if generated is None else f'{generated:.1f} s'} ({when})\n")
    print(
        f"{'stage':<22}{'records':>11}{'rows':>11}{'wall s':>9}{'python cpu s':>14}{'pg cpu s':>10}"
    )
    for stage, times in figures["stages"].items():
        records = figures["records"] if stage == "validate" else figures["entities"].get(stage)
        print(table_line(stage, records, figures["entity_rows"].get(stage), times))
    total = {
        "wall_seconds": figures["import_seconds"],
        "python_cpu_seconds": figures["import_python_cpu_seconds"],
        "postgres_cpu_seconds": figures["import_postgres_cpu_seconds"],
    }
    print(table_line("import (total)", figures["records"], figures["db_rows"], total))
    print(
        f"\nthroughput: {figures['records_per_second']:,} records/s, "
        f"{figures['rows_per_second']:,} rows/s; peak memory {figures['peak_memory_mb']} MB"
    )
    if (again := figures.get("reimport")) is not None:
        print(
            f"re-import:  {seconds(again['wall_seconds'])} s wall, "
            f"{seconds(again['python_cpu_seconds'])} s python cpu, "
            f"{seconds(again['postgres_cpu_seconds'])} s pg cpu "
            f"({'changed something!' if again['changed'] else 'nothing changed'}); "
            f"peak memory {again['peak_memory_mb']} MB"
        )
        print_stages(again.get("stages") or {})
    if (delta := figures.get("delta")) is not None:
        print(
            f"delta:      {delta['records']:,} records ({delta['share']:.0%} of the supply "
            f"points) in {seconds(delta['wall_seconds'])} s wall; "
            f"peak memory {delta['peak_memory_mb']} MB"
        )
        print_stages(delta.get("stages") or {})
    if figures["met_goal"] is not None:
        verdict = "met" if figures["met_goal"] else "MISSED"
        print(f"goal:       under {GOAL_SECONDS:.0f} s wall: {verdict}")


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
    sizes = results.get("import")
    if not isinstance(sizes, dict) or "supply_points" in sizes:
        sizes = {}  # the single-size layout of earlier versions
    sizes[str(figures["supply_points"])] = figures
    results["import"] = sizes
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_database_url(os.environ.get("DATABASE_URL", ""), args.supply_points)
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
        figures = measure(args, workdir)
    figures |= {
        "database": f"PostgreSQL {server_version()}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    print_figures(figures)
    if not args.no_save:
        save_results(figures)
        print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'import').")
    close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(main())
