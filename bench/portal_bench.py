"""Portal benchmark: time each customer portal page on a demo utility in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/portal_bench.py \\
        --supply-points 1000 --years 5

Like ``bench/import_bench.py`` (whose functions it reuses) it works in the database
``pramen_bench_<supply points>`` on the server of DATABASE_URL. When that database's latest import run is a
succeeded run of the wanted demo batch, the data is kept; otherwise the database is flushed and
the batch (cached in ``var/bench-cache/``) is imported through the real importer and VACUUM ANALYZEd. Then the demo
website, the portal pages and the demo customers' logins are ensured.

Each route is requested through ``django.test.Client`` as the first demo customer (force_login):
3 warm-ups, then ``--requests`` timed requests (time.perf_counter around ``client.get``, so the
whole Django stack without a network), and the CPU time of this process for each request
(time.process_time: what the request costs in Python, less sensitive to a busy machine than the
wall time; PostgreSQL's CPU is not in it). The SQL query count comes from one extra request under
``CaptureQueriesContext``, kept out of the timings. The baseline is a view added to the root
URLconf at runtime, served through the same client, session and middleware: it does one indexed
lookup (``Customer`` by its unique ``number``) and returns a tiny HttpResponse. Each route's p50
is given as a ratio to the baseline's p50. Results are merged into ``bench/results.json`` under
``"portal"`` → ``{"<supply points>": {...}}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file

ROOT = import_bench.ROOT
RESULTS = import_bench.RESULTS
WARMUPS = 3
BASELINE_PATH = "__bench-baseline/"
HOW_TO = import_bench.HOW_TO.replace("import_bench.py", "portal_bench.py").replace(
    "import benchmark", "portal benchmark"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, required=True)
    parser.add_argument("--years", type=int, default=10, help="default 10")
    parser.add_argument("--seed", type=int, default=1, help="default 1")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per route")
    parser.add_argument("--end-date", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "bench-cache")
    parser.add_argument("--no-save", action="store_true", help="leave results.json as it is")
    return parser.parse_args(argv)


# --- the data ----------------------------------------------------------------------------------


def ensure_data(args: argparse.Namespace) -> tuple[Path, str, bool]:
    """The batch folder, its id and whether it was imported just now."""
    from django.core.management import call_command

    from zis.importer import import_batch
    from zis.models import SyncRun

    call_command("migrate", verbosity=0, interactive=False)
    workdir = import_bench.cache_folder(args.cache_dir)
    args.no_cache = False
    folder, _, _ = import_bench.obtain_batch(args, workdir)
    # The import benchmark's nightly delta (`<batch>-delta`, bench/delta.py) may follow the
    # batch: the data is still that batch's, so it is kept.
    latest = SyncRun.objects.exclude(batch_id=f"{folder.name}-delta").order_by("-pk").first()
    if (
        latest is not None
        and latest.batch_id == folder.name
        and latest.status == SyncRun.Status.SUCCEEDED
    ):
        print(f"Batch {folder.name}: already imported, kept.")
        return folder, folder.name, False
    print(f"Batch {folder.name}: flushing the database and importing…", flush=True)
    import_bench.prepare_database()
    started = time.perf_counter()
    run = import_batch(folder, move=False)
    if run.status != SyncRun.Status.SUCCEEDED:
        raise SystemExit(f"The import was {run.status}:\n{run.report}")
    print(f"Imported in {time.perf_counter() - started:.1f} s.")
    import_bench.analyze()
    return folder, folder.name, True


def ensure_wagtail_roots() -> None:
    """The default locale, root page and root collection Wagtail's migrations create (a flush
    removed them)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def ensure_site_and_login(folder: Path) -> tuple[Any, Any]:
    """Demo website, portal pages and demo logins; returns the first demo user and customer."""
    from django.contrib.auth import get_user_model

    from cms_pages.demo_content import load_demo_content
    from portal.models import Customer
    from portal.pages.setup import ensure_portal_pages
    from zis.demo.load import ensure_demo_customer_logins

    ensure_wagtail_roots()
    load_demo_content()
    ensure_portal_pages()
    logins = ensure_demo_customer_logins(folder)
    if not logins:
        raise SystemExit("No demo customer of the batch found in the database.")
    user = get_user_model().objects.get(username=logins[0].email)
    return user, Customer.objects.get(number=logins[0].customer_number)


