"""Operators find a visitor's notice subscription and delete it; editors do not see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.audit.models import OperatorAccessLog
from portal.notices.models import NoticeSubscription
from tests.factories.accounts import mfa_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriptions(db):
    return [
        NoticeSubscription.objects.create(
            email="soused@example.cz", municipality="Testov", street="Nádražní", house_number="12"
        ),
        NoticeSubscription.objects.create(email="jiny@example.cz", municipality="Lhota"),
    ]


def test_operators_search_subscriptions_and_the_list_is_access_logged(
    operator_client, subscriptions
):
    url = reverse("notice-subscriptions:index")
    html = operator_client.get(url).content.decode()
    assert "soused@example.cz" in html and "jiny@example.cz" in html
    assert "Nádražní 12, Testov" in html
    html = operator_client.get(url + "?q=Nádražní").content.decode()
    assert "soused@example.cz" in html and "jiny@example.cz" not in html
    assert OperatorAccessLog.objects.count() == 2
    inspect = operator_client.get(
        reverse("notice-subscriptions:inspect", args=[subscriptions[0].pk])
    ).content.decode()
    assert "soused@example.cz" in inspect and "Nádražní" in inspect


def test_operators_delete_a_subscription_asked_for_in_czech(operator_client, subscriptions):
    first = subscriptions[0]
    url = reverse("notice-subscriptions:delete", args=[first.pk])
    page = operator_client.get(url).content.decode()
    assert "Smazat tento odběr?" in page and "soused@example.cz" in page
    operator_client.post(url)
    assert list(NoticeSubscription.objects.values_list("email", flat=True)) == ["jiny@example.cz"]


def test_subscriptions_are_made_by_visitors_only_and_editors_do_not_see_them(
    operator_client, editor, subscriptions
):
    assert operator_client.get(reverse("notice-subscriptions:add")).status_code != 200
    edit = reverse("notice-subscriptions:edit", args=[subscriptions[0].pk])
    assert operator_client.get(edit).status_code != 200
    editor_client = mfa_client(editor)
    assert editor_client.get(reverse("notice-subscriptions:index")).status_code != 200
