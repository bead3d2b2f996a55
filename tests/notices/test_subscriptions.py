"""Visitors without an account: double opt-in for an address or a street, and unsubscribing."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.notices.models import NoticeSubscription
from portal.notifications.models import Notification

from .conftest import add_notice, republish

pytestmark = pytest.mark.django_db

NADRAZNI = [{"municipality": "Testov", "street": "Nádražní", "number_from": 1, "number_to": 20}]


def subscribe(index, **data):
    form = {"email": "soused@example.cz", "municipality": "Testov", **data}
    return Client().post(index.url + "odber/", form)


def confirmation_link(email="soused@example.cz"):
    mail = Notification.objects.get(template="notice_subscription", recipient=email)
    return mail.context["notice"]["confirm_url"].removeprefix("http://testserver")


def notice_mails_to(email):
    return Notification.objects.filter(template="notice", recipient=email)


def test_subscribing_sends_a_confirmation_and_nothing_else_until_confirmed(notice_index, utility):
    response = subscribe(notice_index, street="Nádražní", house_number="12")
    assert response.status_code == 200
    assert "Poslali jsme vám e-mail s odkazem" in response.content.decode()
    add_notice(notice_index, places=NADRAZNI)
    assert notice_mails_to("soused@example.cz").count() == 0


def test_a_confirmed_address_subscription_gets_notices_for_its_address_only(notice_index, utility):
    subscribe(notice_index, street="Nádražní", house_number="12")
    response = Client().get(confirmation_link())
    assert "Odběr potvrzen" in response.content.decode()
    add_notice(notice_index, title="Odstávka Nádražní", places=NADRAZNI)
    far = [{"municipality": "Testov", "street": "Nádražní", "number_from": 30}]
    add_notice(notice_index, title="Odstávka Nádražní 30+", places=far)
    mails = notice_mails_to("soused@example.cz")
    assert [mail.context["notice"]["title"] for mail in mails] == ["Odstávka Nádražní"]
    assert mails.get().context["notice"]["unsubscribe_url"].startswith("http://testserver/")


def test_a_street_subscription_gets_every_notice_on_the_street_and_the_municipality(
    notice_index, utility
):
    subscribe(notice_index, street="Nádražní")
    Client().get(confirmation_link())
    add_notice(
        notice_index,
        title="Ulice",
        places=[{"municipality": "Testov", "street": "Nádražní", "number_from": 300}],
    )
    add_notice(notice_index, title="Obec", places=[{"municipality": "Testov"}])
    add_notice(
        notice_index, title="Jiná ulice", places=[{"municipality": "Testov", "street": "Krátká"}]
    )
    titles = {m.context["notice"]["title"] for m in notice_mails_to("soused@example.cz")}
    assert titles == {"Ulice", "Obec"}


def test_unsubscribing_stops_the_e_mails(notice_index, utility):
    subscribe(notice_index, street="Nádražní")
    Client().get(confirmation_link())
    notice = add_notice(notice_index, places=NADRAZNI)
    unsubscribe_path = (
        notice_mails_to("soused@example.cz").get().context["notice"]["unsubscribe_url"]
    ).removeprefix("http://testserver")
    page = Client().get(unsubscribe_path)
    assert "Zrušit odběr" in page.content.decode()
    done = Client().post(unsubscribe_path)
    assert "Odběr zrušen" in done.content.decode()
    assert NoticeSubscription.objects.get().unsubscribed_at is not None
    republish(notice, title="Odstávka vody – prodloužena")
    add_notice(notice_index, title="Další", places=NADRAZNI)
    assert notice_mails_to("soused@example.cz").count() == 1


def test_an_unknown_link_says_it_is_not_valid(notice_index, utility):
    response = Client().get(notice_index.url + "odber/potvrdit/nesmysl/")
    assert response.status_code == 404
    assert "Neplatný odkaz" in response.content.decode()


def test_an_invalid_e_mail_is_refused_in_czech(notice_index, utility):
    response = subscribe(notice_index, email="není e-mail")
    assert "platnou e-mailovou adresu" in response.content.decode()
    assert NoticeSubscription.objects.count() == 0


def test_asking_twice_for_the_same_place_keeps_one_subscription_and_one_e_mail(
    notice_index, utility
):
    subscribe(notice_index, street="Nádražní", house_number="12")
    subscribe(notice_index, email="Soused@Example.cz", street="nádražní", house_number="12")
    assert NoticeSubscription.objects.count() == 1
    links = Notification.objects.filter(template="notice_subscription").order_by("pk")
    assert links.count() == 2  # the link is sent again
    Client().get(links.last().context["notice"]["confirm_url"].removeprefix("http://testserver"))
    add_notice(notice_index, places=NADRAZNI)
    assert notice_mails_to("soused@example.cz").count() == 1


def test_a_street_and_an_address_on_it_bring_one_e_mail_per_notice(notice_index, utility):
    subscribe(notice_index, street="Nádražní")
    Client().get(confirmation_link())
    subscribe(notice_index, street="Nádražní", house_number="12")
    second = Notification.objects.filter(template="notice_subscription").order_by("pk").last()
    Client().get(second.context["notice"]["confirm_url"].removeprefix("http://testserver"))
    assert NoticeSubscription.objects.filter(confirmed_at__isnull=False).count() == 2
    add_notice(notice_index, places=NADRAZNI)
    assert notice_mails_to("soused@example.cz").count() == 1


def test_a_fourth_request_for_one_address_within_an_hour_is_refused_and_sends_nothing(
    notice_index, utility
):
    for municipality in ["Testov", "Lhota", "Ves"]:
        assert subscribe(notice_index, municipality=municipality).status_code == 200
    refused = subscribe(notice_index, municipality="Dvůr")
    assert refused.status_code == 429
    assert "Příliš mnoho žádostí o odběr" in refused.content.decode()
    assert NoticeSubscription.objects.count() == 3
    assert Notification.objects.filter(template="notice_subscription").count() == 3
    other = subscribe(notice_index, email="jiny@example.cz")
    assert other.status_code == 200  # another address is not held up


def test_one_client_sending_many_requests_is_refused(notice_index, utility):
    for number in range(20):
        subscribe(notice_index, email=f"host{number}@example.cz")
    refused = subscribe(notice_index, email="posledni@example.cz")
    assert refused.status_code == 429
    assert NoticeSubscription.objects.filter(email="posledni@example.cz").count() == 0
