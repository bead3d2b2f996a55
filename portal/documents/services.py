"""The documents a customer downloads: each looked up through the user (404 for anyone else),
built, rendered or taken from the cache, and named.

Documents are Czech whatever the interface language (see `content.py`), so they are built with
Czech active.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from cms_pages.models import UtilitySettings
from portal.billing.services import invoices as billing

from . import cache, content, isdoc
from .http import ISDOC, PDF
from .pdf import DOCUMENT_LANGUAGE

INVOICE_TEMPLATE = "invoice.html"
SCHEDULE_TEMPLATE = "advance_schedule.html"
TAX_DOCUMENT_TEMPLATE = "tax_document.html"

DocumentNotIssued = content.DocumentNotIssued


@dataclass(frozen=True)
class DocumentFile:
    content: bytes
    filename: str
    content_type: str


def _pdf(document: Any, template: str) -> DocumentFile:
    return DocumentFile(
        cache.get_or_render_pdf(document, template), f"{document.filename}.pdf", PDF
    )


def _isdoc(document: Any, xml: bytes) -> DocumentFile:
    return DocumentFile(xml, f"{document.filename}.isdoc", ISDOC)


def build_invoice_document(
    user: Any, invoice_pk: int, utility: UtilitySettings
) -> content.InvoiceDocument:
    invoice = billing.get_invoice_for_user(user, invoice_pk)
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_invoice(user, invoice, utility)


def build_schedule_document(
    user: Any, schedule_pk: int, utility: UtilitySettings
) -> content.ScheduleDocument:
    schedule = content.get_schedule_for_user(user, schedule_pk)
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_schedule(user, schedule, utility)


def build_tax_document(user: Any, payment_pk: int, utility: UtilitySettings) -> content.TaxDocument:
    """Raises DocumentNotIssued when the payment has no tax document (see content)."""
    payment = content.get_payment_for_user(user, payment_pk)
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_tax_document(user, payment, utility)


def render_invoice_pdf(user: Any, invoice_pk: int, utility: UtilitySettings) -> DocumentFile:
    return _pdf(build_invoice_document(user, invoice_pk, utility), INVOICE_TEMPLATE)


def render_schedule_pdf(user: Any, schedule_pk: int, utility: UtilitySettings) -> DocumentFile:
    return _pdf(build_schedule_document(user, schedule_pk, utility), SCHEDULE_TEMPLATE)


def render_tax_document_pdf(user: Any, payment_pk: int, utility: UtilitySettings) -> DocumentFile:
    return _pdf(build_tax_document(user, payment_pk, utility), TAX_DOCUMENT_TEMPLATE)


def export_invoice_isdoc(user: Any, invoice_pk: int, utility: UtilitySettings) -> DocumentFile:
    document = build_invoice_document(user, invoice_pk, utility)
    return _isdoc(document, isdoc.invoice_isdoc(document))


def export_tax_document_isdoc(user: Any, payment_pk: int, utility: UtilitySettings) -> DocumentFile:
    document = build_tax_document(user, payment_pk, utility)
    return _isdoc(document, isdoc.tax_document_isdoc(document))
