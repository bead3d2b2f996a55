"""Linking a customer with its number and an activation code: the service and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts import services
from portal.models import ActivationCode, CustomerLink, LinkAttempt
from tests.factories.billing import ActivationCodeFactory

pytestmark = pytest.mark.django_db

CODE = "ABCD-EFGH-JKLM"


@pytest.fixture
def code(customer_record):
    return ActivationCodeFactory(customer=customer_record, code=CODE)


def test_a_valid_code_links_the_customer_and_is_used_up(outsider, customer_record, code):
    link = services.link_customer(outsider, " 300 100 ", "abcd efgh-jklm", ip_hash="h")

    assert link.customer == customer_record and link.user == outsider
    code.refresh_from_db()
    assert code.used_at is not None
    attempt = LinkAttempt.objects.get()
    assert (attempt.success, attempt.outcome, attempt.customer_number) == (True, "linked", "300100")
    assert attempt.user == outsider and attempt.ip_hash == "h" and attempt.activation_code == code


def test_a_used_code_cannot_link_anyone_else(outsider, other_customer, customer_record, code):
    services.link_customer(outsider, "300100", CODE)
    with pytest.raises(services.LinkError) as refused:
        services.link_customer(other_customer, "300100", CODE)
    assert refused.value.outcome == "expired"
    assert "už byl použit" in refused.value.message
    assert not CustomerLink.objects.filter(user=other_customer, customer=customer_record).exists()


def test_an_expired_code_is_refused(outsider, customer_record):
    ActivationCodeFactory(
        customer=customer_record, code=CODE, valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(services.LinkError) as refused:
        services.link_customer(outsider, "300100", CODE)
    assert refused.value.outcome == "expired"


def test_a_code_without_expiry_expires_after_the_maximum_age(outsider, customer_record, settings):
    settings.PRAMEN_ACTIVATION_CODE_MAX_AGE_DAYS = 10
    old = ActivationCodeFactory(customer=customer_record, code=CODE, valid_until=None)
    ActivationCode.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=11)
    )
    with pytest.raises(services.LinkError):
        services.link_customer(outsider, "300100", CODE)
    ActivationCode.objects.filter(pk=old.pk).update(created_at=timezone.now())
    assert services.link_customer(outsider, "300100", CODE).customer == customer_record


def test_wrong_code_wrong_number_and_other_customers_code_are_the_same_refusal(
    outsider, customer_record, other_customer_record, code
):
    ActivationCodeFactory(customer=other_customer_record, code="ZZZZ-ZZZZ-ZZZZ")
    messages = set()
    for number, tried in (("300100", "WRONG-CODE"), ("999999", CODE), ("300100", "ZZZZ-ZZZZ-ZZZZ")):
        with pytest.raises(services.LinkError) as refused:
            services.link_customer(outsider, number, tried)
        assert refused.value.outcome == "wrong"
        messages.add(refused.value.message)
    assert len(messages) == 1  # nothing tells whether the number exists
    assert LinkAttempt.objects.filter(outcome="wrong", success=False).count() == 3


def test_linking_twice_is_refused_without_using_the_code(customer, customer_record):
    fresh = ActivationCodeFactory(customer=customer_record, code=CODE)
    with pytest.raises(services.LinkError) as refused:
        services.link_customer(customer, "300100", CODE)
    assert refused.value.outcome == "already_linked"
    fresh.refresh_from_db()
    assert fresh.used_at is None


def test_a_user_may_hold_several_customers_and_a_customer_several_users(
    customer, outsider, customer_record, other_customer_record
):
    ActivationCodeFactory(customer=other_customer_record, code="PPPP-QQQQ-RRRR")
    ActivationCodeFactory(customer=customer_record, code=CODE)
    services.link_customer(customer, "300200", "PPPP-QQQQ-RRRR")
    services.link_customer(outsider, "300100", CODE)
    assert set(CustomerLink.objects.for_user(customer).values_list("customer", flat=True)) == {
        customer_record.pk,
        other_customer_record.pk,
    }
    assert customer_record.links.count() == 2


def _fail(user, number: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(services.LinkError):
            services.link_customer(user, number, "NOPE-NOPE-NOPE")


def test_five_wrong_codes_lock_the_user_for_fifteen_minutes(
    outsider, customer_record, code, settings
):
    settings.TIME_ZONE = "Europe/Prague"
    _fail(outsider, "300100", 5)
    with pytest.raises(services.LinkLocked) as locked:
        services.link_customer(outsider, "300100", CODE)  # even the right code is refused now
    last_failure = LinkAttempt.objects.filter(outcome="wrong").latest("at").at
    assert locked.value.until == last_failure + dt.timedelta(minutes=15)
    # "try again at" rounds up to the next whole minute
    almost_a_minute = dt.timedelta(seconds=59, microseconds=999999)
    shown = timezone.localtime(locked.value.until + almost_a_minute).strftime("%H:%M")
    assert shown in locked.value.message
    assert LinkAttempt.objects.filter(outcome="locked").count() == 1
    code.refresh_from_db()
    assert code.used_at is None


def test_the_lock_is_per_user_and_per_customer_number(
    outsider, other_customer, customer_record, code
):
    _fail(outsider, "300100", 5)
    # another user is locked out of the attacked customer number too …
    with pytest.raises(services.LinkLocked) as locked:
        services.link_customer(other_customer, "300100", CODE)
    assert "U tohoto čísla odběratele" in locked.value.message
    # … while the attacker is locked for any number
    with pytest.raises(services.LinkLocked):
        services.link_customer(outsider, "300200", "ANY-CODE")


def test_the_lock_ends_after_the_window(outsider, customer_record, code):
    _fail(outsider, "300100", 5)
    LinkAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    assert services.link_customer(outsider, "300100", CODE).customer == customer_record


def test_four_wrong_codes_do_not_lock(outsider, customer_record, code):
    _fail(outsider, "300100", 4)
    assert services.link_customer(outsider, "300100", CODE)


# --- The page (in English: the Czech catalogue is merged separately) --------------------------


def english(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


def test_linking_on_the_page_lands_on_my_account_with_the_customer(client, outsider, code):
    client.force_login(outsider)
    url = english("portal-account:link-customer")
    response = client.post(url, {"customer_number": "300100", "code": CODE}, follow=True)
    assert response.redirect_chain[-1][0] == english("portal-account:overview")
    html = response.content.decode()
    assert "Jana Nováková" in html and "300100" in html


def test_a_wrong_code_on_the_page_shows_an_accessible_error(client, outsider, code):
    client.force_login(outsider)
    response = client.post(
        english("portal-account:link-customer"), {"customer_number": "300100", "code": "X-1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in html
    assert "The customer number or the activation code is not correct" in html


def test_the_locked_page_says_when_to_try_again(client, outsider, code):
    client.force_login(outsider)
    _fail(outsider, "300100", 5)
    response = client.post(
        english("portal-account:link-customer"), {"customer_number": "300100", "code": CODE}
    )
    html = response.content.decode()
    until = LinkAttempt.objects.filter(outcome="wrong").latest("at").at + dt.timedelta(minutes=16)
    assert "linking is locked until" in html and "Please try again then" in html
    assert timezone.localtime(until).strftime("%H:%M") in html


def test_a_missing_field_is_marked_invalid_and_described(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("portal-account:link-customer"), {"customer_number": "300100"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert 'id="id_code_error"' in html
