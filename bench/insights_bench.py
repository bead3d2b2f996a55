"""Insights benchmark: how long the consumption warnings take after an import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/insights_bench.py \\
        --supply-points 1000 --years 5

It uses the database ``pramen_bench_<supply points>`` that ``bench/portal_bench.py`` prepares
(importing the cached demo batch when needed), then runs ``compute_warnings`` as the task after an
import does: every rule for every supply point, the annual figures and comparison groups, the
episodes opened and closed and their e-mails queued. "Today" is the newest day of daily volumes in
the data. It is run twice: the first run opens the episodes, the second finds them open and
changes nothing (what a repeated import costs). The target is 60 s for 100,000 supply points.
Results are merged into ``bench/results.json`` under ``"insights"`` → ``{"<supply points>": …}``.
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
import portal_bench

RESULTS = import_bench.RESULTS
TARGET_SECONDS = 60


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db.models import Max

    from portal.billing.models import DailyConsumption, SupplyPoint
    from portal.insights.models import ConsumptionWarning
    from portal.insights.warnings import compute_warnings
    from portal.notifications.models import Notification

    portal_bench.ensure_data(args)
    today = DailyConsumption.objects.aggregate(day=Max("day"))["day"]
    ConsumptionWarning.objects.all().delete()  # a fresh first run
    Notification.objects.filter(template="warning").delete()
    timings = []
    outcomes = []
    for _run in range(2):
        started = time.perf_counter()
        outcome = compute_warnings(today)
        timings.append(round(time.perf_counter() - started, 2))
        outcomes.append(outcome.__dict__)
    return {
        "supply_points": args.supply_points,
        "points_in_database": SupplyPoint.objects.count(),
        "daily_rows": DailyConsumption.objects.count(),
        "today": today.isoformat() if today else None,
        "first_run_seconds": timings[0],
        "second_run_seconds": timings[1],
        "first_run": outcomes[0],
        "second_run": outcomes[1],
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
