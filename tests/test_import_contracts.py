"""The dependency rules of the code (pyproject's import-linter contracts, run by `make lint`) hold
for the tree, and each of them fails when a module breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "zis", "cms_pages", "config")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# One module per rule, each importing what the rule forbids.
PROBES = {
    "cms_pages/_probe.py": "import portal.lib.money\n",
    "portal/lib/_probe_zis.py": "import zis.records\n",
    "zis/_probe.py": "import config.health\n",
    "portal/lib/_probe_feature.py": "import portal.audit.models\n",
    "portal/pages/_probe.py": "import portal.models\n",
    "portal/billing/_probe.py": "import portal.pages.models\n",
}


def contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["name"] for contract in config["tool"]["importlinter"]["contracts"]]


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_tree(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.mo", "*.po", "*.md"),
        )
    return target


def broken(output: str) -> set[str]:
    """The contracts lint-imports reports as broken (names may wrap over two lines)."""
    flat = " ".join(output.split())
    return {name for name in contract_names() if f"{name} BROKEN" in flat}


def test_the_tree_keeps_every_import_contract(tmp_path):
    result = lint_imports(copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contract_names())} kept, 0 broken." in result.stdout


def test_each_contract_fails_when_a_module_breaks_it(tmp_path):
    tree = copy_tree(tmp_path)
    for name, source in PROBES.items():
        (tree / name).write_text(source, encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout) == set(contract_names()), result.stdout
