"""The notice on the portal home of affected customers (one query), and the demo notices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.notices.demo import ensure_demo_notices
from portal.notices.models import NoticePage
from portal.notices.services import notices_for_customer
from tests.factories.accounts import CustomerLinkFactory, client_for
from tests.factories.billing import SupplyPointFactory

from .conftest import add_notice

pytestmark = pytest.mark.django_db


def test_the_portal_home_shows_the_notice_to_affected_customers_only(notice_index, utility):
    point = SupplyPointFactory(street="Lipová", house_number="7")
    affected = CustomerLinkFactory(customer=point.customer).user
    far = SupplyPointFactory(street="Lipová", house_number="70")
    unaffected = CustomerLinkFactory(customer=far.customer).user
    places = [{"municipality": "Testov", "street": "Lipová", "number_to": 20}]
    add_notice(notice_index, title="Výměna hydrantu", places=places)
    portal_home = "/portal/"
    page = client_for(affected).get(portal_home).content.decode()
    assert "Odstávky a práce na vašich odběrných místech" in page
    assert "Výměna hydrantu" in page
    other = client_for(unaffected).get(portal_home).content.decode()
    assert "Výměna hydrantu" not in other


def test_the_dashboard_list_costs_one_query(notice_index, utility):
    point = SupplyPointFactory(street="Lipová", house_number="7")
    for n in range(3):
        add_notice(notice_index, title=f"Oznámení {n}", places=[{"municipality": "Testov"}])
    with CaptureQueriesContext(connection) as queries:
        found = notices_for_customer(customer=point.customer)
    assert len(found) == 3
    assert len(queries) == 1


def test_the_demo_notices_are_made_once(notice_index, utility):
    point = SupplyPointFactory(street="Lipová", house_number="7")
    CustomerLinkFactory(customer=point.customer)
    assert ensure_demo_notices() == 3
    assert ensure_demo_notices() == 0
    current = notices_for_customer(customer=point.customer)
    assert [n.kind for n in current] == ["quality", "outage"]
    assert NoticePage.objects.live().count() == 3


def test_after_an_import_new_supply_points_in_the_area_see_the_notice(notice_index, utility):
    from zis.followups import after_import
    from zis.models import SyncRun

    notice = add_notice(notice_index, places=[{"municipality": "Testov", "street": "Lipová"}])
    newcomer = SupplyPointFactory(street="Lipová", house_number="99")
    assert notices_for_customer([newcomer.pk]) == []
    after_import(SyncRun.objects.create(batch_id="delta-1", status=SyncRun.Status.SUCCEEDED))
    assert [n.pk for n in notices_for_customer([newcomer.pk])] == [notice.pk]
