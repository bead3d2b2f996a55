"""What follows a succeeded import: each portal feature recomputes what depends on the new data.

`import_batch` calls `after_import` once the batch's transaction has committed. A follow-up that
fails is logged and never turns the applied import into a failed one: the data is in, and the
next import (or the feature's own task) recomputes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from zis.models import SyncRun

logger = logging.getLogger(__name__)


def followups() -> list[Callable[[SyncRun], None]]:
    """The features' follow-ups, in the order they run (each takes the succeeded sync run)."""
    from portal.insights.tasks import warnings_after_import
    from portal.notices.services import refresh_affected
    from zis.advisor_followup import recompute_advance_projections

    return [
        new_data_generation,
        refresh_affected,
        recompute_advance_projections,
        warnings_after_import,
        send_einvoices,
    ]


def send_einvoices(run: SyncRun) -> None:
    """E-mail the invoices and payment calendars of this import to those who chose e-invoices
    (a task: rendering PDFs must not hold up the import)."""
    from portal.mailings.tasks import send_einvoices_task

    send_einvoices_task()


def new_data_generation(run: SyncRun) -> None:
    """Start a new data generation: documents and pages derived from the old data are made
    again from the new (see portal.lib.generations)."""
    from portal.lib import generations

    generations.bump()


def after_import(run: SyncRun) -> None:
    if run.status != SyncRun.Status.SUCCEEDED:
        return
    for followup in followups():
        try:
            followup(run)
        except Exception:  # a follow-up never fails the applied import; see the module
            logger.exception("A follow-up of ZIS import %s failed: %s", run.pk, followup.__name__)
