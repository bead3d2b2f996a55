"""The advance advisor's follow-up of a ZIS import: every supply point's projection again.

All of them, not only the rows the batch touched: the projection also moves with the calendar
(days measured, advances fallen due). It runs as tasks beside the warnings' (the supply points
in PRAMEN_ADVISOR_TASKS shares, one task each, so that two workers share the work), and the
import is not held up (`make bench`, docs/performance.md).
"""

from __future__ import annotations

import logging

from zis.models import SyncRun

logger = logging.getLogger(__name__)


def recompute_advance_projections(run: SyncRun) -> None:
    from portal.requests.tasks import queue_projections

    queue_projections()
    logger.info("Advance projections to be recomputed after ZIS import %s", run.pk)
