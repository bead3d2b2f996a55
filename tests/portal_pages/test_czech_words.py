"""Czech everywhere a customer or a member of staff reads: e-mails from the utility (allauth's
included), the recovery codes explained, Wagtail's and Django's words our catalogue completes,
yes/no in words, the staff guides on the admin dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

from tests.factories.accounts import PASSWORD, UserFactory, enable_totp, login_with_mfa

pytestmark = pytest.mark.django_db


def test_allauths_emails_come_from_the_utility(client, utility):
    user = UserFactory(email="jana@example.cz")
    mail.outbox.clear()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.from_email == "Vodárna Testov <info@testov.example>"
    assert message.subject.startswith("Vodárna Testov: ")
    assert not message.subject.startswith("Pramen")
    assert message.body.startswith("Dobrý den,")
    assert "Pozdrav z" not in message.body
    for line in (
        "S pozdravem",
        "Vodárna Testov, a.s.",
        "Nádražní 12, 530 02 Testov",
        "info@testov.example",
    ):
        assert line in message.body, line


def test_the_recovery_codes_page_explains_counts_and_offers_download_and_print(utility):
    user = UserFactory(email="eva@example.cz")
    enable_totp(user)
    RecoveryCodes.activate(user)
    client = Client()
    login_with_mfa(client, user)
    # Viewing the codes asks for the password again, as right after setting up the app.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "Nepoužitých je ještě 10 z 10 kódů." in page
    assert "použito" not in page
    assert "místo šesti číslic z aplikace" in page  # what they are for
    assert f'href="{reverse("mfa_download_recovery_codes")}"' in page
    assert "data-print" in page and "Vytisknout kódy" in page


def test_wagtail_and_django_words_our_catalogue_completes():
    now = timezone.now()
    with translation.override("cs"):
        assert timesince_simple(now - dt.timedelta(minutes=1)) == "před 1\xa0minutou"
        assert timesince_simple(now - dt.timedelta(hours=5)) == "před 5\xa0hodinami"
        assert timesince_simple(now) == "právě teď"
        matches = ngettext("There is %(counter)s match", "There are %(counter)s matches", 3)
        assert matches % {"counter": 3} == "Nalezeny 3 výsledky"
        assert (
            gettext("New: %(model_name)s") % {"model_name": "Aktivační kód"}
            == "Přidat: Aktivační kód"
        )
        assert gettext("Save your changes before leaving") == "Před odchodem změny uložte"
        assert gettext("Customer number") == "Číslo odběratele"


def test_yes_and_no_in_admin_lists_are_words():
    with translation.override("cs"):
        cells = [
            render_to_string(
                "wagtailadmin/tables/boolean_cell.html", {"value": value, "column": None}
            )
            for value in (True, False, None)
        ]
    for cell, word in zip(cells, ("ano", "ne", "neuvedeno"), strict=True):
        assert word in cell
        assert not any(python in cell for python in ("True", "False", "None"))


def test_the_admin_dashboard_links_the_staff_guides_with_their_pictures(operator):
    client = Client()
    login_with_mfa(client, operator)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nápověda pro pracovníky vodárny" in dashboard
    for slug, title in (("operatori", "Návod pro operátory"), ("redaktori", "Návod pro redaktory")):
        url = reverse("staff-guide", args=[slug])
        assert f'href="{url}"' in dashboard
        guide = client.get(url).content.decode()
        assert f"<h1>{title}</h1>" in guide
        assert 'src="/admin/napoveda/obrazky/' in guide
    picture = client.get(reverse("staff-guide-screenshot", args=["admin-dashboard.png"]))
    assert picture["Content-Type"] == "image/png"
    # Reading the stream to its end closes the response; closing it again would fire
    # request_finished outside the test client and close the test's database connection.
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")
    assert (
        client.get(reverse("staff-guide-screenshot", args=["..%2Fsettings.py"])).status_code == 404
    )


def test_the_guides_are_for_staff_only(customer):
    client = Client()
    client.force_login(customer)
    response = client.get(reverse("staff-guide", args=["operatori"]))
    assert response.status_code in (302, 403)


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/brand/favicon.svg")
