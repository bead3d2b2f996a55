"""The "ask us" submissions: read by customer service only, deleted after the retention period,
and the form says how long it keeps them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.submissions import months_before, purge_form_submissions
from cms_pages.tasks import purge_form_submissions_task
from tests.factories.accounts import login_with_mfa
from tests.factories.pages import add_form_page

pytestmark = pytest.mark.django_db

MESSAGE = {"jmeno": "Jana Nováková", "e_mail": "jana@example.cz", "zprava": "Kdy bude odečet?"}


@pytest.fixture
def form_page(home):
    return add_form_page(home)


@pytest.fixture
def submission(client, form_page):
    assert client.post(form_page.url, MESSAGE).status_code == 200
    return FormSubmission.objects.get(page=form_page)


def submissions_url(form_page) -> str:
    return reverse("wagtailforms:list_submissions", args=[form_page.pk])


FORM_PAGES = "/admin/form-pages/"


def test_customer_service_reads_the_submissions(client, operator, form_page, submission):
    login_with_mfa(client, operator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert FORM_PAGES in home  # the admin menu's "Forms"
    assert form_page.title in client.get(FORM_PAGES).content.decode()
    html = client.get(submissions_url(form_page)).content.decode()
    assert "Kdy bude odečet?" in html and "jana@example.cz" in html


def test_superusers_see_the_submissions_box_when_editing_the_form(
    client, administrator, form_page, submission
):
    login_with_mfa(client, administrator)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[form_page.pk]))
    assert submissions_url(form_page) in edit.content.decode()


def test_editors_edit_the_form_but_do_not_read_the_submissions(
    client, editor, form_page, submission
):
    login_with_mfa(client, editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[form_page.pk]))
    assert edit.status_code == 200
    assert submissions_url(form_page) not in edit.content.decode()  # no "1 submission" box
    assert FORM_PAGES not in client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (FORM_PAGES, reverse("wagtailforms:index"), submissions_url(form_page)):
        response = client.get(url)
        assert form_page.title not in response.content.decode(), url
        assert "Kdy bude odečet?" not in response.content.decode(), url
    assert client.get(submissions_url(form_page)).status_code in (302, 403)
    delete = reverse("wagtailforms:delete_submissions", args=[form_page.pk])
    assert client.post(f"{delete}?selected-submissions={submission.pk}").status_code in (302, 403)
    assert FormSubmission.objects.filter(pk=submission.pk).exists()


def sent(page, days_ago: int) -> FormSubmission:
    item = FormSubmission.objects.create(page=page, form_data={"zprava": f"před {days_ago} dny"})
    FormSubmission.objects.filter(pk=item.pk).update(
        submit_time=timezone.now() - dt.timedelta(days=days_ago)
    )
    return item


def test_the_nightly_task_deletes_submissions_older_than_twelve_months(form_page):
    old, recent = sent(form_page, 370), sent(form_page, 300)
    assert purge_form_submissions_task.call_local() == 1
    assert list(FormSubmission.objects.all()) == [recent]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()


def test_the_retention_is_configurable_and_zero_keeps_everything(form_page, settings):
    sent(form_page, 370)
    sent(form_page, 100)
    settings.PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS = 0
    assert purge_form_submissions() == 0 and FormSubmission.objects.count() == 2
    settings.PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS = 3
    assert purge_form_submissions() == 2 and not FormSubmission.objects.exists()


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)
    assert months_before(moment, 12) == dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert months_before(moment, 15) == dt.datetime(2024, 12, 31, 12, 0, tzinfo=dt.UTC)


def test_the_form_says_how_long_messages_are_kept(client, form_page, settings):
    html = client.get(form_page.url).content.decode()
    assert "Vaši zprávu uchováme 12 měsíců" in html
    settings.PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS = 3
    assert "Vaši zprávu uchováme 3 měsíce" in client.get(form_page.url).content.decode()
