"""Load benchmark: gunicorn with production settings under wrk, on loopback, for 30 seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pramen python bench/load_bench.py \\
        --supply-points 10000

It serves the benchmark database of that size (``pramen_bench_<supply points>``, imported by
``bench/portal_bench.py``, which this run calls first when the data is missing) with
``gunicorn config.wsgi`` (``config.settings.production``, 2 sync workers, Redis cache) and runs
two wrk loads against it, one after the other:

- a signed-in customer: the first demo customer's session cookie (made by Django's test client
  under the production settings) and a round-robin mix of every portal page and JSON/CSV route;
- anonymous visitors: the public home page and a news article.

Each gives requests per second, p50/p95/p99 latency (wrk's own histogram, ``--latency``) and the
errors: responses other than 2xx/3xx plus socket errors (connect, read, write, timeout). Before
the load, every URL is fetched once and must answer 200 — a redirect to the sign-in page would
otherwise pass for a fast response. Requests carry ``X-Forwarded-Proto: https`` as behind the
production proxy, so the HTTPS redirect does not apply. Results are merged into
``bench/results.json`` under ``"load"``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # beside this file
import portal_bench  # beside this file

ROOT = import_bench.ROOT
RESULTS = import_bench.RESULTS
VENV_BIN = Path(sys.executable).parent
HOST = "localhost"
WORKERS = 2
STATIC_ROOT = ROOT / "var" / "bench-static"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
LUA = """\
-- Round-robin over the paths, with the headers the benchmark set.
local paths = {PATHS}
local counter = 0
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Host"] = "{HOST}"
{COOKIE}
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("PRAMEN-JSON ", string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "non_2xx_3xx": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""
SESSION_SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username={username!r}))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply-points", type=int, default=10_000, help="default 10000")
    parser.add_argument("--years", type=int, default=10, help="default 10")
    parser.add_argument("--seed", type=int, default=1, help="default 1")
    parser.add_argument("--duration", type=int, default=30, help="seconds per load, default 30")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections, default 4")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads, default 2")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "bench-cache")
    parser.add_argument("--no-save", action="store_true", help="leave results.json as it is")
    parser.add_argument(
        "--public-only", action="store_true", help="only the public pages (implies --no-save)"
    )
    return parser.parse_args(argv)


# --- what to request ---------------------------------------------------------------------------


def collect_urls(args: argparse.Namespace) -> tuple[str, list[str], list[str]]:
    """The demo user's name, the portal paths of the customer mix and the public paths."""
    from cms_pages.models import HomePage, NewsArticlePage

    args.requests, args.end_date = 0, None
    folder, _, _ = portal_bench.ensure_data(args)
    user, customer = portal_bench.ensure_site_and_login(folder)
    routes = portal_bench.portal_routes(customer)
    routes.pop("baseline")
    home = HomePage.objects.live().first()
    article = NewsArticlePage.objects.live().public().order_by("-pk").first()
    public = [page.get_url() for page in (home, article) if page is not None]
    import_bench.close_connections()
    return user.get_username(), list(routes.values()), public


# --- the server --------------------------------------------------------------------------------


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    """What production settings need, given through the environment as in production."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + os.urandom(24).hex()),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(STATIC_ROOT),
        PYTHONPATH=str(ROOT),
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """The manifest static storage of production needs collected files."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def session_cookie(env: dict[str, str], username: str) -> str:
    """A session of the demo user, made under the production settings."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SESSION_SCRIPT.format(username=username)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Serve Pramen with gunicorn until the block ends; yields the base URL."""
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind=127.0.0.1:{port}",
        "--error-logfile=-",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (the project's gunicorn)
            command, cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=1).close()
            return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start within 60 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_urls(base: str, paths: list[str], cookie: str | None) -> list[str]:
    """The paths that answer 200 (no redirect to sign-in, no error), fetched once before the
    load starts; the others are named and left out of the mix. None answering is an error."""
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"X-Forwarded-Proto": "https", "Host": HOST}
    if cookie:
        headers["Cookie"] = cookie
    good = []
    for path in paths:
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 (http)
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 200:
            good.append(path)
        else:
            print(f"GET {path} answered {status}: left out of the load mix", flush=True)
    if not good:
        raise SystemExit("No URL of the load mix answered 200.")
    return good


