"""The whole benchmark (``make bench``): import, portal pages, PDF and load, at several sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/run_bench.py \\
        --sizes 1000,10000,100000

For each size (supply points, with ``--years`` of history each) it runs, each in its own process
so the parts stay runnable alone:

1. ``bench/import_bench.py``: generate (or reuse from ``var/bench-cache/``) the demo utility and
   import it into ``pramen_bench_<size>``, import the same batch again and a nightly delta: rows
   per second, total time and peak memory;
2. ``bench/portal_bench.py``: every portal page and JSON/CSV route as a signed-in customer:
   p50/p95 server time, CPU, SQL queries and the ratio to a baseline view, in the same run;
3. ``bench/advisor_bench.py``: every supply point's advance projection recomputed, as after
   each import;
4. ``bench/insights_bench.py``: the consumption warnings computed after an import (target 60 s for
   100,000 supply points);

then once:

5. ``bench/pdf_bench.py``: documents rendered cold and served cached;
   ``bench/notices_bench.py``: publishing a notice for 20,000 supply points queues its e-mails;
6. ``bench/load_bench.py`` on the largest size (or ``--load-size``): gunicorn with production
   settings and 2 workers under wrk for 30 s, a signed-in customer mix and the public pages.

It runs on PostgreSQL only and says so, prints one table with the figures of every size side by
side and leaves them all in ``bench/results.json`` (``import`` and ``portal`` by size, ``pdf``,
``load``, ``machine``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file
import svg  # beside this file

HERE = Path(__file__).resolve().parent

ROOT = import_bench.ROOT
RESULTS = import_bench.RESULTS
DEFAULT_SIZES = "1000,10000,100000"
GOAL_PAGE_P95_MS = 50.0
PDF_SCRIPT = (
    "import json, sys; sys.path.insert(0, {here!r}); import pdf_bench; "
    "print('PRAMEN-JSON', json.dumps(pdf_bench.main([])))"
)


# --- the steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One part of the benchmark: run at each size (per_size) or once; what `run` returns (if
    not None) is stored in bench/results.json under the step's name. A new computation to
    measure is one more Step in STEPS, with a script of its own beside this file."""

    name: str
    per_size: bool
    run: Callable[[argparse.Namespace, int | None], dict[str, Any] | None]


def common_args(args: argparse.Namespace) -> list[str]:
    return ["--years", str(args.years)]


def import_step(args: argparse.Namespace, size: int | None) -> None:
    delta = ["--delta", str(args.delta)] if args.delta else []
    run_part(
        "import_bench.py", "--supply-points", str(size), "--reimport", *delta, *common_args(args)
    )


def portal_step(args: argparse.Namespace, size: int | None) -> None:
    run_part(
        "portal_bench.py",
        "--supply-points",
        str(size),
        "--requests",
        str(args.requests),
        *common_args(args),
    )


def pdf_step(args: argparse.Namespace, size: int | None) -> dict[str, Any] | None:
    return run_pdf()


def load_step(args: argparse.Namespace, size: int | None) -> None:
    run_part(
        "load_bench.py",
        "--supply-points",
        str(args.load_size or args.sizes[-1]),
        "--duration",
        str(args.load_seconds),
        *common_args(args),
    )


def advisor_step(args: argparse.Namespace, size: int | None) -> None:
    run_part("advisor_bench.py", "--supply-points", str(size), *common_args(args))


def insights_step(args: argparse.Namespace, size: int | None) -> None:
    run_part("insights_bench.py", "--supply-points", str(size), *common_args(args))


def notices_step(args: argparse.Namespace, size: int | None) -> None:
    run_part("notices_bench.py", "--supply-points", str(args.notices_size))


