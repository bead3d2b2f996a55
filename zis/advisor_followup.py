"""The advance advisor's follow-up of a ZIS import: every supply point's projection again.

All of them, not only the rows the batch touched: the projection also moves with the calendar
(days measured, advances fallen due). It runs as a task beside the warnings', so the import is
not held up; a regional utility's 100,000 supply points take under a minute (`make bench`,
docs/performance.md).
"""

from __future__ import annotations

import logging

from zis.models import SyncRun

logger = logging.getLogger(__name__)


def recompute_advance_projections(run: SyncRun) -> None:
    from portal.requests.tasks import recompute_projections_task

    recompute_projections_task()
    logger.info("Advance projections to be recomputed after ZIS import %s", run.pk)
