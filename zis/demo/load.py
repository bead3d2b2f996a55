"""Load the demo utility into the portal the way a real installation gets its data: through the importer.

`make run` calls this (``manage.py zis_demo_load``): it writes the demo batch once, imports it through
the real importer unless that batch already succeeded, and gives each demo customer a portal login that is
already linked, so the portal can be tried at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import Customer, CustomerLink
from zis.importer import import_batch
from zis.importer.progress import Progress
from zis.models import SyncRun

from .generator import DEFAULT_END_DATE, batch_name, demo_customers, generate_batch

DEMO_EMAILS = ("odberatel@pramenov.example", "firma@pramenov.example")


@dataclass(frozen=True)
class DemoCustomerLogin:
    email: str
    password: str
    customer_number: str
    customer_name: str


def demo_password() -> str:
    return os.environ.get("PRAMEN_DEMO_PASSWORD", "pramen-demo")


def ensure_demo_data(
    out_dir: Path,
    *,
    supply_points: int,
    years: int,
    seed: int,
    stdout: TextIO | None = None,
    display: Any = None,
    generation_display: Any = None,
) -> SyncRun | None:
    """Generate and import the demo batch unless it has been imported already; return the new run.

    `display` and `generation_display` (zis.importer.progress.terminal_progress) show the
    import's and the generation's progress."""
    batch_id = batch_name(
        supply_points=supply_points, years=years, seed=seed, end_date=DEFAULT_END_DATE
    )
    if SyncRun.objects.filter(batch_id=batch_id, status=SyncRun.Status.SUCCEEDED).exists():
        _say(stdout, f"Demo data {batch_id}: already imported.")
        return None
    _say(stdout, f"Demo data {batch_id}: generating {supply_points} supply points, {years} years…")
    progress = Progress([generation_display]) if generation_display is not None else None
    batch = generate_batch(
        out_dir, supply_points=supply_points, years=years, seed=seed, progress=progress
    )
    if progress is not None:
        progress.close()
    run = import_batch(batch, move=True, display=display)
    _say(stdout, f"Demo data {batch_id}: import {run.status} in {run.duration}.")
    return run


def ensure_demo_customer_logins(out_dir: Path) -> list[DemoCustomerLogin]:
    """A verified portal user linked to each demo customer (created once, kept afterwards)."""
    from allauth.account.models import EmailAddress

    password = demo_password()
    logins = []
    User = get_user_model()
    for email, demo in zip(DEMO_EMAILS, demo_customers(out_dir), strict=False):
        customer = Customer.objects.filter(number=demo.number).first()
        if customer is None:
            continue
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": demo.name[:150]}
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            CustomerLink.objects.get_or_create(user=user, customer=customer)
        logins.append(DemoCustomerLogin(email, password, customer.number, customer.name))
    return logins


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
