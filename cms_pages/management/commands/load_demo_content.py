"""`manage.py load_demo_content`: build the demo website; safe to run again."""

from django.core.management.base import BaseCommand

from cms_pages.demo_content.loader import load_demo_content, login_summary


class Command(BaseCommand):
    help = (
        "Create the demo website of Vodárna Pramenov (pages, site settings, an editor login). "
        "Creates only what is missing: a second run changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Create pages and settings only, no demo login (for a production site).",
        )

    def handle(self, *args, **options) -> None:
        counts = load_demo_content(stdout=self.stdout, users=not options["no_users"])
        self.stdout.write(
            self.style.SUCCESS("Ukázkový obsah je připraven / Demo content is ready.")
        )
        self.stdout.write(
            "Vytvořeno / created: "
            f"stránky / pages {counts['pages']}, weby / sites {counts['sites']}, "
            f"nastavení / settings {counts['settings']}, uživatelé / users {counts['users']}"
        )
        if not options["no_users"]:
            for line in login_summary():
                self.stdout.write(line)
