"""The database settings from a URL, with the options SQLite needs as Pramen's embedded default."""

from typing import Any

import dj_database_url

from .env import env_int

SQLITE_ENGINE = "django.db.backends.sqlite3"


def sqlite_options() -> dict[str, Any]:
    """How Pramen opens SQLite so that the web process and the task workers can share it.

    - WAL journal: readers go on while one connection writes (and a write does not wait for them);
    - IMMEDIATE transactions: a transaction takes the write lock when it begins, so concurrent
      writers queue instead of failing with "database is locked" when one of them upgrades its
      read lock in the middle of a transaction (SQLite cannot wait there, it gives up at once);
    - a busy timeout (SQLITE_BUSY_TIMEOUT seconds, 20 by default): how long a writer waits for the
      lock before it gives up.
    """
    return {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }


def database_from_url(url: str, conn_max_age: int = 0) -> dict[str, Any]:
    """`dj_database_url.parse`, plus `sqlite_options()` when the URL is a SQLite one."""
    database = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if database["ENGINE"] == SQLITE_ENGINE:
        database.setdefault("OPTIONS", {}).update(sqlite_options())
    return database