STEPS: list[Step] = [
    Step("import", per_size=True, run=import_step),
    Step("portal", per_size=True, run=portal_step),
    Step("advisor", per_size=True, run=advisor_step),
    Step("insights", per_size=True, run=insights_step),
    Step("pdf", per_size=False, run=pdf_step),
    Step("notices", per_size=False, run=notices_step),
    Step("load", per_size=False, run=load_step),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES") or DEFAULT_SIZES,
        help=f"supply points per demo utility, comma-separated (default {DEFAULT_SIZES})",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=int(os.environ.get("BENCH_YEARS") or 10),
        help="years of history (default 10, or BENCH_YEARS)",
    )
    parser.add_argument(
        "--delta",
        type=float,
        default=0.02,
        help="share of the supply points a timed nightly delta changes (default 0.02; 0: none)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=[step.name for step in STEPS],
        help="leave out a step (repeatable)",
    )
    parser.add_argument(
        "--figures",
        action="store_true",
        help="only draw the pictures of bench/results.json into docs/images/",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per route")
    parser.add_argument("--load-size", type=int, default=None, help="default: the largest size")
    parser.add_argument("--load-seconds", type=int, default=30, help="default 30")
    parser.add_argument("--skip-import", action="store_true", help="keep imported databases")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--notices-size", type=int, default=20000, help="supply points a notice affects"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help=(
            "only print the figures of bench/results.json as Markdown tables "
            "(for docs/performance.md)"
        ),
    )
    args = parser.parse_args(argv)
    args.skip = set(args.skip)
    for flag in ("import", "pdf", "load"):
        if getattr(args, f"skip_{flag}"):
            args.skip.add(flag)
    try:
        args.sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000")
    if not args.sizes or min(args.sizes) < 2:
        parser.error("every size needs at least 2 supply points")
    return args


def run_part(script: str, *arguments: str) -> None:
    """Run one part of the benchmark in its own process; stop on failure."""
    command = [sys.executable, str(HERE / script), *arguments]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (our own scripts)
    if done.returncode != 0:
        raise SystemExit(f"{script} failed (exit status {done.returncode})")


