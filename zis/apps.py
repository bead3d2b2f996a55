from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZisConfig(AppConfig):
    name = "zis"
    verbose_name = _("Billing system (ZIS)")