# --- the load ----------------------------------------------------------------------------------


def lua_script(paths: list[str], cookie: str | None) -> str:
    quoted = ", ".join(json.dumps(path) for path in paths)
    cookie_line = f'wrk.headers["Cookie"] = {json.dumps(cookie)}' if cookie else ""
    return (
        LUA.replace("{PATHS}", "{" + quoted + "}")
        .replace("{HOST}", HOST)
        .replace("{COOKIE}", cookie_line)
    )


def run_wrk(args: argparse.Namespace, base: str, paths: list[str], cookie: str | None) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths, cookie))
    try:
        command = [
            wrk,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout=10s",
            "--latency",
            "-s",
            script.name,
            base + paths[0],
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    finally:
        os.unlink(script.name)
    match = re.search(r"^PRAMEN-JSON (.*)$", done.stdout, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    sockets = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "paths": paths,
        "requests": raw["requests"],
        "seconds": round(seconds, 1),
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "non_2xx_3xx": raw["non_2xx_3xx"],
        "socket_errors": sockets,
        "errors": raw["non_2xx_3xx"] + sockets,
    }


def measure(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    database_url = import_bench.bench_database_url(base_url, args.supply_points)
    import_bench.ensure_database(database_url)
    import_bench.setup_django(database_url)
    username, portal_paths, public_paths = collect_urls(args)
    env = production_env(database_url, os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    collect_static(env)
    cookie_name = "sessionid"
    cookie = f"{cookie_name}={session_cookie(env, username)}"
    log = ROOT / "var" / "bench-gunicorn.log"
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    with gunicorn(env, args.port or free_port(), log) as base:
        public_only = getattr(args, "public_only", False)
        portal_paths = [] if public_only else check_urls(base, portal_paths, cookie)
        public_paths = check_urls(base, public_paths, None)
        customer = None if public_only else run_wrk(args, base, portal_paths, cookie)
        public = run_wrk(args, base, public_paths, None)
    return {
        "supply_points": args.supply_points,
        "years": args.years,
        "server": f"gunicorn, {WORKERS} sync workers, config.settings.production, Redis cache",
        "load_generator": (
            f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on loopback"
        ),
        "customer_mix": customer,
        "public_pages": public,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "cpus": os.cpu_count(),
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def print_figures(figures: dict[str, Any]) -> None:
    print(
        f"\nLoad run, {figures['supply_points']:,} supply points: {figures['server']}; "
        f"{figures['load_generator']}; load average {figures['load_average_at_start']}\n"
    )
    print(f"{'load':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, key in (("signed-in customer mix", "customer_mix"), ("public pages", "public_pages")):
        run = figures[key]
        if run is None:
            continue
        print(
            f"{name:<30}{run['requests_per_second']:>9.1f}{run['p50_ms']:>9.1f}"
            f"{run['p95_ms']:>9.1f}{run['p99_ms']:>9.1f}{run['errors']:>8}"
        )


def save_results(figures: dict[str, Any]) -> None:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        with contextlib.suppress(ValueError):
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["load"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base_url = os.environ.get("DATABASE_URL", "")
    if import_bench.bench_database_url(base_url, args.supply_points) is None:
        print(import_bench.HOW_TO.replace("import_bench.py", "load_bench.py"), file=sys.stderr)
        return 2
    figures = measure(args, base_url)
    print_figures(figures)
    if not (args.no_save or args.public_only):
        save_results(figures)
        print(f"Figures written to {RESULTS.relative_to(ROOT)} (key 'load').")
    return 0


if __name__ == "__main__":
    sys.exit(main())
