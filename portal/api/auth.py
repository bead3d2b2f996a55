"""Who is calling the personal API: a bearer token, looked up by its hash, and a rate per token.

The token travels only in the `Authorization` header (never in a URL), so neither nginx's access
log nor Django's request log ever sees it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from .models import ApiToken, hash_secret

# How often `last_used_at` is written: the token list shows the day and hour, not every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token from My account (Authorization: Bearer pramen_…)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        now = timezone.now()
        found = (
            ApiToken.objects.usable(now)
            .select_related("user")
            .filter(token_hash=hash_secret(token))
            .first()
        )
        if found is None:
            return None
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most `PRAMEN_API_RATE_LIMIT` calls per token ("60/m": 60 a minute)."""

    scope = "pramen-api-token"

    def __init__(self) -> None:
        super().__init__(rate=settings.PRAMEN_API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the setting on every call, so that a changed limit needs no restart of the API.
        self.rate = settings.PRAMEN_API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token: Any = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