def run_pdf() -> dict[str, Any] | None:
    """The PDF benchmark's figures, or None when it is not there (yet)."""
    if not (HERE / "pdf_bench.py").exists():
        print("\nbench/pdf_bench.py is not there: no PDF figures.")
        return None
    print("\n$ bench/pdf_bench.py", flush=True)
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", PDF_SCRIPT.format(here=str(HERE))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    output = "\n".join(
        line for line in done.stdout.splitlines() if not line.startswith("PRAMEN-JSON")
    )
    print(output)
    match = re.search(r"^PRAMEN-JSON (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        print(f"The PDF benchmark failed:\n{done.stderr[-2000:]}")
        return None
    return json.loads(match.group(1))


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        line = Path("/proc/meminfo").read_text().splitlines()[0]
        memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def load_results() -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    return {}


def save_results(results: dict[str, Any]) -> None:
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- the summary -------------------------------------------------------------------------------


def summary_lines(results: dict[str, Any], sizes: list[int]) -> list[str]:
    """The figures of this run's sizes side by side."""
    keys = [str(size) for size in sizes]
    imports = results.get("import", {})
    portal = results.get("portal", {})
    lines = [f"Pramen benchmark on {results.get('database', 'PostgreSQL')}", ""]
    width = 22
    head = "".join(f"{f'{size:,} points':>{width}}" for size in sizes)
    years = results.get("run", {}).get("years", "?")
    lines += [f"Import ({years} years of history)", f"{'':<28}{head}"]
    for label, field, fmt in (
        ("total time s", "import_seconds", "{:.1f}"),
        ("rows/s", "rows_per_second", "{:,}"),
        ("rows", "db_rows", "{:,}"),
    ):
        cells = []
        for key in keys:
            value = imports.get(key, {}).get(field)
            cells.append(f"{'—' if value is None else fmt.format(value):>{width}}")
        lines.append(f"{label:<28}{''.join(cells)}")
    lines += [
        "",
        "Portal routes: p50 / p95 ms, queries, × baseline p50 (signed-in customer)",
        f"{'route':<28}{head}",
    ]
    names: list[str] = []
    for key in keys:
        for name in portal.get(key, {}).get("routes", {}):
            if name not in names:
                names.append(name)
    for name in names:
        cells = []
        for key in keys:
            route = portal.get(key, {}).get("routes", {}).get(name)
            if route is None:
                cells.append(f"{'—':>{width}}")
                continue
            text = (
                f"{route['p50_ms']:.1f}/{route['p95_ms']:.1f} {route['queries']}q "
                f"×{route['ratio_p50']:.0f}"
            )
            cells.append(f"{text:>{width}}")
        lines.append(f"{name:<28}{''.join(cells)}")
    largest = portal.get(keys[-1], {}).get("routes", {})
    pages = {name: r for name, r in largest.items() if name != "baseline"}
    if pages:
        worst = max(pages, key=lambda name: pages[name]["p95_ms"])
        verdict = "met" if pages[worst]["p95_ms"] <= GOAL_PAGE_P95_MS else "MISSED"
        lines.append(
            f"goal p95 ≤ {GOAL_PAGE_P95_MS:.0f} ms at {sizes[-1]:,} points: {verdict} "
            f"(slowest: {worst}, {pages[worst]['p95_ms']:.1f} ms)"
        )
    counts = {
        name: {portal.get(key, {}).get("routes", {}).get(name, {}).get("queries") for key in keys}
        - {None}
        for name in names
    }
    growing = [name for name, values in counts.items() if len(values) > 1]
    lines.append(
        "query counts: the same at every size"
        if not growing
        else f"query counts differ between sizes: {', '.join(growing)}"
    )
    pdf = results.get("pdf")
    if pdf:
        lines += ["", "PDF documents (p50 ms)", f"{'kind':<28}{'cold':>10}{'cached':>10}"]
        for kind, figures in pdf.items():
            lines.append(f"{kind:<28}{figures['cold_ms']:>10.1f}{figures['cached_ms']:>10.1f}")
    if notices := results.get("notices"):
        lines += [
            "",
            f"Notice for {notices['supply_points']:,} supply points: {notices['emails']:,} e-mails "
            f"queued in {notices['publish_s']:.2f} s (goal < 10 s)",
        ]
    load = results.get("load")
    if load:
        lines += [
            "",
            f"Load: {load['server']}; {load['load_generator']}; {load['supply_points']:,} points",
            f"{'load':<28}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>10}",
        ]
        for label, key in (
            ("signed-in customer mix", "customer_mix"),
            ("public pages", "public_pages"),
        ):
            run = load[key]
            lines.append(
                f"{label:<28}{run['requests_per_second']:>10.1f}{run['p50_ms']:>10.1f}"
                f"{run['p95_ms']:>10.1f}{run['errors']:>10}"
            )
    return lines


def markdown_lines(results: dict[str, Any], sizes: list[int]) -> list[str]:
    """The tables of docs/performance.md: import and portal routes at each size, PDF, load.

    The load average each portal run recorded stays in bench/results.json only: it describes
    the machine on that day, not Pramen."""
    keys = [str(size) for size in sizes if str(size) in results.get("portal", {})]
    imports, portal = results.get("import", {}), results.get("portal", {})
    head = " | ".join(f"{int(key):,} points" for key in keys)
    lines = [f"| import | {head} |", "|---" * (len(keys) + 1) + "|"]
    for label, field, fmt in (
        ("rows stored", "db_rows", "{:,}"),
        ("total time", "import_seconds", "{:.1f} s"),
        ("rows per second", "rows_per_second", "{:,}"),
    ):
        cells = [imports.get(key, {}).get(field) for key in keys]
        text = " | ".join("—" if c is None else fmt.format(c) for c in cells)
        lines.append(f"| {label} | {text} |")
    lines += [
        "",
        "p50 / p95 wall ms · CPU p50 ms · queries · p50 × baseline:",
        "",
        f"| route | {head} |",
        "|---" * (len(keys) + 1) + "|",
    ]
    names: list[str] = []
    for key in keys:
        names += [name for name in portal[key].get("routes", {}) if name not in names]
    for name in names:
        cells = []
        for key in keys:
            r = portal[key]["routes"].get(name)
            cells.append(
                "—"
                if r is None
                else f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} · {r.get('cpu_p50_ms', 0):.0f} · "
                f"{r['queries']} · ×{r['ratio_p50']:.0f}"
            )
        lines.append(f"| {name} | {' | '.join(cells)} |")
    if pdf := results.get("pdf"):
        lines += ["", "| PDF (p50) | cold | cached |", "|---|---|---|"]
        lines += [
            f"| {k} | {v['cold_ms']:.0f} ms | {v['cached_ms']:.1f} ms |" for k, v in pdf.items()
        ]
    if notices := results.get("notices"):
        lines += [
            "",
            "| notice publish | supply points | e-mails queued | time |",
            "|---|---|---|---|",
            f"| first publish | {notices['supply_points']:,} | {notices['emails']:,} | "
            f"{notices['publish_s']:.2f} s |",
            f"| republish unchanged | | 0 | {notices['republish_same_s']:.2f} s |",
            f"| update | | {notices['emails_after_update'] - notices['emails']:,} | "
            f"{notices['publish_update_s']:.2f} s |",
        ]
    if load := results.get("load"):
        lines += [
            "",
            f"| load, {load['supply_points']:,} points, 30 s | requests/s | p50 | p95 | p99 | errors |",
            "|---|---|---|---|---|---|",
        ]
        for label, key in (
            ("signed-in customer mix", "customer_mix"),
            ("public pages", "public_pages"),
        ):
            run = load[key]
            lines.append(
                f"| {label} | {run['requests_per_second']:.1f} | {run['p50_ms']:.0f} ms | "
                f"{run['p95_ms']:.0f} ms | {run['p99_ms']:.0f} ms | {run['errors']} |"
            )
    return lines


