"""The customer portal: one Django app (label `portal`) in feature packages; see `portal/models/`
for how Django finds the models, `wagtail_hooks.py` for the admin and `tasks.py` for huey."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from portal.accounts.middleware import record_enrolment

        authenticator_added.connect(record_enrolment, dispatch_uid="pramen-mfa-enrolment")

        from portal.documents import content
        from portal.mailings.invitations import schedule_link

        content.reading_link_provider = schedule_link  # the payment calendar's reading QR code

        from wagtail.signals import page_published

        from portal.notices.signals import notice_published

        page_published.connect(notice_published, dispatch_uid="pramen-notice-published")
