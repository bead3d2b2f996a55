from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsPagesConfig(AppConfig):
    name = "cms_pages"
    verbose_name = _("Public website")

    def ready(self) -> None:
        # The cached site frame (menu, footer, settings) listens to page and settings changes;
        # connect it in every process, also in those that never render a template (huey's
        # publish_scheduled, management commands).
        from cms_pages.templatetags import pramen_tags  # noqa: F401
