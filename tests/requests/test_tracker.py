"""The request tracker shows every request with its timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from portal.requests.services.advance_change import submit_advance_change
from portal.requests.services.decisions import (
    approve_request,
    mark_confirmed,
    mark_sent,
    reject_request,
)
from portal.requests.services.submission import submit_address_change, submit_self_reading
from tests.factories.accounts import client_for
from tests.support.pages import sub

from .conftest import PLAUSIBLE, token

pytestmark = pytest.mark.django_db


def articles(response) -> list[str]:
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    return [" ".join(node.text_content().split()) for node in document.xpath("//main//article")]


def ask_for_new_address(customer, household, today):
    return submit_address_change(
        customer,
        household.customer,
        street="Zelinářská",
        house_number="515",
        municipality="Praha",
        postcode="16000",
        effective_date=today,
        token=token(),
    )


def test_the_tracker_shows_the_timeline_newest_first(customer, household, operator, portal, today):
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    approve_request(reading, operator)
    mark_sent([reading], "OUT-1")
    mark_confirmed("OUT-1")
    change = ask_for_new_address(customer, household, today)
    change.submitted_at = timezone.now() + dt.timedelta(seconds=5)
    change.save()
    reject_request(change, operator, "Adresa v RÚIAN neexistuje.")

    newest, oldest = articles(client_for(customer).get(sub(portal.details, "requests")))
    assert newest.startswith("Změna korespondenční adresy zamítnuto")
    assert "Zelinářská 515, 160 00 Praha" in newest
    assert "Odesláno" in newest and "Zamítnuto" in newest
    assert "Důvod: Adresa v RÚIAN neexistuje." in newest
    assert "Schváleno" not in newest
    assert oldest.startswith("Samoodečet vodoměru SV-1001 potvrzeno fakturačním systémem")
    assert "146,500 m³" in oldest
    for step in (
        "Odesláno",
        "Schváleno",
        "Předáno do fakturačního systému",
        "Potvrzeno fakturačním systémem",
    ):
        assert step in oldest
    assert oldest.index("Schváleno") < oldest.index("Potvrzeno fakturačním systémem")


def test_the_tracker_is_paginated(customer, household, portal, home):
    from wagtail.models import Site

    from portal.models import PortalSettings

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.self_readings_per_period = 0
    settings.save()
    for extra in range(12):
        submit_self_reading(
            customer, household.meter, date=None, value=PLAUSIBLE + extra, token=token()
        )
    url = sub(portal.details, "requests")
    first = articles(client_for(customer).get(url))
    second = articles(client_for(customer).get(url + "?page=2"))
    assert (len(first), len(second)) == (10, 2)
    assert "157,500" in first[0]  # the newest
    assert "146,500" in second[-1]  # the oldest


def test_the_tracker_shows_only_the_customers_own_requests(
    customer, other_customer, household, portal
):
    submit_self_reading(customer, household.meter, date=None, value=PLAUSIBLE, token=token())
    assert articles(client_for(other_customer).get(sub(portal.details, "requests"))) == []
    text = client_for(other_customer).get(sub(portal.details, "requests")).content.decode()
    assert "Zatím jste nám neposlali žádný požadavek." in text
    assert "SV-1001" not in text


def test_the_details_page_counts_open_requests(customer, household, portal):
    submit_self_reading(customer, household.meter, date=None, value=PLAUSIBLE, token=token())
    text = client_for(customer).get(portal.details.url).content.decode()
    assert "1 požadavek se vyřizuje (čeká na naše rozhodnutí nebo na fakturační systém)." in text


def test_the_open_count_follows_every_change_of_a_request(
    customer, household, operator, portal, today
):
    """The count is kept between requests: each decision, the hand-over to ZIS and ZIS's
    acknowledgement (updates of many requests at once) show at once."""
    client = client_for(customer)

    def in_progress() -> str:
        text = " ".join(client.get(portal.details.url).content.decode().split())
        for count in ("1 požadavek se vyřizuje", "2 požadavky se vyřizují"):
            if count in text:
                return count
        return "none"

    assert in_progress() == "none"
    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    assert in_progress() == "1 požadavek se vyřizuje"
    change = ask_for_new_address(customer, household, today)
    assert in_progress() == "2 požadavky se vyřizují"
    reject_request(change, operator, "Adresa v RÚIAN neexistuje.")
    assert in_progress() == "1 požadavek se vyřizuje"
    approve_request(reading, operator)
    assert mark_sent([reading], "OUT-1") == 1
    assert in_progress() == "1 požadavek se vyřizuje"
    assert mark_confirmed("OUT-1") == 1
    assert in_progress() == "none"


def test_the_tracker_queries_do_not_grow_with_the_requests(customer, household, portal, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from portal.models import PortalSettings

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.self_readings_per_period = 0
    settings.save()
    client = client_for(customer)
    url = sub(portal.details, "requests")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submit_self_reading(customer, household.meter, date=None, value=PLAUSIBLE, token=token())
    for _warm in range(3):  # warm the caches (site frame fragments)
        client.get(url)
    submit_self_reading(customer, household.meter, date=None, value=PLAUSIBLE + 1, token=token())
    few = queries()  # a new request: the list is read again
    for extra in range(2, 16):
        submit_self_reading(
            customer, household.meter, date=None, value=PLAUSIBLE + extra, token=token()
        )
    assert queries() == few
    assert queries() < few  # nothing changed since: the page is kept


def test_the_kept_tracker_shows_every_change_at_once(customer, household, operator, portal):
    """The page is kept between visits; each decision, the hand-over to ZIS and ZIS's
    acknowledgement (updates of many requests at once) show on the next one."""
    client = client_for(customer)
    url = sub(portal.details, "requests")

    def status() -> str:
        (article,) = articles(client.get(url))
        return article

    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    assert "čeká na vyřízení" in status()
    assert "čeká na vyřízení" in status()  # kept
    approve_request(reading, operator)
    assert "schváleno" in status()
    assert mark_sent([reading], "OUT-1") == 1
    assert "předáno do fakturačního systému" in status()
    assert mark_confirmed("OUT-1") == 1
    assert "potvrzeno fakturačním systémem" in status()


def test_the_portal_home_counts_approved_requests_as_in_progress(
    customer, household, portal, operator
):
    from portal.models import PortalHomePage

    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    approve_request(reading, operator)
    text = client_for(customer).get(PortalHomePage.objects.get().url).content.decode()
    assert "1 požadavek se vyřizuje (čeká na naše rozhodnutí nebo na fakturační systém)." in text
    assert "požadavek čeká na naše rozhodnutí" not in text


def test_the_tracker_shows_a_rejection_by_zis_after_the_approval(
    customer, household, operator, portal
):
    from zis.outbound.acks import reject_by_zis

    reading = submit_self_reading(
        customer, household.meter, date=None, value=PLAUSIBLE, token=token()
    )
    approve_request(reading, operator)
    mark_sent([reading], "OUT-7")
    reading.refresh_from_db()
    reject_by_zis(reading, "Vodoměr byl mezitím vyměněn.")

    [article] = articles(client_for(customer).get(sub(portal.details, "requests")))
    steps = ["Odesláno", "Schváleno", "Předáno do fakturačního systému", "Zamítnuto fakturačním"]
    assert [article.index(step) for step in steps] == sorted(article.index(s) for s in steps)
    assert "Zamítnuto fakturačním systémem" in article
    assert "Důvod: Vodoměr byl mezitím vyměněn." in article


def test_the_tracker_classes_have_styles():
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    template = (root / "templates/portal/requests/tracker.html").read_text(encoding="utf-8")
    css = (root / "site/static/css/portal.css").read_text(encoding="utf-8")
    used = set(re.findall(r"\b(portal-(?:request|timeline)[\w-]*)", template))
    used.discard("portal-timeline__event--")  # the kind is appended in the template
    assert {"portal-request", "portal-timeline", "portal-timeline__event"} <= used
    assert sorted(name for name in used if f".{name}" not in css) == []
    for kind in ("approved", "rejected", "zis_rejected", "confirmed"):
        assert f".portal-timeline__event--{kind}" in css
    assert "@media print" in css


def test_the_tracker_shows_advance_changes_with_their_state(customer, household, operator, portal):
    def ask_for(amount: str, seconds: int):
        change = submit_advance_change(
            customer, household.supply_point, amount=amount, token=token()
        )
        change.submitted_at = timezone.now() + dt.timedelta(seconds=seconds)
        change.save(update_fields=["submitted_at"])
        return change

    # The household's tariff has no prices, so the suggestion is 0 and anything from the
    # lowest advance approved at once (100 Kč) upwards is approved at once.
    approved = ask_for("350", 1)
    mark_sent([approved], "OUT-7")
    rejected = ask_for("50", 2)  # below 100 Kč: for an operator
    reject_request(rejected, operator, "Záloha by nepokryla spotřebu.")
    pending = ask_for("40", 3)
    assert (approved.requested_amount, pending.requested_amount) == (Decimal(350), Decimal(40))

    newest, middle, oldest = articles(client_for(customer).get(sub(portal.details, "requests")))
    assert newest.startswith("Změna zálohy odběrného místa OM-300100 čeká na vyřízení")
    assert "Nová záloha40,00 Kč" in newest and "Schváleno" not in newest  # <dt><dd>
    assert middle.startswith("Změna zálohy odběrného místa OM-300100 zamítnuto")
    assert "Nová záloha50,00 Kč" in middle
    assert "Důvod: Záloha by nepokryla spotřebu." in middle
    assert oldest.startswith(
        "Změna zálohy odběrného místa OM-300100 předáno do fakturačního systému"
    )
    assert "Nová záloha350,00 Kč" in oldest
    assert "schváleno hned (v mezích, které vodárna nastavila)" in oldest
    assert oldest.index("Schváleno") < oldest.index("Předáno do fakturačního systému")
