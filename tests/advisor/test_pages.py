"""What the customer sees: the projected settlement on the dashboard and the advances page, the
calculation step by step, and asking for a new advance there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import html as lxml_html

from portal.models import AdvanceChangeRequest, AdvanceProjection, Customer, RequestStatus
from portal.requests.services.decisions import reject_request
from tests.factories.accounts import client_for
from tests.support.pages import main_text as text
from tests.support.pages import sub

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100001")


@pytest.fixture
def other_customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100003")


def test_the_import_leaves_a_projection_on_the_dashboard_and_the_advances_page(portal, customer):
    projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
    client = client_for(customer)
    dashboard = text(client.get(portal.home.url))
    assert "Předpokládané vyúčtování" in dashboard
    assert "navrhovaná záloha" in dashboard
    advances = text(client.get(sub(portal.invoices, "advances")))
    assert "Rádce se zálohami" in advances
    assert "OM-000001" in advances
    expected = "nedoplatek" if projection.settlement > 0 else "přeplatek"
    assert expected in advances


def test_the_advisor_page_shows_the_steps_and_a_change_is_approved_at_once(portal, customer):
    projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
    url = sub(portal.invoices, "advance_change", supply_point_pk=projection.supply_point_id)
    client = client_for(customer)
    advances = sub(portal.invoices, "advances")
    assert "čeká na nový platební kalendář" not in text(client.get(advances))
    response = client.get(url)
    page = text(response)
    for step in ("Fakturační období", "Denní spotřeba", "Předpokládaná částka celkem s DPH"):
        assert step in page
    token = lxml_html.fromstring(response.content).xpath("//input[@name='token']/@value")[0]
    amount = projection.suggested_advance + Decimal(50)
    answer = client.post(url, {"token": token, "amount": f"{amount}".replace(".", ",")})
    assert answer.status_code == 302
    change = AdvanceChangeRequest.objects.get()
    assert change.status == RequestStatus.APPROVED and change.requested_amount == amount
    after = text(client.get(url))
    assert "Čekáme na nový platební kalendář" in after
    assert "čeká na nový platební kalendář" in text(client.get(advances))


def test_a_wrong_amount_is_explained_on_the_form(portal, customer):
    projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
    url = sub(portal.invoices, "advance_change", supply_point_pk=projection.supply_point_id)
    client = client_for(customer)
    token = lxml_html.fromstring(client.get(url).content).xpath("//input[@name='token']/@value")[0]
    page = text(client.post(url, {"token": token, "amount": "sto"}))
    assert "Zadejte zálohu jako částku v Kč." in page
    assert not AdvanceChangeRequest.objects.exists()


def test_another_customers_supply_point_is_not_found(portal, other_customer):
    projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
    url = sub(portal.invoices, "advance_change", supply_point_pk=projection.supply_point_id)
    assert client_for(other_customer).get(url).status_code == 404


def test_the_advances_page_shows_a_decision_at_once(portal, customer, operator):
    """A change below the bounds waits for an operator; the advances page says so until the
    operator decides (what it shows of the changes is kept between requests)."""
    projection = AdvanceProjection.objects.get(supply_point__number="OM-000001")
    url = sub(portal.invoices, "advance_change", supply_point_pk=projection.supply_point_id)
    advances = sub(portal.invoices, "advances")
    client = client_for(customer)
    assert "změna čeká na rozhodnutí" not in text(client.get(advances))
    token = lxml_html.fromstring(client.get(url).content).xpath("//input[@name='token']/@value")[0]
    low = (projection.suggested_advance / 2).quantize(Decimal(1))
    assert client.post(url, {"token": token, "amount": f"{low}"}).status_code == 302
    change = AdvanceChangeRequest.objects.get()
    assert change.status == RequestStatus.PENDING
    assert "změna čeká na rozhodnutí" in text(client.get(advances))
    reject_request(change, operator, "Záloha by nepokryla spotřebu.")
    assert "změna čeká na rozhodnutí" not in text(client.get(advances))
