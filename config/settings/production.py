"""Production: every secret and host comes from the environment; nothing falls back silently.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (the error names the
variable). `manage.py check --deploy` passes without a warning. Every variable is documented in
site/deploy/.env.example and docs/configuration.md; the installation in docs/install.md.
"""

from django.core.exceptions import ImproperlyConfigured

from config.observability import init_error_reporting, logging_config

from .base import *  # noqa: F403
from .base import REDIS_URL, ZIS_SHARED_SECRET
from .database import database_from_url
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
env_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASES = {
    "default": database_from_url(
        env_required("DATABASE_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if ZIS_SHARED_SECRET and not REDIS_URL:
    raise ImproperlyConfigured(
        "ZIS_SHARED_SECRET is set (the HTTP door for ZIS is open), so REDIS_URL is required: "
        "the door remembers used signatures in a cache every worker must share."
    )

# The client's address: the proxy passes it in X-Real-IP (rate limits count per visitor).
PRAMEN_TRUSTED_PROXIES = env_list("PRAMEN_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
MIDDLEWARE = ["config.security.ProxyClientAddressMiddleware", *MIDDLEWARE]  # noqa: F405

# Static files: hashed names (nginx serves them from STATIC_ROOT with a long cache lifetime;
# whitenoise is the fallback when Pramen is reached without the proxy).
STORAGES = {
    **FILE_STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any such
# header from the client, as site/deploy/nginx/pramen.conf does). Set SECURE_PROXY_SSL_HEADER
# to an empty value only when Pramen is reached without such a proxy.
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO").strip()
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local probes speak plain HTTP to gunicorn
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload HSTS for the domain (and its subdomains) is the utility's
    # decision, made with SECURE_HSTS_PRELOAD=1; its absence is not a defect of this install.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: HTTPS only, not readable by scripts (except CSRF's, which Wagtail's admin reads).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Logs: JSON lines with the request id (LOG_FORMAT=text for plain lines).
LOGGING = logging_config(env_str("LOG_LEVEL", "INFO"), env_str("LOG_FORMAT", "json") == "json")

# Optional error reporting (Sentry or a compatible service); needs `pip install sentry-sdk`.
SENTRY_DSN = env_str("SENTRY_DSN", "")
init_error_reporting(SENTRY_DSN, env_str("SENTRY_ENVIRONMENT", "production"))
