"""The advance advisor's follow-up of a ZIS import: every supply point's projection again.

All of them, not only the rows the batch touched: the projection also moves with the calendar
(days measured, advances fallen due), and recomputing everything stays within a minute for a
regional utility (`make bench`, docs/performance.md).
"""

from __future__ import annotations

import logging

from zis.models import SyncRun

logger = logging.getLogger(__name__)


def recompute_advance_projections(run: SyncRun) -> None:
    from portal.requests.services.advance_change import recompute_projections

    count = recompute_projections()
    logger.info("Advance projections recomputed after ZIS import %s: %d", run.pk, count)