# --- the routes --------------------------------------------------------------------------------


def baseline_view(request: Any) -> Any:
    from django.http import HttpResponse

    from portal.models import Customer

    number = request.GET.get("number", "")
    pk = Customer.objects.filter(number=number).values_list("pk", flat=True).first()
    return HttpResponse(str(pk), content_type="text/plain")


def install_baseline() -> None:
    """Add the baseline view in front of the root URLconf (this process only)."""
    from importlib import import_module

    from django.conf import settings
    from django.urls import clear_url_caches, path

    urlconf = import_module(settings.ROOT_URLCONF)
    urlconf.urlpatterns.insert(0, path(BASELINE_PATH, baseline_view))
    clear_url_caches()


def portal_routes(customer: Any) -> dict[str, str]:
    """route name → URL, for the first demo customer's own objects."""
    from django.db.models import Count
    from django.urls import NoReverseMatch

    from portal.models import (
        AdvanceSchedule,
        ConsumptionPage,
        DailyConsumption,
        Invoice,
        InvoicesPage,
        Meter,
        MyDetailsPage,
        Payment,
        PortalHomePage,
        RainwaterAssessment,
        RainwaterPage,
        ReadingsPage,
        SupplyPoint,
        SupplyPointsPage,
    )

    def page_url(model: Any, route: str | None = None, *args: Any) -> str | None:
        """The URL of a page's route; None when the route is not there (yet)."""
        page = model.objects.live().first()
        url = page.get_url()
        try:
            return url + (page.reverse_subpage(route, args=args) if route else "")
        except NoReverseMatch:
            return None

    supply_point = (
        SupplyPoint.objects.filter(customer=customer)
        .annotate(readings_count=Count("meters__readings"))
        .order_by("-readings_count", "pk")
        .first()
    )
    invoice = Invoice.objects.filter(customer=customer).order_by("-pk").first()
    assessment = (
        RainwaterAssessment.objects.filter(supply_point__customer=customer).order_by("-pk").first()
    )
    daily = (
        DailyConsumption.objects.filter(meter__supply_point__customer=customer)
        .order_by("-day")
        .values_list("day", "meter__supply_point_id")
        .first()
    )
    manual_meter = (
        Meter.objects.filter(
            supply_point__customer=customer, removed_on__isnull=True, remote_read=False
        )
        .order_by("pk")
        .values_list("supply_point", "pk")
        .first()
    )
    schedule = AdvanceSchedule.objects.filter(customer=customer).order_by("-valid_from").first()
    advance_payment = (
        Payment.objects.filter(customer=customer, advance__isnull=False)
        .order_by("-received_on")
        .first()
    )
    chart_point = daily[1] if daily else supply_point.pk
    last_day = daily[0] if daily else date.today()
    chart = page_url(ConsumptionPage, "chart_data") + f"?supply_point={chart_point}"
    routes = {
        "baseline": f"/{BASELINE_PATH}?number={customer.number}",
        "portal home": page_url(PortalHomePage),
        "supply points": page_url(SupplyPointsPage),
        "supply point detail": page_url(SupplyPointsPage, "supply_point", supply_point.pk),
        "readings": page_url(ReadingsPage),
        "readings of a supply point": page_url(
            ReadingsPage, "supply_point_readings", supply_point.pk
        ),
        "readings CSV": page_url(ReadingsPage, "readings_csv", supply_point.pk),
        "invoices": page_url(InvoicesPage),
        "invoice detail": page_url(InvoicesPage, "invoice", invoice.pk) if invoice else None,
        "advances": page_url(InvoicesPage, "advances"),
        "payments": page_url(InvoicesPage, "payments"),
        "rainwater": page_url(RainwaterPage),
        "rainwater detail": (
            page_url(RainwaterPage, "assessment", assessment.pk) if assessment else None
        ),
        "consumption": page_url(ConsumptionPage) + f"?supply_point={chart_point}",
        "chart data: years": chart + "&period=years",
        "chart data: months": chart + f"&period=months&year={last_day.year}",
        "chart data: days": chart + f"&period=days&year={last_day.year}&month={last_day.month}",
        "my details": page_url(MyDetailsPage),
        "self-reading form": (
            page_url(ReadingsPage, "self_reading", *manual_meter) if manual_meter else None
        ),
        "address change form": page_url(MyDetailsPage, "address_change"),
        "requests": page_url(MyDetailsPage, "requests"),
        "invoice PDF (cached)": (
            page_url(InvoicesPage, "invoice_pdf", invoice.pk) if invoice else None
        ),
        "invoice ISDOC": page_url(InvoicesPage, "invoice_isdoc", invoice.pk) if invoice else None,
        "schedule PDF (cached)": (
            page_url(InvoicesPage, "schedule_pdf", schedule.pk) if schedule else None
        ),
        "tax document PDF (cached)": (
            page_url(InvoicesPage, "tax_document_pdf", advance_payment.pk)
            if advance_payment
            else None
        ),
    }
    return {name: url for name, url in routes.items() if url is not None}


