"""Production settings: they refuse to start without their variables, pass `check --deploy`
without a warning, and every variable the settings read is documented."""

from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path

import pytest

from .smoke import PYTHON, ROOT, base_env

SETTINGS_DIR = ROOT / "config" / "settings"
ENV_EXAMPLE = ROOT / "site" / "deploy" / ".env.example"
CONFIGURATION = ROOT / "docs" / "configuration.md"
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
SETUP = "import django; django.setup()"


def full_env(**changes: str) -> dict[str, str]:
    env = base_env(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.cz",
        DATABASE_URL="postgres://pramen:secret@127.0.0.1:5432/pramen",
        REDIS_URL="redis://127.0.0.1:6379/13",
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("name", REQUIRED)
@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_a_required_variable(name, value):
    result = run(full_env(**{name: value}), "-c", SETUP)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line and name in last_line, result.stderr


def test_an_open_zis_door_requires_a_shared_cache():
    result = run(full_env(ZIS_SHARED_SECRET="s" * 64, REDIS_URL=None), "-c", SETUP)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr.strip().splitlines()[-1]


def test_production_starts_with_the_required_variables():
    result = run(
        full_env(), "-c", SETUP + "; from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_check_deploy_gives_no_warning():
    result = run(full_env(), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_when_hardening_is_switched_off():
    """The check above would catch a regression: switching HSTS off is reported."""
    result = run(full_env(SECURE_HSTS_SECONDS="0"), "manage.py", "check", "--deploy")
    assert "security.W004" in result.stdout + result.stderr


def settings_variables() -> set[str]:
    pattern = re.compile(r'env_(?:str|bool|int|list|required)\(\s*"([A-Z][A-Z0-9_]*)"')
    names: set[str] = set()
    for path in SETTINGS_DIR.glob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_variable_the_settings_read_is_documented():
    names = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "ZIS_INBOX", "SENTRY_DSN"} <= names  # the scan works
    example = set(
        re.findall(r"^#?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    )
    configuration = CONFIGURATION.read_text(encoding="utf-8")
    table = "\n".join(line for line in configuration.splitlines() if line.startswith("| `"))
    assert not names - example, f"missing from site/deploy/.env.example: {sorted(names - example)}"
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert not missing, f"missing from the table in docs/configuration.md: {missing}"


def test_the_deploy_scripts_are_valid_shell():
    for script in ("backup.sh", "restore.sh", "pramen-manage"):
        path = Path(ROOT / "site" / "deploy" / script)
        assert path.stat().st_mode & 0o111, f"{script} is not executable"
        command = ["/bin/bash", "-n", str(path)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        assert result.returncode == 0, result.stderr
