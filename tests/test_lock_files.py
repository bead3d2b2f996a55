"""The lock files pin what pyproject.toml asks for, with hashes, the same versions in both.

`make install` (and so CI) installs requirements-dev.lock with `pip --require-hashes`; production
installs requirements.lock (docs/install.md). After a change of the dependencies in
pyproject.toml, `make lock` must be run: this test fails until it is.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def read_lock(name: str) -> dict[str, tuple[str, int]]:
    """package -> (version, number of hashes)."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])]
)
def test_every_dependency_is_pinned_within_its_range_with_hashes(lock, extras):
    pins = read_lock(lock)
    wrong = []
    for extra in extras:
        for requirement in requirements(extra):
            pin = pins.get(canonicalize_name(requirement.name))
            if pin is None:
                wrong.append(f"{requirement} is not in {lock}")
            elif pin[0] not in requirement.specifier:
                wrong.append(f"{requirement}: {lock} has {pin[0]}")
    assert not wrong, "Run `make lock`:\n" + "\n".join(wrong)
    unhashed = [name for name, (_version, hashes) in pins.items() if not hashes]
    assert not unhashed


def test_both_locks_pin_the_same_versions():
    production, development = read_lock("requirements.lock"), read_lock("requirements-dev.lock")
    assert production.keys() <= development.keys()
    differing = {
        name: (version, development[name][0])
        for name, (version, _hashes) in production.items()
        if development[name][0] != version
    }
    assert not differing


def test_the_tests_tools_are_dev_dependencies():
    dev = {canonicalize_name(requirement.name) for requirement in requirements("dev")}
    assert {"pytest", "pytest-django", "pytest-xdist", "hypothesis", "uv"} <= dev
