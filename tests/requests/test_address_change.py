"""The mailing-address change, one pending per customer."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.models import AddressChangeRequest, RequestStatus
from portal.requests.services.decisions import approve_request
from portal.requests.services.errors import RequestRefused
from portal.requests.services.submission import submit_address_change
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import token

pytestmark = pytest.mark.django_db

NEW = {
    "street": "Zelinářská",
    "house_number": "515",
    "orientation_number": "2",
    "part_of_municipality": "Dejvice",
    "municipality": "Praha",
    "postcode": "160 00",
}


@pytest.fixture
def url(portal):
    return sub(portal.details, "address_change")


def form_data(today, **changes):
    data = {**NEW, "effective_date": today.isoformat(), "note": "", "token": token()}
    data.update(changes)
    return data


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_page_shows_the_current_address_and_the_form(customer, url):
    text = page_text(client_for(customer).get(url))
    assert "Současná korespondenční adresa" in text
    assert "Nádražní 12" in text and "530 02 Testov" in text
    assert 'name="postcode"' in text and 'name="token"' in text


def test_the_details_page_links_to_the_form_and_the_tracker(customer, portal, url):
    text = page_text(client_for(customer).get(portal.details.url))
    assert url in text
    assert sub(portal.details, "requests") in text


def test_a_new_address_waits_for_an_operator(customer, household, portal, url, today):
    client = client_for(customer)
    data = form_data(today, note="Přestěhovali jsme se.")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == sub(portal.details, "requests")
    obj = AddressChangeRequest.objects.get()
    assert obj.status == RequestStatus.PENDING
    assert (obj.customer, obj.submitted_by, obj.postcode) == (household.customer, customer, "16000")
    assert str(obj.address) == "Zelinářská 515/2, Dejvice, 160 00 Praha"
    assert obj.note == "Přestěhovali jsme se."
    text = page_text(client.get(response["Location"]))
    assert "Děkujeme, novou korespondenční adresu jsme přijali." in text
    assert "Zelinářská 515/2, Dejvice, 160 00 Praha" in text


def test_a_double_submitted_form_makes_one_request(customer, url, today):
    client = client_for(customer)
    data = form_data(today)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert AddressChangeRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postcode": "1470"}, "Zadejte PSČ jako pět číslic, například 147 00."),
        ({"postcode": "ABCDE"}, "Zadejte PSČ jako pět číslic, například 147 00."),
        ({"postcode": "047 00"}, "Zadejte PSČ jako pět číslic, například 147 00."),
        ({"house_number": ""}, "Zadejte číslo popisné."),
        ({"house_number": "5a"}, "Číslo popisné tvoří jen číslice"),
        ({"municipality": ""}, "Zadejte obec."),
        ({"effective_date": "2000-01-01"}, "Změna nemůže platit zpětně."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    customer, household, url, today, changes, message
):
    text = page_text(client_for(customer).post(url, form_data(today, **changes)))
    assert message in text
    assert 'href="#id_' in text
    assert AddressChangeRequest.objects.count() == 0
    household.customer.refresh_from_db()
    assert household.customer.mailing_street == "Nádražní"


def test_a_postcode_with_a_space_is_accepted(customer, url, today):
    assert client_for(customer).post(url, form_data(today, postcode="147 00")).status_code == 302
    assert AddressChangeRequest.objects.get().postcode == "14700"


def test_a_second_pending_change_is_refused(customer, household, url, today, operator):
    client = client_for(customer)
    assert client.post(url, form_data(today)).status_code == 302
    text = page_text(client.get(url))
    assert "Změna čeká na vyřízení" in text
    assert 'name="postcode"' not in text
    with pytest.raises(RequestRefused) as caught:
        submit_address_change(
            customer,
            household.customer,
            **{**NEW, "municipality": "Brno", "postcode": "60200"},
            effective_date=today,
            token=token(),
        )
    assert "čeká na vyřízení" in caught.value.message
    assert AddressChangeRequest.objects.count() == 1
    # once decided, another one may be sent
    approve_request(AddressChangeRequest.objects.get(), operator)
    assert client.post(url, form_data(today, municipality="Brno")).status_code == 302
    assert AddressChangeRequest.objects.count() == 2


def test_the_database_allows_one_pending_change_per_customer(customer, household, today):
    from django.db import IntegrityError, transaction

    first = submit_address_change(
        customer, household.customer, **NEW, effective_date=today, token=token()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AddressChangeRequest.objects.create(
            customer=first.customer,
            submission_token=token(),
            house_number="1",
            municipality="Brno",
            postcode="60200",
            effective_date=today,
        )


def test_the_same_address_is_refused(customer, household, today):
    with pytest.raises(RequestRefused) as caught:
        submit_address_change(
            customer,
            household.customer,
            street="Nádražní",
            house_number="12",
            municipality="Testov",
            postcode="530 02",
            effective_date=today,
            token=token(),
        )
    assert caught.value.message == "Tuto korespondenční adresu už máte."


def test_an_effective_date_far_ahead_is_refused(customer, household, today):
    with pytest.raises(RequestRefused) as caught:
        submit_address_change(
            customer,
            household.customer,
            **NEW,
            effective_date=today + dt.timedelta(days=400),
            token=token(),
        )
    assert caught.value.field == "effective_date"


def test_another_customer_cannot_be_changed(other_customer, household, today):
    from portal.models import Customer

    with pytest.raises(Customer.DoesNotExist):
        submit_address_change(
            other_customer, household.customer, **NEW, effective_date=today, token=token()
        )
    assert AddressChangeRequest.objects.count() == 0


def test_every_bad_field_is_named_at_once(customer, url, today):
    data = form_data(today, house_number="5a", orientation_number="x-1", postcode="1470")
    text = page_text(client_for(customer).post(url, data))
    summary = text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    for field in ("house_number", "orientation_number", "postcode"):
        assert f'href="#id_{field}"' in summary
    assert 'id="id_orientation_number_error"' in text
    assert AddressChangeRequest.objects.count() == 0
