"""Whole-page cache of the public website for anonymous visitors.

`PublicPageCacheMiddleware` keeps the HTML of public Wagtail pages (home, standard pages, news,
FAQ, case studies, the accessibility statement: every `cms_pages.models.PublicPage`) in the
cache (Redis in production, shared by the workers) and answers the next anonymous visitor of
the same address from there, without touching the database.

Safe by construction — a response is stored only when all of these hold:

- the request is a GET without a session cookie and without a messages cookie (anyone signed
  in, customer or staff, has a session: they always get a fresh page showing their login state
  and Wagtail's userbar) and nobody is signed in once the view has run;
- the path is not the admin, accounts, the portal's account pages, `/zis/`, `/healthz` or
  documents (checked first, so those never even look the cache up);
- the response is a 200 rendered from a template whose `page` is a `PublicPage` (opt-in by page
  type: form pages, portal pages and anything new are never cached until they are such pages);
- it sets no cookie (a CSRF token, a message, a session: all show as `Set-Cookie`, because this
  middleware sits outside the CSRF, messages and authentication middleware), did not change the
  session, is not `Cache-Control: private/no-store/no-cache`, not streamed, not a preview;
- its HTML did not use the request's CSP nonce (`request.csp_nonce.used`, config/security.py):
  a cached nonce would be replayed to every later visitor, so such pages are simply not stored.

Key: scheme, host, full path with query, the active language and the frame's cache generation
(`cms_pages.templatetags.pramen_tags.frame_generation()`): any save, publish, unpublish, move
or delete of a page, a site, the settings, an image or a document (watched here) starts a new
generation, so every cached page is dropped at once and an edit shows on the next request.
`PRAMEN_PAGE_CACHE_SECONDS` bounds an entry's life (default 300; 0 turns the cache off), which
also covers what no signal reports (e.g. a date-dependent listing).

Order (config/settings/base.py): after the session and locale middleware (the language is
active, the key can use it) and before CommonMiddleware, CSRF, authentication and messages.
The request id (`X-Request-ID`), the Content Security Policy, HSTS and the other security
headers are added by middleware outside this one, so a hit carries the current request's id
and headers. Hits and misses say so in `X-Cache`; a hit says `Vary: Cookie` like the miss did
(the session middleware adds it when the header reads the session), so no proxy or browser cache
hands a stored anonymous page to a signed-in visitor.

Why not Django's `UpdateCacheMiddleware`/`FetchFromCacheMiddleware`: they key on the URL and
the `Vary` headers, cache whatever is not marked private (an opt-out), need two entries in
MIDDLEWARE at both ends of the list (which would put them outside the request id and CSP
middleware) and cannot be invalidated by a generation; this module is an opt-in by page type
in one place.

Every distinct query string is its own entry: the timeout and the cache's own eviction
(Redis `maxmemory-policy`, the local-memory cache's 300 entries) bound what random query
strings can fill.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.documents import get_document_model_string

CACHE_HEADER = "X-Cache"
KEY_PREFIX = "pramen:page"
DEFAULT_SECONDS = 300
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
# Headers of the stored response that belong to one request only (added again by the outer
# middleware on every hit, or never to be replayed).
PER_REQUEST_HEADERS = {
    "x-request-id",
    "content-security-policy",
    "set-cookie",
    CACHE_HEADER.lower(),
}
UNCACHEABLE_CONTROL = ("private", "no-store", "no-cache")
EXCLUDED_PREFIXES = ("admin/", "accounts/", "ucet/", "_util/", "zis/", "healthz", "documents/")


def _clear_on_document_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Pages link documents by file name: a replaced or deleted document drops every cached
    page too (the frame's generation watches pages, sites, settings and images only)."""
    from wagtail.documents import get_document_model

    from cms_pages.templatetags.pramen_tags import clear_frame_cache

    if isinstance(instance, get_document_model()):
        clear_frame_cache()


post_save.connect(_clear_on_document_change, dispatch_uid="pramen-page-cache-True")
# Deletions of documents only: a post_delete receiver of every model would make every
# QuerySet.delete() in the project load its rows first.
post_delete.connect(
    _clear_on_document_change,
    sender=get_document_model_string(),
    dispatch_uid="pramen-page-cache-False",
)


def page_cache_seconds() -> int:
    return int(getattr(settings, "PRAMEN_PAGE_CACHE_SECONDS", DEFAULT_SECONDS) or 0)


def is_excluded_path(path: str) -> bool:
    """Paths never cached, with or without a language prefix (`/en/accounts/…`)."""
    parts = path.lstrip("/").split("/", 1)
    languages = {code for code, _name in settings.LANGUAGES}
    rest = parts[1] if parts[0] in languages and len(parts) > 1 else path.lstrip("/")
    return rest.startswith(EXCLUDED_PREFIXES)


def may_use_cache(request: HttpRequest) -> bool:
    """May this request be answered from the cache (and its answer be stored)?"""
    if request.method not in {"GET", "HEAD"}:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    return not is_excluded_path(request.path)


def page_key(request: HttpRequest) -> str | None:
    """The cache key of the request's page, or None when the host is not allowed."""
    from cms_pages.templatetags.pramen_tags import frame_generation

    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    address = "\n".join(
        (request.scheme or "", host, request.get_full_path(), translation.get_language() or "")
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{KEY_PREFIX}:{frame_generation()}:{digest}"


def is_public_page_response(response: HttpResponse) -> bool:
    from cms_pages.models import PublicPage

    context = getattr(response, "context_data", None)
    page = context.get("page") if isinstance(context, dict) else None
    return isinstance(page, PublicPage)


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Is this response the same for every anonymous visitor (see the module's docstring)?"""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNCACHEABLE_CONTROL):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    nonce = getattr(request, "csp_nonce", None)
    if nonce is not None and getattr(nonce, "used", False):
        return False
    return is_public_page_response(response)


def freeze(response: HttpResponse) -> dict[str, Any]:
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in PER_REQUEST_HEADERS
    ]
    return {"status": response.status_code, "headers": headers, "content": response.content}


def thaw(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


class PublicPageCacheMiddleware:
    """Serve public pages to anonymous visitors from the cache (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = page_cache_seconds()
        if seconds <= 0 or not may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None:
            response = thaw(entry)
            # As the miss said (the header read the session): it depends on the visitor's cookies.
            patch_vary_headers(response, ("Cookie",))
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if may_store(request, response):
            cache.set(key, freeze(response), seconds)
            response[CACHE_HEADER] = "miss"
        return response
