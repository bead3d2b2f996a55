"""The installable web app: manifest, service worker (/sw.js), offline page, and the logout that
clears what the browser kept.

The service worker (templates/pwa/sw.js) keeps the site's shell (styles, scripts, icons, the
offline page) and a copy of the last dashboard viewed, which it shows offline marked as not
current. That copy is deleted on sign-out (the page deletes it before the sign-out form is sent;
the sign-out response also carries `Clear-Site-Data: "cache"`), and on every page shown to a
signed-out visitor (site/static/js/pwa.js), e.g. after a session expired.
"""

from __future__ import annotations

import hashlib

from allauth.account.views import LogoutView
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

BRAND_COLOUR = "#0b5394"
SHELL_STATIC = [
    "css/pramen.css",
    "css/portal.css",
    "js/pramen.js",
    "js/pwa.js",
    "brand/logo.svg",
    "brand/favicon.svg",
    "brand/app/icon-192.png",
]


def _start_url() -> str:
    """The portal's dashboard (the page model is looked up by name: pages sit beside this
    package, not below it)."""
    home = apps.get_model("portal", "PortalHomePage").objects.live().first()
    return home.url if home is not None and home.url else "/"


def _utility_name() -> str:
    settings_model = apps.get_model("cms_pages", "UtilitySettings")
    instance = settings_model.objects.first()
    return getattr(instance, "name", "") or "Pramen"


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    name = _utility_name()
    icons = [
        {"src": static("brand/app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("brand/app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("brand/app/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "name": _("%(name)s – customer portal") % {"name": name},
        "short_name": name[:12],
        "description": _("Your supply points, readings, invoices and advances."),
        "lang": request.LANGUAGE_CODE,
        "id": "/",
        "start_url": _start_url(),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_vary_headers(response, ["Accept-Language", "Cookie"])  # in the visitor's language
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "offline_url": reverse("pwa-offline"),
        "shell_urls": [reverse("pwa-offline"), *(static(path) for path in SHELL_STATIC)],
        "static_prefix": static(""),
    }
    body = render_to_string("pwa/sw.js", context)
    # A new version (other static files, a changed worker) installs a new shell cache.
    context["version"] = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = render_to_string("pwa/sw.js", context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def offline(request: HttpRequest) -> HttpResponse:
    # Rendered for nobody in particular: it is kept in the browser for anyone using it.
    request.user = AnonymousUser()
    return render(request, "pwa/offline.html", {"offline_page": True})


class ClearingLogoutView(LogoutView):
    """allauth's sign-out, telling the browser to drop what it cached of the customer's pages."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = '"cache"'
        return response
