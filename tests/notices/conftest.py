"""Notices under the portal pages' notice list, with helpers to publish them as an editor does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.notices.models import NoticeIndexPage, NoticePage, NoticePlace


@pytest.fixture
def notice_index(portal) -> NoticeIndexPage:
    return NoticeIndexPage.objects.get()


def add_notice(index, title="Odstávka vody", places=(), publish=True, **fields) -> NoticePage:
    """A notice with `places` (dicts of NoticePlace fields), published (which announces it)."""
    now = timezone.now()
    notice = NoticePage(
        title=title,
        kind=fields.pop("kind", "outage"),
        starts_at=fields.pop("starts_at", now + dt.timedelta(days=2)),
        expected_end_at=fields.pop("expected_end_at", now + dt.timedelta(days=2, hours=6)),
        body=fields.pop("body", "<p>Z důvodu opravy vodovodního řadu.</p>"),
        **fields,
    )
    notice.places = [NoticePlace(**place) for place in places]
    index.add_child(instance=notice)
    if publish:
        notice.save_revision().publish()
    return NoticePage.objects.get(pk=notice.pk)


def republish(notice: NoticePage, **changes) -> NoticePage:
    for name, value in changes.items():
        setattr(notice, name, value)
    notice.save_revision().publish()
    return NoticePage.objects.get(pk=notice.pk)
