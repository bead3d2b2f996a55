"""Huey task of the insights: recompute the warnings after each ZIS import (thin; see
`portal.insights.warnings`)."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task, lock_task

from . import warnings


@db_task(retries=2, retry_delay=120)
def compute_warnings_task() -> dict[str, int]:
    """Recompute every supply point's warnings and queue the e-mails of new episodes; two
    imports in quick succession never compute at the same time (the second waits for retry)."""
    with lock_task("insights-compute-warnings"):
        outcome = warnings.compute_warnings()
    return outcome.__dict__


def warnings_after_import(run: Any) -> None:
    """The ZIS import's follow-up: the warnings depend on the new readings and daily volumes."""
    compute_warnings_task()
