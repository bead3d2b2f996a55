"""``manage.py create_portal_pages``: the portal's pages under the site's home page (idempotent;
production needs them as much as the demo)."""

from typing import Any

from django.core.management.base import BaseCommand

from portal.pages.setup import ensure_portal_pages


class Command(BaseCommand):
    help = "Create the missing portal pages under the home page of the default site."

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_portal_pages()
        self.stdout.write(f"Portal pages created / stránky portálu vytvořeny: {created}")