# --- measuring ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_route(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):
        response = client.get(url)
        if response.status_code != 200:
            print(f"GET {url} answered {response.status_code}: left out", flush=True)
            return {"url": url, "status": response.status_code}
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # read now: the next request clears the connection's query log
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "url": url,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
        "min_ms": round(min(times), 2),
        "queries": queries,
        "bytes": len(response.content),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    folder, batch_id, imported = ensure_data(args)
    user, customer = ensure_site_and_login(folder)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    install_baseline()
    client = Client()
    client.force_login(user)
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    routes = {}
    left_out = {}
    for name, url in portal_routes(customer).items():
        figures = measure_route(client, url, args.requests)
        if "status" in figures:
            left_out[name] = figures
        else:
            routes[name] = figures
    if "baseline" not in routes:
        raise SystemExit("The baseline view did not answer 200.")
    base = routes["baseline"]["p50_ms"]
    for figures in routes.values():
        figures["ratio_p50"] = round(figures["p50_ms"] / base, 2)
    return {
        "supply_points": args.supply_points,
        "years": args.years,
        "seed": args.seed,
        "batch_id": batch_id,
        "imported_now": imported,
        "customer": customer.number,
        "requests": args.requests,
        "warmups": WARMUPS,
        "baseline": "one indexed lookup (Customer by number) in a view added to the root URLconf",
        "routes": routes,
        "left_out": left_out,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "database": f"PostgreSQL {import_bench.server_version()}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def print_figures(figures: dict[str, Any]) -> None:
    print(
        f"\nPortal pages, demo utility of {figures['supply_points']:,} supply points × "
        f"{figures['years']} years ({figures['batch_id']}), customer {figures['customer']}, "
        f"{figures['database']}, {figures['requests']} requests per route after "
        f"{figures['warmups']} warm-ups, load average {figures['load_average_at_start']}\n"
    )
    print(
        f"{'route':<28}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}{'queries':>9}"
        f"{'× baseline':>12}"
    )
    for name, route in figures["routes"].items():
        print(
            f"{name:<28}{route['p50_ms']:>9.2f}{route['p95_ms']:>9.2f}{route['cpu_p50_ms']:>9.2f}"
            f"{route['cpu_p95_ms']:>9.2f}{route['queries']:>9}{route['ratio_p50']:>12.2f}"
        )
    print(
        "\ncpu: CPU time of this (the serving) process per request — what the request costs,"
        " also on a busy machine; PostgreSQL's own CPU is not in it."
    )
    print(f"\nbaseline: {figures['baseline']}")


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
    portal = results.get("portal")
    if not isinstance(portal, dict):
        portal = {}
    portal[str(figures["supply_points"])] = figures
    results["portal"] = portal
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = import_bench.bench_database_url(os.environ.get("DATABASE_URL", ""), args.supply_points)
    if url is None:
        print(HOW_TO, file=sys.stderr)
        return 2
    import_bench.ensure_database(url)
    import_bench.setup_django(url)
    figures = measure(args)
    print_figures(figures)
    if not args.no_save:
        save_results(figures)
        print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'portal').")
    import_bench.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(main())
