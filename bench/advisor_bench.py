"""Advance advisor benchmark: recompute every supply point's projection in an imported database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/advisor_bench.py \\
        --supply-points 1000

It works in ``pramen_bench_<supply points>``, the database ``bench/import_bench.py`` imported
(run that first, or ``bench/run_bench.py``, which runs this after the portal benchmark of each
size). It runs what the import's follow-up runs (`recompute_projections`: every supply point,
in chunks), twice — the first run may create the rows, the second updates them, as after every
later import — and reports wall and CPU time and projections per second. Then it runs what the
task workers run after an import, as two workers would (``--workers``): the advisor's
``PRAMEN_ADVISOR_TASKS`` shares and the consumption warnings, each task in the first free worker
process, in the order the import queues them; the wall time until the last one ends is the
figure that counts. The goal: advisor and warnings of 100,000 supply points within 60 s after an
import. The figures are merged into ``bench/results.json`` under the key ``"advisor"``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file

GOAL_SECONDS_PER_100K = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10, help="ignored; for run_bench.py")
    parser.add_argument(
        "--workers", type=int, default=2, help="task worker processes after an import (2)"
    )
    return parser.parse_args(argv)


def run_task(task: tuple[str, int, int]) -> tuple[str, float]:
    """One task of the import's follow-up, in a worker process: (name, seconds)."""
    from portal.insights.warnings import compute_warnings
    from portal.requests.services.advance_change import recompute_projections

    started = time.perf_counter()
    name, part, parts = task
    if name == "advisor":
        recompute_projections(part=(part, parts))
    else:
        compute_warnings()
    return (
        f"{name} {part + 1}/{parts}" if name == "advisor" else name,
        time.perf_counter() - started,
    )


def after_import(workers: int) -> dict[str, Any]:
    """The follow-up tasks in `workers` processes, queued as after an import."""
    from django.conf import settings
    from django.db import connections

    parts = max(1, settings.PRAMEN_ADVISOR_TASKS)
    tasks = [("advisor", part, parts) for part in range(parts)] + [("warnings", 0, 1)]
    connections.close_all()  # each worker process opens its own connection
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=1) as pool:
        done = dict(pool.imap_unordered(run_task, tasks))
    return {
        "workers": workers,
        "advisor_tasks": parts,
        "wall_seconds": round(time.perf_counter() - started, 2),
        "tasks": {name: round(seconds, 2) for name, seconds in sorted(done.items())},
    }


def measure(workers: int) -> dict[str, Any]:
    from portal.models import AdvanceProjection, SupplyPoint
    from portal.requests.services.advance_change import recompute_projections

    points = SupplyPoint.objects.count()
    runs = []
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        stored = recompute_projections()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu, stored))
    wall, cpu, stored = runs[-1]
    return {
        "supply_points": points,
        "projections": AdvanceProjection.objects.count(),
        "first_run_seconds": round(runs[0][0], 2),
        "wall_seconds": round(wall, 2),
        "python_cpu_seconds": round(cpu, 2),
        "per_second": round(stored / wall, 1) if wall else None,
        "projected_100k_seconds": round(wall * 100_000 / points, 1) if points else None,
        "after_import": after_import(workers),
    }


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if import_bench.RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(import_bench.RESULTS.read_text(encoding="utf-8"))
    sizes = results.get("advisor") if isinstance(results.get("advisor"), dict) else {}
    sizes[str(figures["supply_points"])] = figures
    results["advisor"] = sizes
    import_bench.RESULTS.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = import_bench.bench_database_url(os.environ.get("DATABASE_URL", ""), args.supply_points)
    if url is None:
        print(import_bench.HOW_TO.replace("import_bench.py", "advisor_bench.py"), file=sys.stderr)
        return 2
    import_bench.setup_django(url)
    figures = measure(args.workers)
    after = figures["after_import"]
    goal = GOAL_SECONDS_PER_100K * figures["supply_points"] / 100_000
    verdict = "met" if after["wall_seconds"] <= max(goal, 0.0) else "missed"
    print(f"supply points:        {figures['supply_points']:,}")
    print(f"first run:            {figures['first_run_seconds']} s")
    print(
        f"recompute (again):    {figures['wall_seconds']} s wall, "
        f"{figures['python_cpu_seconds']} s Python CPU, {figures['per_second']} per second"
    )
    print(f"at 100,000 (linear):  {figures['projected_100k_seconds']} s")
    tasks = ", ".join(f"{name} {seconds} s" for name, seconds in after["tasks"].items())
    print(
        f"after an import:      {after['wall_seconds']} s with {after['workers']} task workers "
        f"({tasks}); goal {goal:g} s: {verdict}"
    )
    save_results(figures)
    print(
        f"Figures written to {import_bench.RESULTS.relative_to(import_bench.ROOT)} (key 'advisor')."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
