"""Notices benchmark: publishing a notice that affects many supply points queues its e-mails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/notices_bench.py \\
        --supply-points 20000

In the database ``pramen_bench_notices`` on the server of DATABASE_URL it makes (inside a
transaction it rolls back at the end, so the database stays empty) one municipality with
``--supply-points`` supply points, each of its own customer with a linked portal user, and times
publishing a notice for the whole municipality, as the editor's "Publish" does: storing the
affected supply points, choosing who wants the e-mail and inserting one outbox row per person
(bulk inserts). Then it republishes the same content (nothing to send) and an update (everyone
again). Goal: the first publish under 10 s at 20,000 supply points. Results go to
``bench/results.json`` under ``notices``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file

ROOT = import_bench.ROOT
RESULTS = import_bench.RESULTS
GOAL_SECONDS = 10.0
BATCH = 2000
MUNICIPALITY = "Benchov"


class Rollback(Exception):
    pass


def make_data(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.accounts.models import CustomerLink
    from portal.billing.models import Customer, SupplyPoint

    now = timezone.now()
    customers = Customer.objects.bulk_create(
        [
            Customer(
                zis_id=f"NB-C-{n}",
                zis_updated_at=now,
                number=f"NB{n:07d}",
                kind="household",
                name=f"Zákazník {n}",
                mailing_street="Hlavní",
                mailing_house_number=str(n + 1),
                mailing_municipality=MUNICIPALITY,
                mailing_postcode="50000",
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    SupplyPoint.objects.bulk_create(
        [
            SupplyPoint(
                zis_id=f"NB-SP-{n}",
                zis_updated_at=now,
                number=f"NBSP{n:07d}",
                customer=customer,
                street=f"Ulice {n % 200}",
                house_number=str(n // 200 + 1),
                municipality=MUNICIPALITY,
                postcode="50000",
                advance_amount=Decimal("500.00"),
                advance_frequency="monthly",
                payment_method="transfer",
            )
            for n, customer in enumerate(customers)
        ],
        batch_size=BATCH,
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"nb-user-{n}", email=f"nb-user-{n}@example.cz", password="!")  # noqa: S106 (unusable)
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    CustomerLink.objects.bulk_create(
        [
            CustomerLink(user=user, customer=customer)
            for user, customer in zip(users, customers, strict=True)
        ],
        batch_size=BATCH,
    )


def measure(count: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from portal.notices.models import NoticeIndexPage, NoticePage, NoticePlace
    from portal.notifications.models import Notification

    call_command("migrate", verbosity=0, interactive=False)
    figures: dict[str, float] = {"supply_points": count}
    with contextlib.suppress(Rollback), transaction.atomic():
        started = time.perf_counter()
        make_data(count)
        figures["data_s"] = round(time.perf_counter() - started, 2)
        root = Page.get_first_root_node()
        index = root.add_child(instance=NoticeIndexPage(title="Odstávky", slug="nb-odstavky"))
        start = timezone.now() + dt.timedelta(days=2)
        notice = NoticePage(
            title="Odstávka celé obce",
            kind="outage",
            starts_at=start,
            expected_end_at=start + dt.timedelta(hours=6),
            body="<p>Oprava přivaděče.</p>",
        )
        notice.places = [NoticePlace(municipality=MUNICIPALITY)]
        index.add_child(instance=notice)
        revision = notice.save_revision()
        started, cpu = time.perf_counter(), time.process_time()
        revision.publish()  # the editor's "Publish": announces the notice (page_published)
        figures["publish_s"] = round(time.perf_counter() - started, 2)
        figures["publish_cpu_s"] = round(time.process_time() - cpu, 2)  # this process only
        figures["load_average"] = round(os.getloadavg()[0], 1)
        figures["emails"] = Notification.objects.filter(template="notice").count()
        notice = NoticePage.objects.get(pk=notice.pk)
        started = time.perf_counter()
        notice.save_revision().publish()
        figures["republish_same_s"] = round(time.perf_counter() - started, 2)
        notice.expected_end_at += dt.timedelta(hours=2)
        started = time.perf_counter()
        notice.save_revision().publish()
        figures["publish_update_s"] = round(time.perf_counter() - started, 2)
        figures["emails_after_update"] = Notification.objects.filter(template="notice").count()
        raise Rollback
    return figures


def save_results(figures: dict[str, float]) -> None:
    merged: dict = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            merged = json.loads(RESULTS.read_text(encoding="utf-8"))
    merged["notices"] = figures
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, default=20000, help="default 20000")
    parser.add_argument("--no-save", action="store_true", help="leave results.json as it is")
    args = parser.parse_args(argv)
    base = os.environ.get("DATABASE_URL", "")
    if urlsplit(base).scheme not in import_bench.POSTGRES_SCHEMES:
        print("Set DATABASE_URL to a PostgreSQL server (see docs/performance.md).", file=sys.stderr)
        return 2
    url = urlunsplit(urlsplit(base)._replace(path="/pramen_bench_notices"))
    import_bench.ensure_database(url)
    import_bench.setup_django(url)
    figures = measure(args.supply_points)
    met = figures["publish_s"] < GOAL_SECONDS
    print(
        f"Notice for {args.supply_points} supply points: published and "
        f"{figures['emails']:.0f} e-mails queued in {figures['publish_s']:.2f} s "
        f"(goal < {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}; Python CPU "
        f"{figures['publish_cpu_s']:.2f} s, load average {figures['load_average']}); "
        "republished unchanged in "
        f"{figures['republish_same_s']:.2f} s (nothing sent); update sent to everyone in "
        f"{figures['publish_update_s']:.2f} s ({figures['emails_after_update']:.0f} e-mails in all)"
    )
    if not args.no_save:
        save_results(figures)
        print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'notices').")
    import_bench.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(main())
