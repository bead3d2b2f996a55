"""SQLite as the embedded default: the web process and the task workers write at the same time.

The connections are opened with the options of `config.settings.database` (WAL journal, IMMEDIATE
transactions, busy timeout) on a file database, whatever database the rest of the suite uses.
Each writer reads a counter and writes it back increased, in one transaction, as a decision and
the e-mail task do with their rows: with SQLite's default (DEFERRED) transactions two such writers
fail with "database is locked" at once; with the settings all of them wait their turn and no
update is lost.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction

from config.settings.database import database_from_url

WRITERS = 6
ROUNDS = 10


@pytest.fixture
def file_sqlite(tmp_path, django_db_blocker):
    """The alias of a fresh SQLite file opened as Pramen opens it, with one counter row.

    Not the test database: the file is this test's own, so the blocker is lifted for it only.
    """
    alias = "concurrent_sqlite"
    configured = connections.configure_settings(
        {
            "default": {"ENGINE": "django.db.backends.dummy"},
            alias: database_from_url(f"sqlite:///{tmp_path / 'pramen.sqlite3'}"),
        }
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def _writer(alias: str, errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for _ in range(ROUNDS):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                (value,) = cursor.fetchone()
                time.sleep(0.002)  # the other writers start their transactions meanwhile
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except BaseException as error:  # reported by the test, with the thread's error
        errors.append(error)
    finally:
        connections[alias].close()


def test_the_sqlite_database_uses_the_wal_journal_and_immediate_transactions(file_sqlite):
    connection = connections[file_sqlite]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


def test_concurrent_writers_wait_for_each_other_and_lose_no_update(file_sqlite):
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=_writer, args=(file_sqlite, errors, start)) for _ in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with connections[file_sqlite].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == WRITERS * ROUNDS
