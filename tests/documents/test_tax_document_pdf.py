"""The tax document for a received advance payment: the payment date as DUZP, tax base and VAT
computed from the amount received at the advance's rate, and the parties' ids.

Advance A-1-01 (800 Kč, 12 %) of Jana Nováková was paid on 14. 1. 2025 (payment P-1).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from portal.documents import services
from portal.models import Advance, Payment

from .conftest import first_page_png, is_blank, pdf_text

pytestmark = pytest.mark.django_db


def render(user, zis_id: str, utility) -> bytes:
    advance = Advance.objects.get(zis_id=zis_id)
    return services.render_tax_document_pdf(user, advance.pk, utility).content


def test_the_tax_document_of_a_paid_advance(world, customer, utility, tmp_path):
    text = pdf_text(render(customer, "A-1-01", utility), tmp_path)
    for item in [
        "Daňový doklad k přijaté platbě",
        "č. ZD-A-1-01",
        "Dodavatel",
        "Vodárna Testov, a.s.",
        "IČO 25596641",
        "DIČ CZ25596641",
        "Odběratel",
        "Jana Nováková",
        "Číslo odběratele 100001",
        "Číslo dokladu ZD-A-1-01",
        "Vystaveno 14. 1. 2025",
        "DUZP (den přijetí platby) 14. 1. 2025",
        "Variabilní symbol 1000010001",
        "Předmět plnění Záloha na vodné a stočné splatná 15. 1. 2025",
        "Výše zálohy 800,00 Kč",
        "OM-000001",
        "14. 1. 2025 bankovní převod 714,29 Kč 12 % 85,71 Kč 800,00 Kč",
        "12 % 714,29 Kč 85,71 Kč 800,00 Kč",
        "Základ daně celkem 714,29 Kč",
        "DPH celkem 85,71 Kč",
        "Přijato celkem 800,00 Kč",
    ]:
        assert item in text, item


def test_the_rate_comes_from_the_advance(world, customer, utility, tmp_path):
    Advance.objects.filter(zis_id="A-1-01").update(vat_rate=Decimal("21"))
    text = pdf_text(render(customer, "A-1-01", utility), tmp_path)
    assert "21 % 661,16 Kč 138,84 Kč 800,00 Kč" in text


def test_a_second_payment_of_the_advance_is_listed_with_its_own_date(
    world, customer, utility, tmp_path
):
    first = Payment.objects.get(zis_id="P-1")
    Payment.objects.filter(pk=first.pk).update(amount=Decimal("500.00"))
    Payment.objects.create(
        zis_id="P-1b",
        zis_updated_at=first.zis_updated_at,
        customer=first.customer,
        received_on=first.received_on.replace(day=20),
        amount=Decimal("300.00"),
        method=Payment.Method.CARD,
        advance=first.advance,
    )
    text = pdf_text(render(customer, "A-1-01", utility), tmp_path)
    assert "14. 1. 2025 bankovní převod 446,43 Kč 12 % 53,57 Kč 500,00 Kč" in text
    assert "20. 1. 2025 platební karta 267,86 Kč 12 % 32,14 Kč 300,00 Kč" in text
    assert "DUZP (den přijetí platby) 20. 1. 2025" in text
    assert "Přijato celkem 800,00 Kč" in text


def test_an_unpaid_advance_has_no_tax_document(world, customer, utility):
    with pytest.raises(services.DocumentNotIssued):
        render(customer, "A-1-02", utility)


def test_another_customers_advance_is_not_found(world, business_customer, utility):
    with pytest.raises(Http404):
        render(business_customer, "A-1-01", utility)


def test_the_first_page_is_written_as_png_for_review(world, customer, utility, tmp_path):
    png = first_page_png(render(customer, "A-1-01", utility), "tax-document-ZD-A-1-01", tmp_path)
    assert not is_blank(png)


def test_documents_are_czech_whatever_the_interface_language(world, customer, utility, tmp_path):
    with translation.override("en"):
        text = pdf_text(render(customer, "A-1-01", utility), tmp_path)
    assert "Daňový doklad k přijaté platbě" in text
    assert "Přijato celkem 800,00 Kč" in text
