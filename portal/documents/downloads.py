"""Answers of the invoices section's document routes (`InvoicesPage`): thin wrappers that take
the utility's identity from the request's site, call a service and answer a download."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from cms_pages.templatetags.pramen_tags import utility_for_request

from . import services
from .http import download_response

Export = Callable[..., services.DocumentFile]


def _download(document: services.DocumentFile) -> HttpResponse:
    return download_response(document.content, document.filename, document.content_type)


def invoice_pdf(request: HttpRequest, invoice_pk: int) -> HttpResponse:
    utility = utility_for_request(request)
    return _download(services.render_invoice_pdf(request.user, invoice_pk, utility))


def invoice_isdoc(request: HttpRequest, invoice_pk: int) -> HttpResponse:
    utility = utility_for_request(request)
    return _download(services.export_invoice_isdoc(request.user, invoice_pk, utility))


def schedule_pdf(request: HttpRequest, schedule_pk: int) -> HttpResponse:
    utility = utility_for_request(request)
    return _download(services.render_schedule_pdf(request.user, schedule_pk, utility))


def tax_document(
    request: HttpRequest, payment_pk: int, *, isdoc: bool, payments_url: str
) -> HttpResponse:
    """The tax document of a received advance payment (PDF or ISDOC). A payment of the user's
    that has none (not an advance payment, or the utility's payment calendar is the tax
    document): back to the payments, told why (anyone else's payment is a 404)."""
    utility = utility_for_request(request)
    export: Export = (
        services.export_tax_document_isdoc if isdoc else services.render_tax_document_pdf
    )
    try:
        return _download(export(request.user, payment_pk, utility))
    except services.DocumentNotIssued:
        messages.info(
            request,
            _(
                "This payment has no tax document of its own: either it paid an invoice, or "
                "the payment calendar is the tax document for the advances."
            ),
        )
        return HttpResponseRedirect(payments_url)
