"""The customer portal: one Django app (label `portal`) in feature packages; see `portal/models/`
for how Django finds the models, `wagtail_hooks.py` for the admin and `tasks.py` for huey."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Customer portal")
