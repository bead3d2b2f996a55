"""Template tags of the site's frame: navigation and the language switch."""

from django import template
from django.conf import settings
from django.urls import translate_url
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list:
    """The home page's live children marked "show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().specific())


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


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
def accessibility_statement(context):
    from cms_pages.models import AccessibilityStatementPage

    return AccessibilityStatementPage.objects.live().public().first()


@register.filter
def json_ld(data) -> str:
    """Structured data for search engines, escaped like Django's json_script."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    escapes = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
    payload = json.dumps(data, ensure_ascii=False).translate(escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
