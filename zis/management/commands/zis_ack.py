"""manage.py zis_ack [FILE …]: apply ZIS's acknowledgements of outbound batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zis.models import OutboundBatch
from zis.outbound.acks import (
    AckError,
    AckFileResult,
    acknowledge,
    full_acceptance,
    pickup_acks,
    process_ack_file,
)


class Command(BaseCommand):
    help = (
        "Apply acknowledgement files (ack.json) of outbound batches; without FILE, every "
        "<batch_id>.ack.json waiting in ZIS_ACKS (moved to processed/ or rejected/ afterwards)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help="ack.json files to apply as they are"
        )
        parser.add_argument(
            "--accept-all",
            metavar="BATCH_ID",
            help="play ZIS (demo): acknowledge every request of this batch as accepted",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accept_all"]:
            self.accept_all(options["accept_all"])
            return
        files: list[Path] = options["files"]
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
        results = [process_ack_file(path, move=False) for path in files] if files else pickup_acks()
        if not results:
            self.stdout.write("No acknowledgement waits.")
        refused = [result for result in results if result.error]
        for result in results:
            self.report(result)
        if refused:
            raise CommandError(f"{len(refused)} acknowledgement(s) refused.")

    def report(self, result: AckFileResult) -> None:
        if result.outcome is not None:
            self.stdout.write(f"{result.path.name}: {result.outcome.summary()}")
        else:
            self.stderr.write(f"{result.path.name}: refused: {result.error}")

    def accept_all(self, batch_id: str) -> None:
        try:
            outcome = acknowledge(full_acceptance(batch_id), OutboundBatch.AckSource.FOLDER)
        except AckError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(outcome.summary())
