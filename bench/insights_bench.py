"""Insights benchmark: how long the consumption warnings take after an import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/insights_bench.py \\
        --supply-points 1000 --years 5

It works in the database ``pramen_bench_<supply points>`` as ``bench/import_bench.py`` (or
``bench/portal_bench.py``) left it: whatever batch was imported there last is used as it is (only
an empty database gets the cached demo batch of ``--years`` imported). It runs no ``VACUUM``:
the tables the computation reads are ANALYZEd only when PostgreSQL has no statistics of them or
more than a tenth of their rows changed since (the importer ANALYZEs after a large import, so
usually nothing is done). Then it runs ``compute_warnings`` as the task after an import does:
every rule for every supply point, the annual figures and comparison groups, the episodes opened
and closed and their e-mails queued. "Today" is the newest day of daily volumes in the data. It
is run twice: the first run opens the episodes, the second finds them open and changes nothing
(what a repeated import costs). Each run reports wall time, this process's CPU time and the CPU
time of the PostgreSQL backend serving it (read from /proc when the server runs on this
machine); on a shared machine the wall time depends on the others, the CPU times do not. The
target is 60 s for 100,000 supply points. Results are merged into ``bench/results.json`` under
``"insights"`` → ``{"<supply points>": …}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file
import portal_bench  # for its arguments

RESULTS = import_bench.RESULTS
TARGET_SECONDS = 60


def ensure_data(args: argparse.Namespace) -> str:
    """The id of the batch in the database; an empty one gets the demo batch imported (without
    the whole-database VACUUM of the other benchmarks: the importer ANALYZEs what it loaded)."""
    from django.core.management import call_command

    from zis.importer import import_batch
    from zis.models import SyncRun

    call_command("migrate", verbosity=0, interactive=False)
    latest = SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED).order_by("-pk").first()
    if latest is not None:
        print(f"Batch {latest.batch_id}: imported on {latest.finished_at:%Y-%m-%d %H:%M}, kept.")
        return latest.batch_id
    args.no_cache = False
    folder, _, _ = import_bench.obtain_batch(args, import_bench.cache_folder(args.cache_dir))
    print(f"Batch {folder.name}: importing into the empty database…", flush=True)
    import_bench.prepare_database()
    run = import_batch(folder, move=False)
    if run.status != SyncRun.Status.SUCCEEDED:
        raise SystemExit(f"The import was {run.status}:\n{run.report}")
    return folder.name


def read_tables() -> list[str]:
    from portal.accounts.models import CustomerLink
    from portal.billing.models import DailyConsumption, Meter, Reading, SupplyPoint
    from portal.insights import models

    return [
        model._meta.db_table
        for model in (
            SupplyPoint,
            Meter,
            DailyConsumption,
            Reading,
            models.SupplyPointPreferences,
            models.AwayPeriod,
            models.ConsumptionWarning,
            models.AnnualConsumption,
            models.ComparisonGroup,
            CustomerLink,
        )
    ]


def refresh_statistics() -> tuple[list[str], float]:
    """ANALYZE those of the tables read that PostgreSQL has no statistics of, or of which more
    than a tenth changed since (autovacuum's rule); the tables and the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND ("
            " (last_analyze IS NULL AND last_autoanalyze IS NULL)"
            " OR n_mod_since_analyze > 50 + 0.1 * n_live_tup)",
            [read_tables()],
        )
        stale = sorted(row[0] for row in cursor.fetchall())
        for table in stale:
            cursor.execute(f'ANALYZE "{table}"')
    return stale, time.perf_counter() - started


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db.models import Max

    from portal.billing.models import DailyConsumption, SupplyPoint
    from portal.insights.models import ConsumptionWarning
    from portal.insights.warnings import compute_warnings
    from portal.notifications.models import Notification

    batch = ensure_data(args)
    analysed, analyse_seconds = refresh_statistics()
    print(f"ANALYZEd {', '.join(analysed) or 'nothing'} ({analyse_seconds:.1f} s).", flush=True)
    today = DailyConsumption.objects.aggregate(day=Max("day"))["day"]
    ConsumptionWarning.objects.all().delete()  # a fresh first run
    Notification.objects.filter(template="warning").delete()
    backend = import_bench.backend_cpu_reader()
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    runs = []
    for index in range(2):
        wall, cpu, server = time.perf_counter(), time.process_time(), backend()
        outcome = compute_warnings(today)
        server_after = backend()
        runs.append(
            {
                "wall_seconds": round(time.perf_counter() - wall, 2),
                "python_cpu_seconds": round(time.process_time() - cpu, 2),
                "postgres_cpu_seconds": (
                    None
                    if server is None or server_after is None
                    else round(server_after - server, 2)
                ),
                "outcome": outcome.__dict__,
            }
        )
        print(f"Run {index + 1}: {json.dumps(runs[-1])}", flush=True)
    return {
        "supply_points": args.supply_points,
        "batch_id": batch,
        "points_in_database": SupplyPoint.objects.count(),
        "daily_rows": DailyConsumption.objects.count(),
        "today": today.isoformat() if today else None,
        "analyzed_tables": analysed,
        "analyze_seconds": round(analyse_seconds, 2),
        "load_average_at_start": load_at_start,
        "first_run_seconds": runs[0]["wall_seconds"],
        "second_run_seconds": runs[1]["wall_seconds"],
        "first_run": runs[0],
        "second_run": runs[1],
        "target_seconds": TARGET_SECONDS,
    }


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
    insights = results.get("insights")
    if not isinstance(insights, dict):
        insights = {}
    insights[str(figures["supply_points"])] = figures
    results["insights"] = insights
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = portal_bench.parse_args(argv)
    url = import_bench.bench_database_url(os.environ.get("DATABASE_URL", ""), args.supply_points)
    if url is None:
        print(import_bench.HOW_TO.replace("import_bench.py", "insights_bench.py"), file=sys.stderr)
        return 2
    import_bench.ensure_database(url)
    import_bench.setup_django(url)
    figures = measure(args)
    print(json.dumps(figures, indent=2))
    if not args.no_save:
        save_results(figures)
        print(f"Figures written to {RESULTS.relative_to(import_bench.ROOT)} (key 'insights').")
    import_bench.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(main())
