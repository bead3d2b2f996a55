"""Security headers Django does not send itself, and `/.well-known/security.txt`.

`SecurityHeadersMiddleware` adds a Content Security Policy without `'unsafe-inline'` to every
response, plus a Permissions-Policy (SecurityMiddleware already sends X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy; this one only fills them in if missing).

Pages may use `{{ request.csp_nonce }}` on an inline `<script>` or `<style>`; the nonce then
appears in the policy of that response only. Our own templates need none: code lives in
`site/static/js/`, styles in `site/static/css/`, data for scripts in `json_script` blocks.

The Wagtail admin (under `/admin/`) gets a relaxed policy, because Wagtail 8 still writes inline
code there. Found by loading the admin in Chromium under the public policy and reading the
console (`tests/e2e/test_csp.py`; docs/install.md § Security); the dashboard, the image library
and the userbar on public pages need nothing more:

- `script-src 'unsafe-inline'`: the page editor's date and date-time widgets (go-live and expiry
  dates) render `<script>initDateChooser(…)</script>`, the page explorer's listing has inline
  scripts, and jQuery in `vendor.js` runs scripts contained in HTML fragments it inserts;
- `style-src 'unsafe-inline'`: the editor's components (in `vendor.js`) insert `<style>` elements
  and set `style` attributes;
- `img-src blob:`: previews of images chosen for upload;
- `frame-ancestors 'self'`: the live preview shows the page in an iframe of the editor.

Everything else (no external origins, `object-src 'none'`, `base-uri 'self'`,
`form-action 'self'`) stays as strict as on the public site.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

CSP_HEADER = "Content-Security-Policy"
ADMIN_PREFIX = "/admin/"

PUBLIC_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "manifest-src": ["'self'"],
}

# What the Wagtail admin needs beyond the public policy (see the module's docstring).
ADMIN_RELAXATIONS: dict[str, list[str]] = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-ancestors": ["'self'"],
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class CspNonce:
    """A per-request nonce that remembers whether a template used it."""

    def __init__(self) -> None:
        self.value = secrets.token_urlsafe(18)
        self.used = False

    def __str__(self) -> str:
        self.used = True
        return self.value


def admin_origin() -> str:
    """The origin of WAGTAILADMIN_BASE_URL: the userbar on public pages loads its assets there."""
    parts = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def build_policy(*, admin: bool, nonce: str = "", upgrade_insecure: bool = False) -> str:
    """The policy of one response, as the header's value."""
    policy = {name: list(sources) for name, sources in PUBLIC_POLICY.items()}
    if admin:
        for name, sources in ADMIN_RELAXATIONS.items():
            base = [] if name == "frame-ancestors" else policy[name]
            policy[name] = [*base, *sources]
    else:
        origin = admin_origin()
        if origin:  # the Wagtail userbar shown to signed-in editors
            for name in ("script-src", "style-src", "img-src", "connect-src"):
                policy[name].append(origin)
        if nonce:
            policy["script-src"].append(f"'nonce-{nonce}'")
            policy["style-src"].append(f"'nonce-{nonce}'")
    parts = [f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in policy.items()]
    if upgrade_insecure:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = CspNonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if CSP_HEADER not in response and not is_debug_page(response):
            response[CSP_HEADER] = build_policy(
                admin=request.path.startswith(ADMIN_PREFIX),
                nonce=nonce.value if nonce.used else "",
                upgrade_insecure=bool(getattr(settings, "SECURE_SSL_REDIRECT", False)),
            )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def is_debug_page(response: HttpResponse) -> bool:
    """Django's technical error pages (DEBUG only) are full of inline code: leave them alone."""
    return settings.DEBUG and response.status_code in {404, 500}


@require_GET
@cache_control(public=True, max_age=86400)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: whom to tell about a vulnerability. The contact comes from
    PRAMEN_SECURITY_CONTACT, else from the site's Utility settings (e-mail); none: 404."""
    contact = security_contact(request)
    if not contact:
        raise Http404("No security contact is configured.")
    expires = timezone.now().replace(microsecond=0) + timedelta(days=180)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: cs, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def security_contact(request: HttpRequest) -> str:
    configured = getattr(settings, "PRAMEN_SECURITY_CONTACT", "").strip()
    if configured:
        return configured if ":" in configured else f"mailto:{configured}"
    from wagtail.models import Site

    from cms_pages.models import UtilitySettings

    site = Site.find_for_request(request)
    if site is None:
        return ""
    email = UtilitySettings.for_site(site).email
    return f"mailto:{email}" if email else ""


class ProxyClientAddressMiddleware:
    """Behind the reverse proxy every request comes from the proxy's address. When it comes from
    one of PRAMEN_TRUSTED_PROXIES, take the client's address from the X-Real-IP header the
    proxy sets (overwriting any sent by the client), so that rate limits, allauth's included,
    count per visitor. Requests from elsewhere keep their own address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = set(getattr(settings, "PRAMEN_TRUSTED_PROXIES", []))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") in self.trusted:
            client = request.META.get("HTTP_X_REAL_IP", "").strip()
            if client and is_ip_address(client):
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def is_ip_address(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
