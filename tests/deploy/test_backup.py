"""site/deploy/backup.sh and restore.sh: back up, wipe, restore give back the same data.

A scratch database (`pramen_backup_check_<pid>`, dropped at the end, beside whatever DATABASE_URL the suite uses) with
tables, a foreign key, a sequence and awkward values; scratch media and private folders.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from .smoke import ROOT, RUN_SUFFIX, base_env, drop_database, recreate_database

BACKUP = ROOT / "site" / "deploy" / "backup.sh"
RESTORE = ROOT / "site" / "deploy" / "restore.sh"
DATABASE = f"pramen_backup_check_{RUN_SUFFIX}"


def fill(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "CREATE TABLE customer (id bigserial PRIMARY KEY, name text NOT NULL, photo bytea)"
        )
        db.execute(
            "CREATE TABLE reading (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customer, "
            "value numeric(12, 3), taken timestamptz)"
        )
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO customer (name, photo) VALUES (%s, %s)",
                [
                    (f"Zákazník č. {i} „Příliš žluťoučký kůň“", bytes(range(i % 256)))
                    for i in range(300)
                ],
            )
            cursor.execute(
                "INSERT INTO reading (customer_id, value, taken) SELECT c.id, c.id * 1.125, "
                "'2025-01-01T00:00:00+01'::timestamptz + c.id * interval '1 hour' FROM customer c"
            )


def fingerprint(url: str) -> dict[str, object]:
    with psycopg.connect(url) as db:
        rows = {
            table: db.execute(
                f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t"  # noqa: S608
            ).fetchone()
            for table in ("customer", "reading")
        }
        rows["sequence"] = db.execute(
            "SELECT last_value, is_called FROM customer_id_seq"
        ).fetchone()
    return rows


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def script(path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(path), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def installation(tmp_path):
    url = recreate_database(DATABASE)
    fill(url)
    media, private = tmp_path / "var" / "media", tmp_path / "var" / "private"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "vodojem Pramenov.jpg").write_bytes(os.urandom(50_000))
    (media / "documents").mkdir()
    (media / "documents" / "ceník 2026.pdf").write_bytes(b"%PDF-1.7 " + os.urandom(5_000))
    private.mkdir()
    (private / "meter-photo-1.jpg").write_bytes(os.urandom(20_000))
    env = base_env(
        DATABASE_URL=url,
        PRAMEN_VAR_DIR=str(tmp_path / "var"),
        BACKUP_DIR=str(tmp_path / "backups"),
        BACKUP_KEEP_DAYS="14",
    )
    yield env, url, media, private, tmp_path / "backups"
    drop_database(DATABASE)


def test_backup_wipe_and_restore_give_back_the_same_data(installation):
    env, url, media, private, backups = installation
    before = fingerprint(url)
    media_before, private_before = files(media), files(private)
    assert before["customer"][0] == 300 and len(media_before) == 2

    made = script(BACKUP, env)
    assert made.returncode == 0, made.stderr
    (backup,) = [p for p in backups.iterdir() if p.name.startswith("pramen-")]
    assert {"database.dump", "SHA256SUMS", "files-media.tar.gz", "files-private.tar.gz"} <= {
        p.name for p in backup.iterdir()
    }
    assert oct(backup.stat().st_mode & 0o777) == "0o700"  # backups hold personal data

    # wipe everything
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DROP TABLE reading; DROP TABLE customer")
    shutil.rmtree(media)
    shutil.rmtree(private)

    restored = script(RESTORE, env, str(backup), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert fingerprint(url) == before
    assert files(media) == media_before and files(private) == private_before


def test_a_damaged_backup_is_refused_and_nothing_changes(installation):
    env, url, media, _private, backups = installation
    assert script(BACKUP, env).returncode == 0
    (backup,) = list(backups.iterdir())
    dump = backup / "files-media.tar.gz"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    before, media_before = fingerprint(url), files(media)

    refused = script(RESTORE, env, str(backup), "--yes")
    assert refused.returncode == 1
    assert "damaged" in refused.stderr
    assert fingerprint(url) != {} and files(media) == media_before
    assert fingerprint(url)["customer"] == before["customer"]


def test_old_backups_are_removed_after_the_retention_period(installation):
    env, _url, _media, _private, backups = installation
    old, recent = backups / "pramen-20250101T000000Z", backups / "pramen-20250301T000000Z"
    for folder, age_days in ((old, 20), (recent, 3)):
        folder.mkdir(parents=True)
        stamp = time.time() - age_days * 86400
        os.utime(folder, (stamp, stamp))
    unrelated = backups / "notes"
    unrelated.mkdir()
    os.utime(unrelated, (time.time() - 100 * 86400,) * 2)

    assert script(BACKUP, env).returncode == 0
    names = sorted(p.name for p in backups.iterdir())
    assert old.name not in names and recent.name in names and "notes" in names
    assert len([n for n in names if n.startswith("pramen-") and n != recent.name]) == 1
