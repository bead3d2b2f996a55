"""A production-like Pramen for the deploy tests: its own PostgreSQL database and Redis database,
production settings, gunicorn started with site/deploy/gunicorn.conf.py and a huey worker.

PostgreSQL and Redis are expected at SMOKE_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432)
and SMOKE_REDIS_URL (default redis://127.0.0.1:6379/13), whatever DATABASE_URL the suite uses.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "portal.smoke.test"
POSTGRES = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# A Redis database of its own per test process (8–15), so that two runs on one machine do not mix.
REDIS = os.environ.get("SMOKE_REDIS_URL", f"redis://127.0.0.1:6379/{8 + os.getpid() % 8}")
# Database names carry the process id for the same reason; the tests drop them at the end.
RUN_SUFFIX = str(os.getpid())
# Variables of the test run that must not leak into the production processes.
SCRUBBED = (
    "DATABASE_URL",
    "REDIS_URL",
    "HUEY_URL",
    "DJANGO_SETTINGS_MODULE",
    "ZIS_INBOX",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest
)


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith("PYTEST")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.update(extra)
    return env


def recreate_database(name: str) -> str:
    """Drop and create the database `name`; return its URL."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    print(f"manage.py {args[0]}: {time.monotonic() - started:.1f} s")
    return result.stdout


@dataclass
class Installation:
    env: dict[str, str]
    var_dir: Path
    database: str = ""
    url: str = ""
    demo_output: str = ""
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: dict[str, Path] = field(default_factory=dict)

    def start(self, name: str, command: list[str]) -> None:
        log = self.var_dir / f"{name}.log"
        self.logs[name] = log
        with log.open("wb") as out:
            self.processes.append(
                subprocess.Popen(  # noqa: S603
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def stop(self) -> None:
        """Stop the processes, drop the database and empty the Redis database."""
        stop_processes(self)
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        drop_database(self.database)

    def log(self, name: str) -> str:
        return self.logs[name].read_text(encoding="utf-8", errors="replace")

    def wait_until_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                assert process.poll() is None, f"a process ended:\n{self.log('gunicorn')}"
            try:
                requests.get(self.url + "/healthz", headers={"Host": HOST}, timeout=20)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        raise AssertionError(f"gunicorn did not answer:\n{self.log('gunicorn')}")


def install(var_dir: Path, database: str, **extra_env: str) -> Installation:
    """Migrate, collect static files, load the demo site and a small demo utility, then start
    gunicorn and a huey worker, as docs/install.md does. `extra_env` adds to (or replaces)
    the production environment."""
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    env = base_env(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=recreate_database(database),
        REDIS_URL=REDIS,
        PRAMEN_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        WAGTAILADMIN_BASE_URL=f"https://{HOST}",
        ZIS_SHARED_SECRET=secrets.token_hex(32),
        PRAMEN_DEMO_PASSWORD="Smoke-Heslo-2026",
        LOG_FORMAT="json",
        GUNICORN_WORKERS="2",
    )
    env.update(extra_env)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "setup_groups")
    manage(env, "load_demo_content")
    manage(env, "create_portal_pages")
    demo = manage(
        env, "zis_demo_load", "--supply-points", "4", "--years", "1", "--out", str(var_dir / "demo")
    )
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    installation = Installation(
        env=env,
        var_dir=var_dir,
        database=database,
        url=f"http://127.0.0.1:{port}",
        demo_output=demo,
    )
    installation.start("worker", [PYTHON, "manage.py", "run_huey", "--workers", "1"])
    installation.start(
        "gunicorn", [str(BIN / "gunicorn"), "--config", str(ROOT / "site/deploy/gunicorn.conf.py")]
    )
    return installation


def add_server(first: Installation, var_dir: Path) -> Installation:
    """A second web server of `first`'s installation, as docs/install.md "Scaling out" adds one:
    the same environment (database, Redis, secrets, file storage) except its own local folder
    and port, with its own gunicorn and huey worker. Stopping it stops only its processes."""
    port = free_port()
    env = {**first.env, "PRAMEN_VAR_DIR": str(var_dir), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env["STATIC_ROOT"] = first.env["STATIC_ROOT"]  # the same release, collected once
    server = Installation(env=env, var_dir=var_dir, url=f"http://127.0.0.1:{port}")
    server.start("worker", [PYTHON, "manage.py", "run_huey", "--workers", "1"])
    server.start(
        "gunicorn", [str(BIN / "gunicorn"), "--config", str(ROOT / "site/deploy/gunicorn.conf.py")]
    )
    return server


def stop_processes(installation: Installation) -> None:
    for process in installation.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in installation.processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class ProxyClient:
    """Talks to gunicorn as nginx would (Host, X-Forwarded-Proto: https, X-Real-IP) and keeps
    cookies itself: they are Secure, and the test speaks plain HTTP to 127.0.0.1."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, follow: bool = True, **kwargs: Any
    ) -> requests.Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "192.0.2.10",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        if follow and response.is_redirect:
            target = urlsplit(urljoin(f"https://{HOST}{path}", response.headers["Location"]))
            assert target.netloc == HOST, response.headers["Location"]
            return self.request("GET", target.path + (f"?{target.query}" if target.query else ""))
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def sign_in(self, email: str, password: str) -> requests.Response:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return self.request(
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)},
        )
