"""Huey tasks of the documents. Thin: they call `portal.documents.issuing`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from portal.billing.services.settlement import PAYMENTS, default_utility, vat_model

from . import issuing


@db_periodic_task(crontab(minute="*/10"))
@lock_task("issue-tax-documents")
def issue_tax_documents_task() -> int:
    """Every ten minutes: issue the tax documents of advance payments received since (only when
    each received payment gets its own tax document), well within the 15 days the law allows."""
    if vat_model() != PAYMENTS:
        return 0
    return issuing.issue_pending(default_utility().tax_document_prefix)
