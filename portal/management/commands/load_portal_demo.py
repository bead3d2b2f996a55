"""``manage.py load_portal_demo``: the portal's pages in the demo tree (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from portal.demo import ensure_portal_pages


class Command(BaseCommand):
    help = "Create the missing portal pages under the home page (run load_demo_content first)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_portal_pages()
        self.stdout.write(f"Portal pages created / stránky portálu vytvořeny: {created}")
