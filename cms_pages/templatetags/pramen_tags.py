"""Template tags of the site's frame: navigation, the utility's settings, the language switch.

The frame (menu, home link, utility settings with the logo, the accessibility statement link) is
the same for every visitor of a site in a language, so it is built once and kept in the cache
(Redis in production, shared by every worker) instead of costing a dozen queries per page. It
holds no user data. Any save or delete of a page, a site, the settings or an image, a page move
or a view restriction change drops it at once (a new cache generation); a timeout bounds its life
in processes that change pages without ever loading these tags.

The header and footer rendered from it are kept too (`frame_fragment`), with the same generation
and everything else they show in their key, except the CSRF token, which each request puts in.
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

register = template.Library()

FRAME_GENERATION_KEY = "pramen:frame:generation"
FRAME_TIMEOUT = 300  # seconds; changes made in this process's kind are seen at once anyway
LOGO_FILTER = "height-48"


@dataclass(frozen=True)
class FrameLink:
    """A page of the frame: what the header and footer need from it, without the page."""

    title: str
    url: str
    path: str  # the tree path, to mark the current section


@dataclass(frozen=True)
class Logo:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Frame:
    root: FrameLink | None
    menu: list[FrameLink]
    utility: Any  # cms_pages.UtilitySettings (its fields and properties only)
    logo: Logo | None
    accessibility_statement: FrameLink | None
    price_page: FrameLink | None = None  # the utility's prices, linked from bill explanations


def clear_frame_cache(**kwargs: Any) -> None:
    """Start a new cache generation: every cached frame is dropped at once."""
    cache.set(FRAME_GENERATION_KEY, uuid.uuid4().hex, None)


def _clear_on_model_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.images import get_image_model

    from cms_pages.models import UtilitySettings

    watched = (Page, Site, PageViewRestriction, UtilitySettings, get_image_model())
    if isinstance(instance, watched):
        clear_frame_cache()


post_save.connect(_clear_on_model_change, dispatch_uid="pramen-frame-True")
# Deletions are heard from the watched models only: a post_delete receiver of every model would
# make every QuerySet.delete() in the project load its rows first (Django deletes in one
# statement only what nobody listens to). Deleting a page of any type sends post_delete for its
# Page row too.
for _model in (
    "wagtailcore.Page",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "cms_pages.UtilitySettings",
    get_image_model_string(),
):
    post_delete.connect(
        _clear_on_model_change, sender=_model, dispatch_uid=f"pramen-frame-{_model}"
    )
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(clear_frame_cache, dispatch_uid="pramen-frame-pages")


def frame_generation() -> str:
    """The current generation of the page tree and settings: part of the key of anything cached
    from them (a new one on every change, see `clear_frame_cache`)."""
    generation = cache.get(FRAME_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(FRAME_GENERATION_KEY, generation, None):
            generation = cache.get(FRAME_GENERATION_KEY, generation)
    return generation


def _link(page: Page, request: Any) -> FrameLink:
    return FrameLink(page.title, page.get_url(request) or "", page.path)


def _build_frame(site: Site, request: Any) -> Frame:
    from cms_pages.models import AccessibilityStatementPage, UtilitySettings

    root = site.root_page
    menu = root.get_children().live().public().in_menu()
    statement = AccessibilityStatementPage.objects.live().public().first()
    utility = UtilitySettings.for_site(site)
    logo = None
    if utility.logo_id:
        rendition = utility.logo.get_rendition(LOGO_FILTER)
        logo = Logo(rendition.url, rendition.width, rendition.height)
    price_page = utility.price_page if utility.price_page_id else None
    utility._state.fields_cache = {}  # keep the site and the image out of the cached copy
    return Frame(
        root=_link(root, request),
        menu=[_link(page, request) for page in menu],
        utility=utility,
        logo=logo,
        accessibility_statement=_link(statement, request) if statement else None,
        price_page=_link(price_page, request) if price_page and price_page.live else None,
    )


def site_frame(request: Any) -> Frame | None:
    """The frame of the request's site in the active language (cached; None without a site)."""
    if request is None:
        return None
    frame = getattr(request, "_pramen_frame", None)
    if frame is not None:
        return frame
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = f"pramen:frame:{frame_generation()}:{site.pk}:{translation.get_language()}"
    frame = cache.get(key)
    if frame is None:
        frame = _build_frame(site, request)
        cache.set(key, frame, FRAME_TIMEOUT)
    request._pramen_frame = frame
    request._pramen_frame_key = key
    return frame


