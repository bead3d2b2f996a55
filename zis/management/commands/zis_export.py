"""manage.py zis_export: write approved requests into outbound batches for ZIS now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zis.outbound.export import export_approved


class Command(BaseCommand):
    help = (
        "Write every approved request not yet sent into an outbound batch in ZIS_OUTBOX "
        "(the task worker does this every minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        batches = export_approved()
        if not batches:
            self.stdout.write("No approved request waits for export.")
        for batch in batches:
            self.stdout.write(
                f"Batch {batch.batch_id} written to {batch.path}: "
                f"{batch.self_readings} self-readings, {batch.address_changes} address changes."
            )
