from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms_pages import views as cms_views
from config import health, security
from portal.api import pwa
from portal.api.urls import account_urls, feed_urls
from portal.api.views import api as personal_api
from portal.mailings import views as mailing_views

# Every sign-in goes through allauth (MFA stage included): Wagtail's own logins redirect there.
login_redirect = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("admin/login/", login_redirect, name="admin-login-redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots-txt"),
    # Browsers ask for /favicon.ico on their own (printed letters, feeds, some tabs): the site's icon.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}brand/favicon.svg", permanent=True),
        name="favicon",
    ),
    path(".well-known/security.txt", security.security_txt, name="security-txt"),
    path("healthz", health.healthz, name="healthz"),  # monitoring (docs/install.md § 11)
    path("zis/api/v1/", include("zis.http.urls")),  # the HTTP door for ZIS (zis/EXCHANGE.md § 4)
    path("api/v1/", personal_api.urls),  # the personal API (docs/api.md)
    path("", feed_urls),  # calendar feeds (docs/api.md)
    # The installable web app: the worker's scope is the URL it is served from, so it sits at /.
    path("sw.js", pwa.service_worker, name="pwa-service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("offline/", pwa.offline, name="pwa-offline"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    urlpatterns += [
        path("404/", TemplateView.as_view(template_name="404.html")),
        path("500/", TemplateView.as_view(template_name="500.html")),
    ]

urlpatterns += i18n_patterns(
    path("hledat/", cms_views.search, name="search"),
    # Signing out also clears what the browser cached of the customer's pages (portal/api/pwa.py).
    path("accounts/logout/", pwa.ClearingLogoutView.as_view(), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("ucet/api/", account_urls),
    path("ucet/", include("portal.accounts.urls")),
    # A reading invitation's signed link: the self-reading form without signing in (public)
    path("odecet/<str:token>/", mailing_views.reading_form, name="mailings-reading"),
    path("_util/login/", login_redirect, name="frontend-login-redirect"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