# --- the pictures ------------------------------------------------------------------------------

FIGURES = ROOT / "docs" / "images"
PAGE_SERIES = 6  # the slowest routes drawn (more would not be readable)


def write_figures(results: dict[str, Any], folder: Path = FIGURES) -> list[Path]:
    """Import time, import memory and page p95 against the size, as SVG files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    imports = {int(key): value for key, value in results.get("import", {}).items()}
    times: dict[str, list[tuple[float, float]]] = {}
    memory: dict[str, list[tuple[float, float]]] = {}
    for size, figures in sorted(imports.items()):
        runs = {"first import": figures | {"wall_seconds": figures.get("import_seconds")}}
        for name, key in (("re-import, unchanged", "reimport"), ("nightly delta", "delta")):
            if figures.get(key):
                runs[name] = figures[key]
        for name, run in runs.items():
            if run.get("wall_seconds") is not None:
                times.setdefault(name, []).append((size, run["wall_seconds"]))
            if run.get("peak_memory_mb") is not None:
                memory.setdefault(name, []).append((size, run["peak_memory_mb"]))
    years = {figures.get("years") for figures in imports.values()} - {None}
    history = f", {'/'.join(str(y) for y in sorted(years))} years of history" if years else ""
    pages: dict[str, list[tuple[float, float]]] = {}
    for key, figures in results.get("portal", {}).items():
        for name, route in figures.get("routes", {}).items():
            if name != "baseline":
                pages.setdefault(name, []).append((int(key), route["p95_ms"]))
    slowest = sorted(pages, key=lambda name: -max(y for _x, y in pages[name]))[:PAGE_SERIES]
    charts = {
        "bench-import-time.svg": svg.line_chart(
            f"Import time{history}", "supply points", "seconds (wall)", times
        ),
        "bench-import-memory.svg": svg.line_chart(
            f"Peak memory of the import{history}", "supply points", "MB (peak RSS)", memory
        ),
        "bench-page-p95.svg": svg.line_chart(
            "Portal pages: p95 server time (slowest routes)",
            "supply points",
            "ms (p95)",
            {name: pages[name] for name in slowest},
        ),
    }
    written = []
    for name, text in charts.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        print("\n".join(markdown_lines(load_results(), args.sizes)))
        return 0
    if args.figures:
        for path in write_figures(load_results()):
            print(path.relative_to(ROOT))
        return 0
    base_url = os.environ.get("DATABASE_URL", "")
    if import_bench.bench_database_url(base_url, args.sizes[0]) is None:
        print(import_bench.HOW_TO.replace("import_bench.py", "run_bench.py"), file=sys.stderr)
        return 2
    server = base_url.split("@")[-1].split("/")[0] or "localhost"
    print(
        f"Benchmark on PostgreSQL at {server} (databases pramen_bench_<size>), sizes "
        f"{', '.join(f'{size:,}' for size in args.sizes)} supply points × {args.years} years."
    )
    started = time.perf_counter()
    collected: dict[str, Any] = {}
    for step in STEPS:
        if step.name in args.skip:
            continue
        for size in args.sizes if step.per_size else [None]:
            if (figures := step.run(args, size)) is not None:
                collected[step.name] = figures
    results = load_results()
    portal = results.get("portal", {})
    database = next(
        (portal[str(size)]["database"] for size in args.sizes if str(size) in portal), "PostgreSQL"
    )
    results.update(collected)
    results["database"] = database
    results["machine"] = machine()
    results["run"] = {
        "sizes": args.sizes,
        "years": args.years,
        "seconds": round(time.perf_counter() - started, 1),
        "finished_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    save_results(results)
    print("\n" + "\n".join(summary_lines(results, args.sizes)))
    for path in write_figures(results):
        print(f"Figure: {path.relative_to(ROOT)}")
    print(f"\nAll figures: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