def utility_for_request(request: Any) -> Any:
    """The utility's settings of the request's site: the frame's cached copy (no query)."""
    frame = site_frame(request)
    if frame is not None:
        return frame.utility
    from cms_pages.models import UtilitySettings

    return UtilitySettings.for_request(request)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[FrameLink]:
    """The home page's live, public children marked "show in menus", in tree order."""
    frame = site_frame(context.get("request"))
    return frame.menu if frame else []


@register.simple_tag(takes_context=True)
def site_root(context) -> FrameLink | None:
    """The site's home page (title, url)."""
    frame = site_frame(context.get("request"))
    return frame.root if frame else None


@register.simple_tag(takes_context=True)
def utility_settings(context) -> Any:
    """The utility's settings of the request's site (name, address, …), from the cache."""
    frame = site_frame(context.get("request"))
    if frame is not None:
        return frame.utility
    from cms_pages.models import UtilitySettings

    return UtilitySettings()


@register.simple_tag(takes_context=True)
def utility_logo(context) -> Logo | None:
    """The logo's rendition for the header (None: the default logo)."""
    frame = site_frame(context.get("request"))
    return frame.logo if frame else None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each interface language."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in (("cs", "Česky"), ("en", "English"))
    ]


@register.filter
def is_ancestor_or_self(page, current) -> bool:
    if current is None or page is None:
        return False
    return current.path.startswith(page.path)


@register.simple_tag(takes_context=True)
def accessibility_statement(context) -> FrameLink | None:
    """The accessibility statement page (title, url), if one is published."""
    frame = site_frame(context.get("request"))
    return frame.accessibility_statement if frame else None


@register.filter
def json_ld(data) -> str:
    """Structured data for search engines, escaped like Django's json_script."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    escapes = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
    payload = json.dumps(data, ensure_ascii=False).translate(escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


# Stands in for the CSRF token in a kept fragment; each request puts its own token in its place.
CSRF_SLOT = "pramen0csrf0token0slot"


def _fragment_key(context: Any, template: Any) -> str | None:
    """The cache key of a frame fragment rendered in this context, or None when it is not kept.

    The header and footer read only the frame (its generation, site and language are in the frame's
    key), the language, the current path (the language switch), the current page's tree path (the
    menu's current item), whether the visitor is signed in, the URL namespace (the account link's
    current mark), static files and the template's own text; the CSRF token is left as a slot.
    Only a page of the site's tree is kept, and only at a path without a query string; error
    pages, other views and a search query shown in the box are rendered afresh, so visitors
    cannot fill the cache with addresses of their own making.
    """
    request = context.get("request")
    page_path = getattr(context.get("page"), "path", None)
    if (
        request is None
        or not page_path
        or request.META.get("QUERY_STRING")
        or context.get("search_query")
    ):
        return None
    site_frame(request)
    frame_key = getattr(request, "_pramen_frame_key", None)
    if frame_key is None:
        return None
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    parts = (
        template.origin.template_name,
        zlib.crc32(template.source.encode()),
        static("brand/logo.svg"),
        getattr(request, "LANGUAGE_CODE", ""),
        bool(user is not None and user.is_authenticated),
        match.namespace if match else "",
        page_path,
        request.get_full_path(),
    )
    return f"{frame_key}:fragment:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def _csrf_input(token: Any) -> str:
    """What `{% csrf_token %}` writes for this token (nothing without one)."""
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def frame_fragment(context, template_name: str) -> SafeString:
    """A part of the frame (header, footer) rendered as `{% include %}` would, kept in the cache.

    What goes into the fragment is in its key (`_fragment_key`), except the CSRF token, which is
    put in for each request: a kept fragment is the same for every visitor of that key.
    """
    template = context.template.engine.get_template(template_name)
    key = _fragment_key(context, template)
    if key is None:
        return template.render(context)
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=CSRF_SLOT):
            html = str(template.render(context))
        cache.set(key, html, FRAME_TIMEOUT)
    if CSRF_SLOT in html:  # only then is the token read, as {% csrf_token %} would read it
        html = html.replace(_csrf_input(CSRF_SLOT), _csrf_input(context.get("csrf_token")))
    return mark_safe(html)  # noqa: S308 - rendered by the template, the token escaped
