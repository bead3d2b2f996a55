"""``manage.py notices_demo``: demo outage notices for `make demo` (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from portal.notices.demo import ensure_demo_notices


class Command(BaseCommand):
    help = "Publish demo outage notices affecting the demo customer (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_demo_notices()
        self.stdout.write(f"Demo notices created / ukázková oznámení vytvořena: {created}")
