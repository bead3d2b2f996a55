"""What the "ask us" form keeps: names, e-mail addresses and messages of the public.

- Only customer service reads them: staff with the `cms_pages.view_form_submissions` permission
  (the Operators group has it, superusers have every permission) see the form pages and their
  submissions in the admin (Forms); editing the page alone no longer shows them. Wagtail's own
  list of form pages also wants a page permission, which customer service need not have, so the
  admin menu's "Forms" opens `FormPagesView`, the same list guarded by this permission instead.
- They are deleted PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS months after they were sent (0 keeps
  them) by the nightly task `cms_pages.tasks.purge_form_submissions_task`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_form_types
from wagtail.contrib.forms.views import FormPagesListView
from wagtail.models import Page

from .models import VIEW_SUBMISSIONS


def form_pages_for_user(user: Any, editable_forms: QuerySet) -> QuerySet:
    """For Wagtail's `filter_form_submissions_for_user` hook: the form pages whose submissions
    `user` may read — every form page with the permission, none without it."""
    if not user.has_perm(VIEW_SUBMISSIONS):
        return editable_forms.none()
    return Page.objects.filter(content_type__in=get_form_types())


class FormPagesView(FormPagesListView):
    """Wagtail's list of form pages (Forms), opened by the permission to read submissions."""

    any_permission_required = None
    index_url_name = "cms_pages_form_pages"
    index_results_url_name = "cms_pages_form_pages_results"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(VIEW_SUBMISSIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def form_pages_urls() -> list:
    """For the `register_admin_urls` hook."""
    return [
        path("form-pages/", FormPagesView.as_view(), name="cms_pages_form_pages"),
        path(
            "form-pages/results/",
            FormPagesView.as_view(results_only=True),
            name="cms_pages_form_pages_results",
        ),
    ]


def point_forms_menu_here(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    """For the `construct_main_menu` hook: "Forms" opens `FormPagesView`."""
    for item in menu_items:
        if item.name == "forms":
            item.url = reverse("cms_pages_form_pages")


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` months earlier (the month's last day if it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge_form_submissions(months: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete submissions older than `months` (default: the setting; 0 keeps them); how many."""
    months = settings.PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS if months is None else months
    if months <= 0:
        return 0
    cutoff = months_before(timezone.localtime(now or timezone.now()), months)
    deleted, _by_model = FormSubmission.objects.filter(submit_time__lt=cutoff).delete()
    return deleted
