"""``manage.py zis_demo_load``: the demo utility through the real importer, with linked demo logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.demo.load import ensure_demo_customer_logins, ensure_demo_data
from zis.demo.requests import ensure_demo_requests
from zis.importer.progress import terminal_progress


class Command(BaseCommand):
    help = (
        "Generate the demo utility once, import it through the importer (skipped when that batch "
        "was imported already), and link a demo portal login to two of its customers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--supply-points", type=int, default=1000)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, default=Path(settings.VAR_DIR) / "zis-demo")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        run = ensure_demo_data(
            out,
            supply_points=options["supply_points"],
            years=options["years"],
            seed=options["seed"],
            stdout=self.stdout,
            display=terminal_progress(self.stderr, label="demo"),
            generation_display=terminal_progress(self.stderr, label="demo"),
        )
        if run is not None and run.status != run.Status.SUCCEEDED:
            raise CommandError(f"The demo batch was not imported: {run.report}")
        logins = ensure_demo_customer_logins(out)
        made = ensure_demo_requests()
        if made:
            self.stdout.write(
                f"Demo requests waiting for an operator / požadavky k vyřízení: {made}"
            )
        self.stdout.write(
            "\nDemo customers / ukázkoví odběratelé (portal: http://127.0.0.1:8000/portal/):"
        )
        for login in logins:
            self.stdout.write(
                f"  {login.email} / {login.password}  → {login.customer_number} {login.customer_name}"
            )
