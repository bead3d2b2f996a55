"""manage.py zis_purge_batches --older-than DAYS: delete imported and refused ZIS batch folders,
acknowledged outbound batches and processed acknowledgements (see `zis.importer.purge`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.importer.purge import purge_batches
from zis.outbound.purge import purge_acknowledged


class Command(BaseCommand):
    help = (
        "Delete processed and rejected ZIS batch folders, acknowledged outbound batches and "
        "processed acknowledgements older than the given number of days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="age in days (at least 1)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be deleted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["older_than"]
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        purged = purge_batches(days, dry_run=options["dry_run"])
        # Outbound batches ZIS acknowledged and the acknowledgements it sent (zis/outbound/).
        purged += purge_acknowledged(days, dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        for folder in purged:
            self.stdout.write(f"{verb} {folder}")
        self.stdout.write(
            f"{verb} {len(purged)} batch folder(s) or file(s) older than {days} days."
        )
