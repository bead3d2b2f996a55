"""The calendar feed's URL: the secret in the address is the only credential (calendar apps
cannot send headers). A wrong or revoked address is a 404 whose log line leaves the secret out."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .feed import render_feed
from .models import CalendarFeed, hash_secret

logger = logging.getLogger(__name__)


@require_GET
def calendar(request: HttpRequest, feed_secret: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_secret(feed_secret), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        response = HttpResponse(status=404, content_type="text/plain; charset=utf-8")
        # Django would log "Not Found: /kalendar/<secret>.ics": log without the path instead.
        logger.warning("Calendar feed: unknown or revoked address")
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(
        render_feed(feed.user, request.get_host(), scheme=request.scheme),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="pramen.ics"'
    return response
