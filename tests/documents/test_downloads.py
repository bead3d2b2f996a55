"""The download routes of the invoices section: headers, file names, the cache, and scoping."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from portal.documents import content, pdf
from portal.documents.http import ascii_filename, content_disposition
from portal.lib import generations
from portal.models import AdvanceSchedule, Invoice, Payment
from tests.factories.accounts import client_for
from tests.support.pages import sub
from zis.followups import after_import
from zis.models import SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(world, payments_model):
    invoices = world.invoices
    invoice = Invoice.objects.get(number="2025000001")
    paid = Payment.objects.get(zis_id="P-1")
    return {
        "invoice_pdf": sub(invoices, "invoice_pdf", invoice_pk=invoice.pk),
        "invoice_isdoc": sub(invoices, "invoice_isdoc", invoice_pk=invoice.pk),
        "schedule_pdf": sub(
            invoices, "schedule_pdf", schedule_pk=AdvanceSchedule.objects.get(zis_id="AS-1").pk
        ),
        "tax_document_pdf": sub(invoices, "tax_document_pdf", payment_pk=paid.pk),
        "tax_document_isdoc": sub(invoices, "tax_document_isdoc", payment_pk=paid.pk),
    }


@pytest.mark.parametrize(
    ("route", "content_type", "filename"),
    [
        ("invoice_pdf", "application/pdf", "faktura-2025000001.pdf"),
        ("invoice_isdoc", "application/xml", "faktura-2025000001.isdoc"),
        ("schedule_pdf", "application/pdf", "platebni-kalendar-AS-1.pdf"),
        ("tax_document_pdf", "application/pdf", "danovy-doklad-ZD{year}000001.pdf"),
        ("tax_document_isdoc", "application/xml", "danovy-doklad-ZD{year}000001.isdoc"),
    ],
)
def test_a_customer_downloads_a_document(urls, customer, route, content_type, filename):
    filename = filename.format(year=timezone.localdate().year)
    response = client_for(customer).get(urls[route])
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response.content.startswith(b"%PDF-" if content_type == "application/pdf" else b"<?xml")
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize(
    "route",
    ["invoice_pdf", "invoice_isdoc", "schedule_pdf", "tax_document_pdf", "tax_document_isdoc"],
)
def test_another_customers_document_is_not_found(urls, business_customer, outsider, route):
    assert client_for(business_customer).get(urls[route]).status_code == 404
    assert client_for(outsider).get(urls[route]).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(urls, client):
    response = client.get(urls["invoice_pdf"])
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "prihlaseni" in response["Location"]


def test_a_rendered_pdf_is_reused_until_the_document_changes(urls, customer, document_cache):
    client = client_for(customer)
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        first = client.get(urls["invoice_pdf"]).content
        second = client.get(urls["invoice_pdf"]).content
        assert render.call_count == 1
        assert second == first
        stored = list(document_cache.rglob("*.pdf"))
        assert len(stored) == 1

        invoice = Invoice.objects.get(number="2025000001")
        Payment.objects.create(
            zis_id="P-extra",
            zis_updated_at=invoice.zis_updated_at,
            customer=invoice.customer,
            received_on=invoice.due_on,
            amount=-1,
            method=Payment.Method.TRANSFER,
            invoice=invoice,
        )
        # Documents change with the data ZIS sends: the same PDF until the import's follow-ups
        # start a new data generation.
        assert client.get(urls["invoice_pdf"]).content == first
        assert render.call_count == 1
        after_import(SimpleNamespace(pk=1, status=SyncRun.Status.SUCCEEDED))

        third = client.get(urls["invoice_pdf"]).content
        assert render.call_count == 2
        assert third != first
        assert list(document_cache.rglob("*.pdf")) != stored  # the old version is gone
        assert len(list(document_cache.rglob("*.pdf"))) == 1


def test_a_change_of_the_utilitys_identity_renders_again(urls, customer, utility):
    client = client_for(customer)
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        client.get(urls["schedule_pdf"])
        utility.phone = "+420 466 999 999"
        utility.save()
        client.get(urls["schedule_pdf"])
        client.get(urls["schedule_pdf"])
    assert render.call_count == 2


def test_a_payment_of_an_invoice_has_no_tax_document(world, customer, payments_model):
    refund = Payment.objects.get(zis_id="P-4")
    client = client_for(customer)
    response = client.get(sub(world.invoices, "tax_document_pdf", payment_pk=refund.pk))
    assert response.status_code == 302
    assert response["Location"] == sub(world.invoices, "payments")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Tato platba nemá vlastní daňový doklad: buď uhradila fakturu, nebo je daňovým "
        "dokladem pro zálohy platební kalendář."
    ]


def test_the_pages_offer_the_downloads(world, urls, customer):
    client = client_for(customer)
    invoice = Invoice.objects.get(number="2025000001")
    detail = client.get(sub(world.invoices, "invoice", invoice_pk=invoice.pk)).content.decode()
    assert f'href="{urls["invoice_pdf"]}"' in detail
    assert f'href="{urls["invoice_isdoc"]}"' in detail
    assert "Stáhnout fakturu (PDF)" in detail
    advances = client.get(sub(world.invoices, "advances")).content.decode()
    assert f'href="{urls["schedule_pdf"]}"' in advances
    client.get(urls["tax_document_pdf"])  # issued (the periodic task would have done it)
    payments = client.get(sub(world.invoices, "payments")).content.decode()
    assert f'href="{urls["tax_document_pdf"]}"' in payments
    refund = Payment.objects.get(zis_id="P-4")
    assert sub(world.invoices, "tax_document_pdf", payment_pk=refund.pk) not in payments


def test_file_names_are_ascii_with_the_exact_name_in_rfc_5987():
    assert ascii_filename("faktura-2025/01 č.pdf") == "faktura-2025-01-c.pdf"
    assert content_disposition("faktura-2025000001.pdf") == (
        'attachment; filename="faktura-2025000001.pdf"'
    )
    assert content_disposition("daňový doklad.pdf") == (
        "attachment; filename=\"danovy-doklad.pdf\"; filename*=UTF-8''da%C5%88ov%C3%BD%20doklad.pdf"
    )


def test_rendering_loads_only_the_projects_static_files():
    fetcher = pdf.local_fetcher()
    css = pdf.static_root() / "css" / "pdf.css"
    assert fetcher.fetch(css.resolve().as_uri()).read().startswith(b"/* Printed documents")
    for url in (
        "https://example.com/logo.png",
        "http://127.0.0.1/",
        "file:///etc/passwd",
        (pdf.static_root() / ".." / ".." / "README.md").resolve().as_uri(),
    ):
        with pytest.raises(ValueError, match=r"no remote resources|Not a static file"):
            fetcher.fetch(url)


def test_a_cached_download_takes_a_few_queries_whatever_the_readings(
    world, urls, customer, django_assert_max_num_queries
):
    from portal.models import Meter, Reading

    client = client_for(customer)
    client.get(urls["invoice_pdf"])  # rendered and stored
    meter = Meter.objects.get(serial_number="DI-24-000117")
    first = Reading.objects.filter(meter=meter).first()
    Reading.objects.bulk_create(
        Reading(
            zis_id=f"R-daily-{day}", zis_updated_at=first.zis_updated_at, meter=meter,
            date=first.date + dt.timedelta(days=day),
            value=first.value + day, kind=Reading.Kind.REMOTE,
        )
        for day in range(1, 150)
    )  # fmt: skip
    # 11 for Wagtail's routing, the session and the linked customers; 9 for the document
    # (utility, invoice, payments, meters with their opening and closing readings, lines, VAT,
    # the advance payments without a tax document, the advance payments deducted, their VAT)
    with django_assert_max_num_queries(20):
        response = client.get(urls["invoice_pdf"])
    assert response.status_code == 200


def test_new_templates_render_the_documents_again(urls, customer):
    client = client_for(customer)
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        client.get(urls["tax_document_pdf"])
        with mock.patch.object(pdf, "template_version", return_value="a-new-design"):
            client.get(urls["tax_document_pdf"])
            client.get(urls["tax_document_pdf"])
    assert render.call_count == 2


def test_a_stored_pdf_is_served_without_building_the_document_again(
    urls, customer, django_assert_max_num_queries
):
    """In one data generation a download checks the user's right to the document and reads
    the stored file: the document (lines, payments, VAT) is not built again."""
    client = client_for(customer)
    first = client.get(urls["invoice_pdf"]).content
    with (
        mock.patch.object(content, "build_invoice", wraps=content.build_invoice) as build,
        django_assert_max_num_queries(3),  # the user, the invoice through the user's customers
    ):
        again = client.get(urls["invoice_pdf"])
    assert again.status_code == 200 and again.content == first
    assert build.call_count == 0


def test_a_new_generation_keeps_the_file_of_an_unchanged_document(urls, customer):
    client = client_for(customer)
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        first = client.get(urls["schedule_pdf"]).content
        generations.bump()  # an import that changed nothing of this calendar
        assert client.get(urls["schedule_pdf"]).content == first
    assert render.call_count == 1


def test_another_customers_stored_pdf_stays_a_404(urls, customer, business_customer):
    client_for(customer).get(urls["invoice_pdf"])  # stored and known in this generation
    assert client_for(business_customer).get(urls["invoice_pdf"]).status_code == 404


@pytest.mark.parametrize("route", ["invoice_isdoc", "tax_document_isdoc"])
def test_an_isdoc_export_is_kept_for_the_data_generation(urls, customer, route):
    """In one data generation an ISDOC download checks the user's right and reads the export
    kept: the document is not built again; a new generation (an import) builds it again."""
    client = client_for(customer)
    client.get(urls[route])  # a first download may issue tax documents: a new generation
    first = client.get(urls[route]).content
    builder = "build_invoice" if route == "invoice_isdoc" else "build_tax_document"
    with mock.patch.object(content, builder, wraps=getattr(content, builder)) as build:
        assert client.get(urls[route]).content == first
        assert build.call_count == 0
        generations.bump()
        assert client.get(urls[route]).content == first
        assert build.call_count == 1


def test_another_customers_kept_isdoc_stays_a_404(urls, customer, business_customer):
    client_for(customer).get(urls["invoice_isdoc"])  # kept in this generation
    assert client_for(business_customer).get(urls["invoice_isdoc"]).status_code == 404


def test_a_kept_isdoc_shows_what_a_new_import_changed(urls, customer):
    client = client_for(customer)
    assert b"<IssueDate>2025-01-08</IssueDate>" in client.get(urls["invoice_isdoc"]).content
    Invoice.objects.filter(number="2025000001").update(issued_on=dt.date(2025, 1, 9))  # imported
    assert b"<IssueDate>2025-01-08</IssueDate>" in client.get(urls["invoice_isdoc"]).content
    after_import(SimpleNamespace(pk=1, status=SyncRun.Status.SUCCEEDED))  # a new generation
    assert b"<IssueDate>2025-01-09</IssueDate>" in client.get(urls["invoice_isdoc"]).content


def test_a_tax_document_issued_meanwhile_starts_a_new_data_generation(urls, customer, utility):
    before = generations.current()
    client_for(customer).get(urls["tax_document_pdf"])  # issues the payment's document
    assert generations.current() != before
    again = generations.current()
    client_for(customer).get(urls["tax_document_pdf"])  # issued already
    assert generations.current() == again
