"""``manage.py setup_groups``: create or update the Operators group (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from portal.accounts.groups import OPERATOR_PERMISSIONS, ensure_operator_group


class Command(BaseCommand):
    help = "Create the Operators group with its admin permissions, or add what it lacks."

    def handle(self, *args: Any, **options: Any) -> None:
        group, added = ensure_operator_group()
        self.stdout.write(
            f"{group.name}: {added} permission(s) added, {len(OPERATOR_PERMISSIONS)} expected."
        )
