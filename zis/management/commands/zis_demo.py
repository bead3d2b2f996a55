"""``manage.py zis_demo``: write a demo utility as a full exchange batch."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.demo import DEFAULT_END_DATE, LOGINS_FILE, demo_customers, generate_batch
from zis.importer.progress import Progress, terminal_progress


def _end_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Write a realistic, deterministic demo utility as one full ZIS batch into --out "
        f"(the batch folder, and {LOGINS_FILE} with two demo customers beside it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--supply-points", type=int, default=1000, help="default 1000")
        parser.add_argument("--years", type=int, default=5, help="years of history, default 5")
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument("--out", type=Path, required=True, help="folder to write into")
        parser.add_argument(
            "--end-date",
            type=_end_date,
            default=DEFAULT_END_DATE,
            help=f"last day of the history, YYYY-MM-DD (default {DEFAULT_END_DATE})",
        )
        parser.add_argument(
            "--remote-share",
            type=float,
            default=0.05,
            help="share of supply points with a remote-read meter (daily values), default 0.05",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["supply_points"] < 2 or options["years"] < 1:
            raise CommandError("--supply-points must be at least 2 and --years at least 1")
        started = time.perf_counter()
        progress = Progress([terminal_progress(self.stderr, label="demo")])
        folder = generate_batch(
            options["out"],
            supply_points=options["supply_points"],
            years=options["years"],
            seed=options["seed"],
            end_date=options["end_date"],
            remote_share=options["remote_share"],
            progress=progress,
        )
        progress.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Batch written to {folder} in {elapsed:.1f} s.")
        for login in demo_customers(options["out"]):
            self.stdout.write(
                f"Demo customer {login.number} ({login.name}, {login.kind}): "
                f"activation code {login.activation_code}"
            )
