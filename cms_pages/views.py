"""Site-wide public views: search results and robots.txt."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

RESULTS_PER_PAGE = 10
SEARCH_MAX_LENGTH = 200
# Control characters (NUL among them, which PostgreSQL refuses in any text) cannot be typed into
# the search box: a query containing one is refused rather than searched for.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Search the live public pages of this site; a query with control characters is refused
    (400, with the reason on the page)."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    results = Page.objects.none()
    if CONTROL_CHARACTERS.search(query):
        return TemplateResponse(
            request,
            "cms_pages/search.html",
            {
                "search_query": "",
                "search_error": _("The search text contains characters that cannot be searched."),
                "results": Paginator(results, RESULTS_PER_PAGE).page(1),
            },
            status=400,
        )
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request,
        "cms_pages/search.html",
        {"search_query": query, "results": page_obj},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /portal/",
        "Disallow: /ucet/",
        "Disallow: /en/accounts/",
        "Disallow: /en/portal/",
        "Disallow: /en/ucet/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
