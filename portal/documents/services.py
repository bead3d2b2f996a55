"""The documents a customer downloads: each looked up through the user (404 for anyone else),
built, rendered or taken from the cache, and named.

Documents are Czech whatever the interface language (see `content.py`), so they are built with
Czech active.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.utils import translation

from cms_pages.models import UtilitySettings
from portal.billing.models.invoices import AdvanceSchedule, Invoice, Payment
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


def _pdf(kind: str, pk: int, build: Any, template: str) -> DocumentFile:
    content, filename = cache.pdf_of(kind, pk, build, template)
    return DocumentFile(content, f"{filename}.pdf", PDF)


def _isdoc(kind: str, pk: int, build: Any, export: Any) -> DocumentFile:
    xml, filename = cache.export_of(kind, pk, "isdoc", build, export)
    return DocumentFile(xml, f"{filename}.isdoc", ISDOC)


def build_invoice_document(
    user: Any, invoice_pk: int, utility: UtilitySettings
) -> content.InvoiceDocument:
    return _invoice(user, billing.get_invoice_for_user(user, invoice_pk), utility)


def _invoice(user: Any, invoice: Any, utility: UtilitySettings) -> content.InvoiceDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_invoice(user, invoice, utility)


def build_schedule_document(
    user: Any, schedule_pk: int, utility: UtilitySettings
) -> content.ScheduleDocument:
    return _schedule(user, content.get_schedule_for_user(user, schedule_pk), utility)


def _schedule(user: Any, schedule: Any, utility: UtilitySettings) -> content.ScheduleDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_schedule(user, schedule, utility)


def build_tax_document(user: Any, payment_pk: int, utility: UtilitySettings) -> content.TaxDocument:
    """Raises DocumentNotIssued when the payment has no tax document (see content)."""
    return _tax_document(user, content.get_payment_for_user(user, payment_pk), utility)


def _tax_document(user: Any, payment: Any, utility: UtilitySettings) -> content.TaxDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        return content.build_tax_document(user, payment, utility)


# The PDFs and ISDOC exports: the user's right to the document is checked first (one query,
# 404 for anyone else's); the document is built only when no PDF or export of it is known in
# this data generation.


def _owned(model: type[Model], user: Any, pk: int) -> int:
    """`pk` when the row belongs to one of the user's customers (404 otherwise): a query of
    the key alone, since a stored PDF needs nothing else of the row and building the full
    query with its joined rows cost more CPU than serving the file."""
    if not model.objects.for_user(user).filter(pk=pk).values_list("pk", flat=True).exists():
        raise Http404
    return pk


def render_invoice_pdf(user: Any, invoice_pk: int, utility: UtilitySettings) -> DocumentFile:
    pk = _owned(Invoice, user, invoice_pk)
    build = lambda: _invoice(user, billing.get_invoice_for_user(user, pk), utility)  # noqa: E731
    return _pdf(content.InvoiceDocument.kind, pk, build, INVOICE_TEMPLATE)


def render_schedule_pdf(user: Any, schedule_pk: int, utility: UtilitySettings) -> DocumentFile:
    pk = _owned(AdvanceSchedule, user, schedule_pk)
    build = lambda: _schedule(user, content.get_schedule_for_user(user, pk), utility)  # noqa: E731
    return _pdf(content.ScheduleDocument.kind, pk, build, SCHEDULE_TEMPLATE)


def render_tax_document_pdf(user: Any, payment_pk: int, utility: UtilitySettings) -> DocumentFile:
    pk = _owned(Payment, user, payment_pk)
    build = lambda: build_tax_document(user, pk, utility)  # noqa: E731
    return _pdf(content.TaxDocument.kind, pk, build, TAX_DOCUMENT_TEMPLATE)


def export_invoice_isdoc(user: Any, invoice_pk: int, utility: UtilitySettings) -> DocumentFile:
    pk = _owned(Invoice, user, invoice_pk)
    build = lambda: build_invoice_document(user, pk, utility)  # noqa: E731
    return _isdoc(content.InvoiceDocument.kind, pk, build, isdoc.invoice_isdoc)


def export_tax_document_isdoc(user: Any, payment_pk: int, utility: UtilitySettings) -> DocumentFile:
    pk = _owned(Payment, user, payment_pk)
    build = lambda: build_tax_document(user, pk, utility)  # noqa: E731
    return _isdoc(content.TaxDocument.kind, pk, build, isdoc.tax_document_isdoc)
