"""Tax documents for received advance payments (the utility's "payments" VAT model): one per
payment, numbered once in the utility's series (or by ZIS), DUZP = the payment day, the rate in
force on that day, issued-on = the day it was first issued, never changed afterwards.

Advance A-1-01 (800 Kč, due 15. 1. 2025) of Jana Nováková was paid on 14. 1. 2025 (payment P-1).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from portal.documents import issuing, services
from portal.models import Advance, Invoice, Payment, TaxDocument, TaxDocumentSeries

from .conftest import first_page_png, is_blank, pdf_text

pytestmark = pytest.mark.django_db


def render(user, zis_id: str, utility) -> bytes:
    payment = Payment.objects.get(zis_id=zis_id)
    return services.render_tax_document_pdf(user, payment.pk, utility).content


def second_payment(first: Payment, day: int, amount: str, method=Payment.Method.CARD) -> Payment:
    return Payment.objects.create(
        zis_id=f"{first.zis_id}-{day}",
        zis_updated_at=first.zis_updated_at,
        customer=first.customer,
        received_on=first.received_on.replace(day=day),
        amount=Decimal(amount),
        method=method,
        variable_symbol=first.variable_symbol,
        advance=first.advance,
    )


def test_the_tax_document_of_a_received_payment(world, customer, payments_model, tmp_path):
    text = pdf_text(render(customer, "P-1", payments_model), tmp_path)
    year = timezone.localdate().year
    number = f"ZD{year}000001"
    for item in [
        "Daňový doklad k přijaté platbě",
        f"č. {number}",
        "Vodárna Testov, a.s.",
        "IČO 25596641",
        "DIČ CZ25596641",
        "Odběratel",
        "Jana Nováková",
        "Číslo odběratele 100001",
        f"Číslo dokladu {number}",
        f"Vystaveno {timezone.localdate().day}. {timezone.localdate().month}. {year}",
        "DUZP (den přijetí platby) 14. 1. 2025",
        "Variabilní symbol 1000010001",
        "Předmět plnění Záloha na vodné a stočné splatná 15. 1. 2025",
        "Výše zálohy 800,00 Kč",
        "12 % 714,29 Kč 85,71 Kč 800,00 Kč",
        "Přijato 800,00 Kč",
    ]:
        assert item in text, item
    stored = TaxDocument.objects.get()
    assert (stored.number, stored.tax_point_on) == (number, dt.date(2025, 1, 14))
    assert (stored.base, stored.vat, stored.total) == (
        Decimal("714.29"),
        Decimal("85.71"),
        Decimal("800.00"),
    )


def test_two_payments_of_one_advance_get_two_documents_with_two_numbers(
    world, customer, payments_model, tmp_path
):
    first = Payment.objects.get(zis_id="P-1")
    Payment.objects.filter(pk=first.pk).update(amount=Decimal("500.00"))
    second = second_payment(first, 20, "300.00")
    one = pdf_text(render(customer, "P-1", payments_model), tmp_path)
    two = pdf_text(render(customer, second.zis_id, payments_model), tmp_path)
    year = timezone.localdate().year
    assert f"č. ZD{year}000001" in one
    assert "DUZP (den přijetí platby) 14. 1. 2025" in one
    assert "12 % 446,43 Kč 53,57 Kč 500,00 Kč" in one
    assert f"č. ZD{year}000002" in two
    assert "DUZP (den přijetí platby) 20. 1. 2025" in two
    assert "12 % 267,86 Kč 32,14 Kč 300,00 Kč" in two
    assert "platební karta" in two


def test_a_late_payment_takes_the_rate_in_force_on_the_payment_day(world, customer, utility):
    """An advance due 15. 12. 2023 (10 %) paid on 13. 1. 2024 is taxed at 12 %."""
    advance = Advance.objects.get(zis_id="A-1-01")
    Advance.objects.filter(pk=advance.pk).update(due_on=dt.date(2023, 12, 15), vat_rate=Decimal(10))
    payment = Payment.objects.get(zis_id="P-1")
    Payment.objects.filter(pk=payment.pk).update(received_on=dt.date(2024, 1, 13))
    document = issuing.issue(Payment.objects.get(pk=payment.pk), "ZD", dt.date(2024, 1, 20))
    assert document.tax_point_on == dt.date(2024, 1, 13)
    assert document.vat_rate == Decimal(12)
    assert (document.base, document.vat) == (Decimal("714.29"), Decimal("85.71"))
    assert document.number == "ZD2024000001"


def test_a_payment_before_may_2020_is_taxed_at_15_percent(world, customer):
    payment = Payment.objects.get(zis_id="P-1")
    Payment.objects.filter(pk=payment.pk).update(received_on=dt.date(2020, 4, 30))
    document = issuing.issue(Payment.objects.get(pk=payment.pk), "ZD", dt.date(2020, 5, 2))
    assert document.vat_rate == Decimal(15)
    assert document.vat == Decimal("104.35")  # 800 × 15 / 115


def test_a_document_is_numbered_once_and_never_changed(world, customer, payments_model):
    payment = Payment.objects.get(zis_id="P-1")
    issued = issuing.issue(payment, "ZD", dt.date(2025, 1, 16))
    Payment.objects.filter(pk=payment.pk).update(
        amount=Decimal("1.00"), zis_updated_at=timezone.now()
    )
    payments_model.tax_document_prefix = "XY"
    payments_model.save()
    again = services.build_tax_document(customer, payment.pk, payments_model)
    assert (again.number, again.issued_on) == (issued.number, dt.date(2025, 1, 16))
    assert again.split.total == Decimal("800.00")
    assert TaxDocument.objects.count() == 1


def test_zis_numbers_the_document_when_the_batch_carries_a_number(world, customer, payments_model):
    Payment.objects.filter(zis_id="P-1").update(zis_tax_document_number="ZDZ-2025-0042")
    document = services.build_tax_document(
        customer, Payment.objects.get(zis_id="P-1").pk, payments_model
    )
    assert document.number == "ZDZ-2025-0042"
    assert TaxDocument.objects.get().numbered_by == "zis"
    assert not TaxDocumentSeries.objects.exists()  # the portal's series is untouched


def test_a_rolled_back_issue_leaves_no_gap_in_the_series(world):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        assert issuing.next_number("ZD", 2025) == "ZD2025000001"
        raise Boom
    assert issuing.next_number("ZD", 2025) == "ZD2025000001"
    assert issuing.next_number("ZD", 2025) == "ZD2025000002"
    assert issuing.next_number("ZD", 2026) == "ZD2026000001"


def test_a_payment_received_after_the_invoice_of_its_period_gets_no_document(
    world, customer, payments_model
):
    """Paid on 14. 1. 2025, but the invoice for January 2025 was issued on 10. 1."""
    payment = Payment.objects.get(zis_id="P-1")
    Invoice.objects.filter(number="2025000001").update(
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31)
    )
    Invoice.objects.filter(number="2025000001").update(issued_on=dt.date(2025, 1, 10))
    with pytest.raises(services.DocumentNotIssued):
        services.build_tax_document(customer, payment.pk, payments_model)
    assert issuing.issue_pending("ZD") == 0


def test_the_periodic_issue_takes_every_advance_payment_once(world, payments_model):
    first = Payment.objects.get(zis_id="P-1")
    second_payment(first, 20, "300.00")
    assert issuing.issue_pending("ZD", dt.date(2025, 1, 21)) == 2
    assert issuing.issue_pending("ZD", dt.date(2025, 1, 22)) == 0
    assert sorted(TaxDocument.objects.values_list("number", flat=True)) == [
        "ZD2025000001",
        "ZD2025000002",
    ]


def test_with_the_calendar_as_tax_document_no_payment_gets_one(world, customer, calendar_model):
    with pytest.raises(services.DocumentNotIssued):
        render(customer, "P-1", calendar_model)
    assert not TaxDocument.objects.exists()


def test_a_payment_of_an_invoice_has_no_tax_document(world, customer, payments_model):
    with pytest.raises(services.DocumentNotIssued):
        render(customer, "P-4", payments_model)


def test_another_customers_payment_is_not_found(world, business_customer, payments_model):
    with pytest.raises(Http404):
        render(business_customer, "P-1", payments_model)


def test_the_first_page_is_written_as_png_for_review(world, customer, payments_model, tmp_path):
    png = first_page_png(render(customer, "P-1", payments_model), "tax-document", tmp_path)
    assert not is_blank(png)


def test_documents_are_czech_whatever_the_interface_language(
    world, customer, payments_model, tmp_path
):
    with translation.override("en"):
        text = pdf_text(render(customer, "P-1", payments_model), tmp_path)
    assert "Daňový doklad k přijaté platbě" in text
    assert "Přijato 800,00 Kč" in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issuers_at_the_same_moment_take_different_numbers_without_gaps():
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the sequential case is tested above")
    issuers = 4
    barrier = threading.Barrier(issuers)
    numbers: list[str] = []

    def take() -> None:
        barrier.wait()
        try:
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(issuing.next_number("ZD", 2025))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(issuers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [f"ZD2025{n:06d}" for n in range(1, 21)]


def test_an_issued_document_stays_available_whatever_changes_later(
    world, customer, payments_model, tmp_path
):
    payment = Payment.objects.get(zis_id="P-1")
    number = services.build_tax_document(customer, payment.pk, payments_model).number
    Payment.objects.filter(pk=payment.pk).update(advance=None)  # ZIS matched it elsewhere
    payments_model.advance_tax_documents = "calendar"  # and the utility changed its model
    payments_model.save()
    text = pdf_text(render(customer, "P-1", payments_model), tmp_path)
    assert f"č. {number}" in text
    assert "Předmět plnění Záloha na vodné a stočné" in text
    assert "12 % 714,29 Kč 85,71 Kč 800,00 Kč" in text
