"""One QR Platba for everything the customer pays by bank transfer, on the invoices page and the
dashboard; nothing to pay by transfer for a supply point paying through SIPO.

Jana Nováková (tests/fixtures/zis/batch_full_v1) owes the advances of 15. 2. and 15. 3. 2025
(800 Kč each) of supply point OM-000001; her 2024 invoice is settled (refunded).
"""

from __future__ import annotations

import base64
import re

import pytest

from portal.models import SupplyPoint
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import tool

pytestmark = pytest.mark.django_db

SPAYD = (
    "SPD*1.0*ACC:CZ6508000000192000145399*AM:1600.00*CC:CZK"
    "*MSG:Vse splatne, odberatel 100001*X-VS:100001"
)


def decoded_qr(html: str, tmp_path) -> list[str]:
    section = html.split('id="pay-all-heading"', 1)[1].split("</section>", 1)[0]
    (data,) = re.findall(r'src="data:image/png;base64,([^"]+)"', section)
    png = tmp_path / "qr.png"
    png.write_bytes(base64.b64decode(data))
    output = tool("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png))
    return output.splitlines()


@pytest.mark.parametrize("section", ["invoices", "home"])
def test_one_qr_pays_everything_due_by_transfer(world, customer, utility, section, tmp_path):
    html = client_for(customer).get(getattr(world, section).url).content.decode()
    html = html.replace("\u00a0", " ")
    assert "Zaplatit vše splatné najednou" in html
    assert "1 600,00 Kč" in html
    assert decoded_qr(html, tmp_path) == [SPAYD]


def test_nothing_to_pay_by_transfer_for_a_sipo_payer(world, customer, utility):
    SupplyPoint.objects.filter(number="OM-000001").update(
        payment_method="sipo", sipo_number="1234567890"
    )
    client = client_for(customer)
    for page in (world.invoices.url, world.home.url):
        assert "Zaplatit vše splatné najednou" not in client.get(page).content.decode()
    advances = client.get(sub(world.invoices, "advances")).content.decode()
    assert "1234567890 – zálohy hradíte přes SIPO" in advances


def test_the_total_is_less_what_was_received_but_not_yet_matched(world, customer, utility):
    from portal.models import Payment

    first = Payment.objects.get(zis_id="P-1")
    Payment.objects.create(
        zis_id="P-unmatched",
        zis_updated_at=first.zis_updated_at,
        customer=first.customer,
        received_on=first.received_on,
        amount=600,
        method="transfer",
    )
    html = client_for(customer).get(world.invoices.url).content.decode().replace("\u00a0", " ")
    assert "1 000,00 Kč" in html
