"""Settings shared by every environment. Values come from the environment (see docs/configuration.md)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.observability import logging_config

from .database import database_from_url
from .env import env_bool, env_int, env_list, env_storage, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PRAMEN_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms_pages",
    "portal",
    "zis",
    "config.apps.ProjectConfig",  # start-up hooks (the task queue's health probes)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.sites",
    "portal.accounts.apps.WagtailUsersConfig",  # wagtail.users, its user list access-logged
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "huey.contrib.djhuey",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",  # request.id, X-Request-ID, ids in log records
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.page_cache.PublicPageCacheMiddleware",  # whole public pages for anonymous visitors
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.route_cache.PageRouteCacheMiddleware",  # the site and Wagtail's routing, cached
]
# Sessions are read from the cache (Redis in production, shared by every server) and written
# through to the database, so a signed-in request costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

ROOT_URLCONF = "config.urls"
# Django's form renderer, with the <input> elements written in Python (same markup, less CPU).
FORM_RENDERER = "config.form_renderer.PramenFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'pramen.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Czech first, English second.
LANGUAGE_CODE = "cs"
LANGUAGES = [("cs", _("Czech")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Prague"
# The time zones staff may pick in their admin account: the full system list includes names
# such as "localtime" that browsers reject (a console error on the account page).
WAGTAIL_USER_TIME_ZONES = ["Europe/Prague", "UTC"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Rendered PDF documents (invoices, schedules, tax documents), reused until the document changes;
# private: never under MEDIA_URL, served only by scoped portal routes (portal/documents/cache.py).
PRAMEN_DOCUMENT_CACHE = Path(env_str("PRAMEN_DOCUMENT_CACHE", str(VAR_DIR / "documents")))
# Customers' photos of their meters: never under MEDIA_URL, served only by scoped views.
PRAMEN_PRIVATE_MEDIA_ROOT = Path(env_str("PRAMEN_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Where files live (Django's storage API): on this server's disk by default; on a shared folder
# or S3-compatible storage when several web servers serve Pramen (docs/install.md, "Scaling
# out"). Each is a storage class and its options (JSON): MEDIA_STORAGE_BACKEND/_OPTIONS,
# PRIVATE_STORAGE_BACKEND/_OPTIONS (meter photos), DOCUMENT_STORAGE_BACKEND/_OPTIONS (PDFs).
FILE_STORAGES = {
    "default": env_storage("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    "private": env_storage("PRIVATE_STORAGE", "portal.lib.storage.PrivateStorage"),
    "documents": env_storage("DOCUMENT_STORAGE", "portal.lib.storage.DocumentStorage"),
}
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pramen",
    }
}
REDIS_URL = env_str("REDIS_URL", "")
# Public pages kept whole for anonymous visitors (seconds; 0: off). See config/page_cache.py.
PRAMEN_PAGE_CACHE_SECONDS = env_int("PRAMEN_PAGE_CACHE_SECONDS", 300)
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed on the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pramen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Tasks: huey on Redis when HUEY_URL or REDIS_URL is set, otherwise on SQLite in var/.
HUEY_URL = env_str("HUEY_URL", "") or REDIS_URL
if HUEY_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "pramen",
        "url": HUEY_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "pramen",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Pramen")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public address of the site for links in e-mails (empty: the same as WAGTAILADMIN_BASE_URL).
PRAMEN_PUBLIC_BASE_URL = env_str("PRAMEN_PUBLIC_BASE_URL", "")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("cs", _("Czech"))]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILADMIN_PERMITTED_LANGUAGES = [("cs", "Čeština"), ("en", "English")]
WAGTAIL_DATE_FORMAT = "%d. %m. %Y"
WAGTAIL_DATETIME_FORMAT = "%d. %m. %Y %H:%M"

# The public "ask us" form: how many submissions one address may send in the window.
PRAMEN_FORM_RATE_LIMIT = env_int("PRAMEN_FORM_RATE_LIMIT", 5)
PRAMEN_FORM_RATE_WINDOW = env_int("PRAMEN_FORM_RATE_WINDOW", 600)
# Its stored submissions (names, e-mails, messages) are deleted this many months after they were
# sent by the nightly task cms_pages.tasks.purge_form_submissions_task; 0 keeps them.
PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS = env_int("PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS", 12)

# Logs go to the console (journald under systemd) with the request id; LOG_FORMAT=json writes
# one JSON object per line (the default in production). See config/observability.py.
LOGGING = logging_config(env_str("LOG_LEVEL", "INFO"), env_str("LOG_FORMAT", "text") == "json")

# --- Production hardening shared by every environment (see config/security.py, config/health.py)
# Who receives vulnerability reports (/.well-known/security.txt); empty: the e-mail address of
# the site's Utility settings.
PRAMEN_SECURITY_CONTACT = env_str("PRAMEN_SECURITY_CONTACT", "")
# /healthz answers 503 when the oldest queued task has waited longer than this (seconds).
PRAMEN_HEALTH_MAX_QUEUE_AGE = env_int("PRAMEN_HEALTH_MAX_QUEUE_AGE", 900)
# Processed and rejected ZIS batches (they hold plain activation codes) are deleted after this
# many days by the daily task zis.tasks.purge_batches_task; 0 keeps them.
ZIS_PURGE_AFTER_DAYS = env_int("ZIS_PURGE_AFTER_DAYS", 30)
# The admin contacts no third party: no update check against wagtail.org, no Gravatar images.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- ZIS (billing system) exchange: see zis/EXCHANGE.md ---------------------------------------
# Batch folders ZIS drops here are imported by a periodic task (zis.tasks.import_inbox_task);
# imported ones move to processed/, refused ones to rejected/, each with report.txt/report.json.
ZIS_INBOX = Path(env_str("ZIS_INBOX", str(VAR_DIR / "zis" / "inbox")))
# Shared secret for HMAC-SHA256 signatures of HTTP uploads from ZIS (empty: HTTP door closed).
ZIS_SHARED_SECRET = env_str("ZIS_SHARED_SECRET", "")
# Limits of HTTP uploads (zis/http/): the ZIP body; one unpacked file; the whole unpacked batch.
ZIS_MAX_UPLOAD_BYTES = env_int("ZIS_MAX_UPLOAD_BYTES", 512 * 1024 * 1024)
ZIS_MAX_BATCH_FILE_BYTES = env_int("ZIS_MAX_BATCH_FILE_BYTES", 4 * 1024 * 1024 * 1024)
ZIS_MAX_BATCH_BYTES = env_int("ZIS_MAX_BATCH_BYTES", 8 * 1024 * 1024 * 1024)
# The importer holds this many validated rows of a file in memory at a time; the rest wait in
# temporary files in ZIS_IMPORT_SPOOL_DIR (empty: the system's temporary folder).
ZIS_IMPORT_CHUNK_ROWS = env_int("ZIS_IMPORT_CHUNK_ROWS", 10_000)
ZIS_IMPORT_SPOOL_DIR = env_str("ZIS_IMPORT_SPOOL_DIR", "")
# A full batch's large unreferenced files are checked for duplicates in bucket files of about
# this many entries each; the applying keeps at most ZIS_IMPORT_KEYS_KEPT keys of referenced
# rows per entity in memory and looks the others up.
ZIS_IMPORT_BUCKET_ENTRIES = env_int("ZIS_IMPORT_BUCKET_ENTRIES", 250_000)
ZIS_IMPORT_KEYS_KEPT = env_int("ZIS_IMPORT_KEYS_KEPT", 300_000)
# Outbound (zis/outbound/): approved requests are written as batch folders into ZIS_OUTBOX every
# minute (zis.tasks.export_outbound_task); ZIS drops <batch_id>.ack.json into ZIS_ACKS (picked
# up every minute, moved to processed/ or rejected/). ZIS may pull and acknowledge over HTTP too.
ZIS_OUTBOX = Path(env_str("ZIS_OUTBOX", str(VAR_DIR / "zis" / "outbox")))
ZIS_ACKS = Path(env_str("ZIS_ACKS", str(VAR_DIR / "zis" / "acks")))

# --- Accounts: django-allauth (e-mail login, verification, MFA); see portal/accounts/ ------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # permissions (Wagtail) and the test client
    "allauth.account.auth_backends.AuthenticationBackend",  # e-mail + password, with MFA stages
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal-account:overview"
LOGOUT_REDIRECT_URL = "/"
# Every login goes through allauth, so the MFA stage cannot be skipped (see config/urls.py).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth resets passwords, for staff too

ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "portal.accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account; changing it verifies the new one first
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the user when the password or the address changes
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{WAGTAIL_SITE_NAME}: "
# "login_failed" counts wrong passwords per client address ("ip") and per account *and* address
# ("key", see portal/accounts/adapter.py): a wrong password typed elsewhere never locks the
# customer out; the trade-off is explained in docs/install.md (Security).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
    "reauthenticate": "10/m/user",
}

MFA_ADAPTER = "portal.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME

# Linking a customer: wrong codes allowed per user and per customer number within the window,
# after which linking is locked for the window; codes without an expiry date expire this many
# days after they were created; codes issued by an operator are valid this many days.
# Personal API: calls per token ("60/m" = 60 a minute; also "/s", "/h", "/d"). docs/api.md.
PRAMEN_API_RATE_LIMIT = env_str("PRAMEN_API_RATE_LIMIT", "60/m")
PRAMEN_LINK_MAX_FAILURES = env_int("PRAMEN_LINK_MAX_FAILURES", 5)
PRAMEN_LINK_LOCK_MINUTES = env_int("PRAMEN_LINK_LOCK_MINUTES", 15)
PRAMEN_ACTIVATION_CODE_MAX_AGE_DAYS = env_int("PRAMEN_ACTIVATION_CODE_MAX_AGE_DAYS", 365)
PRAMEN_ACTIVATION_CODE_VALID_DAYS = env_int("PRAMEN_ACTIVATION_CODE_VALID_DAYS", 30)

# The advance advisor's recomputation after an import, in this many tasks (one per task worker).
PRAMEN_ADVISOR_TASKS = env_int("PRAMEN_ADVISOR_TASKS", 2)

# Consumption warnings (docs/insights.md): continuous flow = each of FLOW_DAYS days at least
# FLOW_MIN_M3; step up = the last STEP_DAYS days' mean ≥ STEP_FACTOR × the median of the
# HISTORY_DAYS before (and higher by STEP_MIN_M3 a day); a manual reading whose daily average is
# ≥ READING_FACTOR × the history (or the legal benchmark); comparisons need MIN_GROUP (≥ 20) points.
PRAMEN_INSIGHTS_FLOW_MIN_M3 = env_str("PRAMEN_INSIGHTS_FLOW_MIN_M3", "0.5")
PRAMEN_INSIGHTS_FLOW_DAYS = env_int("PRAMEN_INSIGHTS_FLOW_DAYS", 7)
PRAMEN_INSIGHTS_STEP_FACTOR = env_str("PRAMEN_INSIGHTS_STEP_FACTOR", "2")
PRAMEN_INSIGHTS_STEP_DAYS = env_int("PRAMEN_INSIGHTS_STEP_DAYS", 7)
PRAMEN_INSIGHTS_HISTORY_DAYS = env_int("PRAMEN_INSIGHTS_HISTORY_DAYS", 28)
PRAMEN_INSIGHTS_STEP_MIN_M3 = env_str("PRAMEN_INSIGHTS_STEP_MIN_M3", "0.1")
PRAMEN_INSIGHTS_READING_FACTOR = env_str("PRAMEN_INSIGHTS_READING_FACTOR", "2")
PRAMEN_INSIGHTS_MIN_GROUP = env_int("PRAMEN_INSIGHTS_MIN_GROUP", 20)
