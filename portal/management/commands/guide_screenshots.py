"""``manage.py guide_screenshots``: the pictures of the staff guides, taken from the running demo.

`make screenshots` runs it against the demo that `make run` serves: Playwright drives Chromium
through the admin as an operator and as an editor (each a staff account made for the pictures,
with an authenticator, signed in as after the MFA step) and through the portal as the demo
household on a phone (375 px). The pictures go to docs/screenshots/ under the names the guides use,
so a guide never shows an admin that has changed since.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import reverse

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
STAFF = {
    "operator": ("guide-screenshots-operator@pramen.invalid", "Operators", "Olga", "Operátorová"),
    "editor": ("guide-screenshots-editor@pramen.invalid", "Editors", "Eva", "Redaktorová"),
}
DEMO_CUSTOMER = "odberatel@pramenov.example"


class Command(BaseCommand):
    help = "Take the screenshots of docs/operators.md and docs/editors.md from the running demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base", default="http://127.0.0.1:8000", help="the demo's address")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base"].rstrip("/")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            raise CommandError("Chromium is not installed: make browser")
        # Everything that needs the database comes first: Playwright's event loop would make
        # Django refuse database queries afterwards.
        plans = [operator_plan(), editor_plan(), customer_plan()]
        OUT.mkdir(parents=True, exist_ok=True)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                for plan in plans:
                    self.take(browser, base, plan)
            finally:
                browser.close()
        self.stdout.write(f"Screenshots written to {OUT}")

    def take(self, browser: Any, base: str, plan: Plan) -> None:
        context = browser.new_context(
            locale="cs-CZ",
            timezone_id="Europe/Prague",
            viewport={"width": plan.width, "height": 800 if plan.width > 400 else 740},
        )
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": plan.session, "url": base}]
        )
        page = context.new_page()
        for url, name in plan.shots:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"))
            self.stdout.write(f"  {name}.png  {url}")
        context.close()


@dataclass
class Plan:
    session: str  # the session cookie of the person the pictures are taken as
    shots: list[tuple[str, str]]  # (address, picture name)
    width: int = 1280


def operator_plan() -> Plan:
    from portal.requests.models import RequestStatus, SelfReadingRequest

    shots = [
        (reverse("mfa_view_recovery_codes"), "recovery-codes"),
        (reverse("wagtailadmin_home"), "admin-dashboard"),
        (reverse("self-readings:index"), "self-readings-queue"),
    ]
    pending = SelfReadingRequest.objects.filter(status=RequestStatus.PENDING).first()
    if pending is not None:
        shots += [
            (reverse("self-readings:inspect", args=[pending.pk]), "self-reading-inspect"),
            (reverse("self-readings:reject", args=[pending.pk]), "reject-request"),
        ]
    shots += [
        (reverse("customers:index") + "?q=Kopeck", "customers"),
        (reverse("activation-codes:add"), "activation-code"),
        (reverse("notifications:index"), "notifications"),
        (reverse("sync-runs:index"), "sync-runs"),
    ]
    return Plan(session_of(staff_user("operator"), staff=True), shots)


def editor_plan() -> Plan:
    from cms_pages.models import FAQPage, StandardPage
    from portal.models import PortalHomePage

    shots = [(reverse("wagtailadmin_explore_root"), "page-explorer")]
    for model, name in (
        (StandardPage, "page-edit"),
        (FAQPage, "faq-edit"),
        (PortalHomePage, "portal-page-edit"),
    ):
        found = model.objects.live().first()
        if found is not None:
            shots.append((reverse("wagtailadmin_pages:edit", args=[found.pk]), name))
    return Plan(session_of(staff_user("editor"), staff=True), shots)


def customer_plan() -> Plan:
    from portal.models import PortalHomePage, ReadingsPage

    user = get_user_model().objects.filter(email=DEMO_CUSTOMER).first()
    if user is None:
        raise CommandError(f"No demo customer {DEMO_CUSTOMER}: run `make demo` first.")
    shots = [
        (PortalHomePage.objects.get().url, "phone-portal-home"),
        (ReadingsPage.objects.get().url, "phone-readings"),
    ]
    return Plan(session_of(user), shots, width=375)


def session_of(user: Any, staff: bool = False) -> str:
    """A session of `user`; for staff as after allauth's login with its MFA step."""
    client = Client()
    client.force_login(user)
    if staff:
        session = client.session
        now = time.time()
        session["account_authentication_methods"] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def staff_user(role: str) -> Any:
    """The staff account the pictures are taken as: in the role's group, with an authenticator
    and recovery codes, and no password (nobody signs in with it)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    email, group, first_name, last_name = STAFF[role]
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "is_staff": True,
            "first_name": first_name,
            "last_name": last_name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=group))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    return user
