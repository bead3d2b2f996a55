"""Advance advisor benchmark: recompute every supply point's projection in an imported database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/advisor_bench.py \\
        --supply-points 1000

It works in ``pramen_bench_<supply points>``, the database ``bench/import_bench.py`` imported
(run that first, or ``bench/run_bench.py``, which runs this after the portal benchmark of each
size). It runs what the import's follow-up runs (`recompute_projections`: every supply point,
in chunks), twice — the first run may create the rows, the second updates them, as after every
later import — and reports wall and CPU time and projections per second. The goal: 100,000
supply points within 60 s after an import. The figures are merged into ``bench/results.json``
under the key ``"advisor"``.
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

GOAL_SECONDS_PER_100K = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10, help="ignored; for run_bench.py")
    return parser.parse_args(argv)


def measure() -> dict[str, Any]:
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
    figures = measure()
    goal = GOAL_SECONDS_PER_100K * figures["supply_points"] / 100_000
    verdict = "met" if figures["wall_seconds"] <= max(goal, 0.0) else "missed"
    print(f"supply points:        {figures['supply_points']:,}")
    print(f"first run:            {figures['first_run_seconds']} s")
    print(
        f"recompute (again):    {figures['wall_seconds']} s wall, "
        f"{figures['python_cpu_seconds']} s Python CPU, {figures['per_second']} per second"
    )
    print(f"at 100,000 (linear):  {figures['projected_100k_seconds']} s; goal 60 s: {verdict}")
    save_results(figures)
    print(
        f"Figures written to {import_bench.RESULTS.relative_to(import_bench.ROOT)} (key 'advisor')."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
