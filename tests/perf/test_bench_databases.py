"""The benchmark keeps one database per size and drops it only when a migration it ran changed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import import_bench  # bench/ is a folder of scripts, not a package


def test_each_size_has_its_own_database_on_the_given_server():
    url = "postgres://postgres@db.example:5433/pramen?sslmode=require"

    assert import_bench.bench_database_url(url, 100_000) == (
        "postgres://postgres@db.example:5433/pramen_bench_100000?sslmode=require"
    )
    assert import_bench.bench_database_url("sqlite:///var/pramen.sqlite3", 1000) is None


@pytest.fixture
def note(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "migrations-pramen_bench_1000.json"
    monkeypatch.setattr(import_bench, "migrations_note", lambda database: path)
    path.write_text(json.dumps({"portal/migrations/0001_initial.py": "aaa"}))
    return path


def test_new_migration_files_keep_the_imported_data(note):
    hashes = {"portal/migrations/0001_initial.py": "aaa", "portal/migrations/0002_more.py": "bbb"}

    assert import_bench.only_new_migrations("pramen_bench_1000", hashes)


def test_an_edited_or_removed_migration_means_a_fresh_database(note):
    edited = {"portal/migrations/0001_initial.py": "ccc"}

    assert not import_bench.only_new_migrations("pramen_bench_1000", edited)
    assert not import_bench.only_new_migrations("pramen_bench_1000", {})
    note.unlink()
    assert not import_bench.only_new_migrations("pramen_bench_1000", edited)
