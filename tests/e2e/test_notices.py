"""An outage notice in a real browser: an editor publishes it in the admin; the affected
customer sees it on the dashboard and gets the e-mail, a customer elsewhere does neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.notices.models import NoticeIndexPage, NoticePage, NoticePlace
from portal.notifications.models import Notification
from portal.pages.setup import ensure_portal_pages
from tests.factories.accounts import PASSWORD, CustomerLinkFactory, totp_code
from tests.factories.billing import SupplyPointFactory

from .conftest import axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def customers(demo_site):
    ensure_portal_pages()
    affected = SupplyPointFactory(street="Lipová", house_number="7", municipality="Testov")
    elsewhere = SupplyPointFactory(street="Lipová", house_number="80", municipality="Testov")
    return (
        CustomerLinkFactory(customer=affected.customer, user__email="zasazena@example.cz").user,
        CustomerLinkFactory(customer=elsewhere.customer, user__email="jinde@example.cz").user,
    )


@pytest.fixture
def publisher(editor):
    """The editor, allowed to publish (Wagtail's Moderators group)."""
    editor.groups.add(Group.objects.get(name="Moderators"))
    return editor


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def draft_notice() -> NoticePage:
    start = timezone.now() + dt.timedelta(days=1)
    notice = NoticePage(
        title="Výměna hydrantu v Lipové",
        kind="outage",
        starts_at=start,
        expected_end_at=start + dt.timedelta(hours=5),
        body="<p>Voda poteče až odpoledne.</p>",
        live=False,
    )
    notice.places = [
        NoticePlace(municipality="Testov", street="Lipová", number_from=1, number_to=20)
    ]
    NoticeIndexPage.objects.get().add_child(instance=notice)
    notice.save_revision()
    return notice


def test_an_editor_publishes_a_notice_and_only_the_affected_customer_hears(
    browser, live_server, customers, publisher
):
    base = live_server.url
    affected, elsewhere = customers
    notice = draft_notice()

    # 1. The editor opens the draft in the admin and publishes it.
    admin = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900})
    staff = admin.new_page()
    staff.set_default_timeout(15_000)
    try:
        sign_in(staff, base, publisher.email)
        staff.wait_for_url(f"**{reverse('mfa_authenticate')}")
        staff.locator("#id_code").fill(totp_code(publisher.totp_secret))
        staff.locator("form.form button[type=submit]").first.click()
        staff.wait_for_load_state()
        staff.goto(base + reverse("wagtailadmin_pages:edit", args=[notice.pk]))
        municipality = staff.locator("input[name='places-0-municipality']")
        assert municipality.input_value() == "Testov"
        suggestions = staff.locator(f"datalist#{municipality.get_attribute('list')} option")
        assert "Testov" in [option.get_attribute("value") for option in suggestions.all()]
        publish = staff.locator("button[name='action-publish']")
        menu = staff.locator("[data-controller~='w-dropdown']", has=publish).last
        menu.locator(".w-dropdown__toggle").first.click()
        publish.click()
        staff.locator(".messages", has_text="zveřejněna").wait_for()
    finally:
        admin.close()
    assert NoticePage.objects.get(pk=notice.pk).live

    # 2. The affected customer got one e-mail; the other none.
    mails = Notification.objects.filter(template="notice")
    assert [m.recipient for m in mails] == ["zasazena@example.cz"]
    sent = [m for m in mail.outbox if "zasazena@example.cz" in m.to]
    assert len(sent) == 1 and "Výměna hydrantu v Lipové" in sent[0].subject
    assert not [m for m in mail.outbox if "jinde@example.cz" in m.to]

    # 3. The affected customer sees it on the dashboard; the other does not.
    context = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, base, affected.email)
        page.goto(base + "/portal/")
        box = page.locator("section.portal-notices")
        assert "Výměna hydrantu v Lipové" in box.inner_text()
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        box.locator("a").first.click()
        page.wait_for_load_state()
        assert page.locator("main h1").inner_text() == "Výměna hydrantu v Lipové"
        for path in ("/odstavky/", "/odstavky/odber/"):
            page.goto(base + path)
            assert page.locator("main h1").count() == 1, path
            violations = axe_violations(page)
            assert not violations, f"{path}:\n{format_violations(violations)}"
        assert "Výměna hydrantu v Lipové" in page.goto(base + "/odstavky/").text()
    finally:
        context.close()
    context = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, base, elsewhere.email)
        page.goto(base + "/portal/")
        assert page.locator("main h1").count() == 1
        assert page.locator("section.portal-notices").count() == 0
    finally:
        context.close()
