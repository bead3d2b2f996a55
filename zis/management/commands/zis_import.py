"""manage.py zis_import PATH: import one ZIS batch folder and print what happened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.importer import import_batch
from zis.importer.progress import terminal_progress
from zis.importer.report import format_error, summary
from zis.models import SyncRun

MAX_SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Import a ZIS batch folder (manifest.json + JSON Lines files) into the portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the batch folder")
        parser.add_argument(
            "--no-move",
            action="store_true",
            help="leave the folder where it is instead of moving it to processed/ or rejected/",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_dir():
            raise CommandError(f"{path} is not a folder.")
        display = terminal_progress(self.stderr, label=path.name)
        run = import_batch(path, move=not options["no_move"], display=display)
        if run.status == SyncRun.Status.SUCCEEDED:
            self.stdout.write(run.report)
            return
        self.stderr.write(summary(run))
        for error in run.errors[:MAX_SHOWN_ERRORS]:
            self.stderr.write(f"  {format_error(error)}")
        if len(run.errors) > MAX_SHOWN_ERRORS:
            self.stderr.write(f"  … and {len(run.errors) - MAX_SHOWN_ERRORS} more (see the report)")
        raise CommandError(outcome_line(run))


def outcome_line(run: SyncRun) -> str:
    """The last line: which of rejected and failed, and what to do."""
    where = f" (the folder and its report.txt are in {run.path})" if run.path else ""
    if run.status == SyncRun.Status.REJECTED:
        return (
            f"Batch {run.batch_id} was rejected: the batch is wrong and nothing was applied. "
            f"Correct it in ZIS and send it again{where}."
        )
    return (
        f"Batch {run.batch_id} failed: the import broke off and nothing was applied; the batch "
        f"itself may be right. Retrying may help: import it again{where}."
    )
