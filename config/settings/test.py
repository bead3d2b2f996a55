"""Tests: fast hashing, tasks run at once, mail kept in memory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="pramen-test-media-")
PRAMEN_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="pramen-test-private-")
# Files the tests write (PDF cache, ZIS outbound batches and acks) never land in var/.
PRAMEN_DOCUMENT_CACHE = Path(tempfile.mkdtemp(prefix="pramen-test-documents-"))
ZIS_OUTBOX = Path(tempfile.mkdtemp(prefix="pramen-test-outbox-"))
ZIS_ACKS = Path(tempfile.mkdtemp(prefix="pramen-test-acks-"))
HUEY = {"huey_class": "huey.MemoryHuey", "name": "pramen-test", "immediate": True}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **FILE_STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come from the finders in tests (the live server serves them itself).
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
