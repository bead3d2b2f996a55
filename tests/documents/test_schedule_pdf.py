"""The advance payment schedule PDF (§ 31a payment calendar): each advance's amount, tax base and
VAT, due date and variable symbol, and a QR Platba for each advance still to pay.

Schedule AS-1 of Jana Nováková (tests/fixtures/zis/batch_full_v1): three monthly advances of
800 Kč at 12 %, VS 1000010001; the first one was paid on 14. 1. 2025 (payment P-1).
"""

from __future__ import annotations

import pytest

from portal.documents import services
from portal.models import AdvanceSchedule, SupplyPoint

from .conftest import first_page_png, is_blank, pdf_page_text, pdf_text, qr_codes

pytestmark = pytest.mark.django_db

ACCOUNT = "SPD*1.0*ACC:CZ6508000000192000145399"


def render(user, utility) -> bytes:
    schedule = AdvanceSchedule.objects.get(zis_id="AS-1")
    return services.render_schedule_pdf(user, schedule.pk, utility).content


def test_the_calendar_lists_every_advance_with_its_tax_figures(world, customer, utility, tmp_path):
    text = pdf_text(render(customer, utility), tmp_path)
    for item in [
        "Platební kalendář – daňový doklad",
        "č. AS-1",
        "Dodavatel",
        "IČO 25596641",
        "DIČ CZ25596641",
        "Jana Nováková",
        "Číslo odběratele 100001",
        "Číslo dokladu AS-1",
        "Platnost 1. 1. 2025 – 31. 12. 2025",
        "Variabilní symbol 1000010001",
        "Předmět plnění Zálohy na vodné a stočné",
        "OM-000001",
        "Splatnost Základ daně Sazba DPH DPH Částka Variabilní symbol",
        # each advance: due date, base, rate, VAT, amount, VS; the paid one is marked
        "15. 1. 2025 714,29 Kč 12 % 85,71 Kč 800,00 Kč 1000010001 Uhrazeno",
        "15. 2. 2025 714,29 Kč 12 % 85,71 Kč 800,00 Kč 1000010001 QR platba",
        "15. 3. 2025 714,29 Kč 12 % 85,71 Kč 800,00 Kč 1000010001 QR platba",
        "Celkem 2 400,00 Kč",
        "12 % 2 142,87 Kč 257,13 Kč 2 400,00 Kč",
        "§ 31a zákona o DPH",
        "Jiný daňový doklad se k zálohám nevystavuje.",
    ]:
        assert item in text, item
    assert "není daňovým dokladem" not in text


def test_with_a_tax_document_per_payment_the_calendar_says_it_is_none(
    world, customer, payments_model, tmp_path
):
    text = pdf_text(render(customer, payments_model), tmp_path)
    assert "Platební kalendář č. AS-1" in text
    assert "Tento platební kalendář není daňovým dokladem." in text
    assert "§ 31a" not in text


def test_a_sipo_payer_gets_no_qr_codes_but_the_sipo_number(world, customer, utility, tmp_path):
    SupplyPoint.objects.filter(number="OM-000001").update(
        payment_method="sipo", sipo_number="1234567890"
    )
    content = render(customer, utility)
    text = pdf_text(content, tmp_path)
    assert "spojovací číslo SIPO 1234567890" in text
    assert "Zálohy hradíte přes SIPO (spojovací číslo 1234567890)" in text
    assert "15. 2. 2025 714,29 Kč 12 % 85,71 Kč 800,00 Kč 1000010001 hradíte přes SIPO" in text
    assert "QR platba" not in text
    assert "IBAN" not in text.split("Odběrné místo", 1)[1]
    assert qr_codes(content, tmp_path) == []


def test_each_unpaid_advance_has_its_own_qr_payment(world, customer, utility, tmp_path):
    content = render(customer, utility)
    assert sorted(qr_codes(content, tmp_path)) == [
        f"{ACCOUNT}*AM:800.00*CC:CZK*MSG:Zaloha 15.02.2025, OM OM-000001*X-VS:1000010001",
        f"{ACCOUNT}*AM:800.00*CC:CZK*MSG:Zaloha 15.03.2025, OM OM-000001*X-VS:1000010001",
    ]
    assert "strana 1 z 1" in pdf_page_text(content, tmp_path)


def test_the_first_page_is_written_as_png_for_review(world, customer, utility, tmp_path):
    png = first_page_png(render(customer, utility), "advance-schedule-AS-1", tmp_path)
    assert not is_blank(png)
