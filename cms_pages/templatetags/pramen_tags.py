"""Template tags of the site's frame: navigation, the utility's settings, the language switch.

The frame (menu, home link, utility settings with the logo, the accessibility statement link) is
the same for every visitor of a site in a language, so it is built once and kept in the cache
(Redis in production, shared by every worker) instead of costing a dozen queries per page. It
holds no user data. Any save or delete of a page, a site, the settings or an image, a page move
or a view restriction change drops it at once (a new cache generation); a timeout bounds its life
in processes that change pages without ever loading these tags.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.urls import translate_url
from django.utils import translation
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


for _signal in (post_save, post_delete):
    _signal.connect(_clear_on_model_change, dispatch_uid=f"pramen-frame-{_signal is post_save}")
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
