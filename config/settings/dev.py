"""Development: debug on, an embedded insecure key, everything local."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-not-for-production"  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)

# runserver serves static files from the finders; whitenoise is for collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
