"""Wagtail's user administration (Settings → Users), with its listing in the operators' access
log: it lists the accounts of customers, i.e. their e-mail addresses and names. Installed in
INSTALLED_APPS in place of "wagtail.users" (same app, same label); the viewset is
`portal.accounts.viewsets.AccessLoggedUserViewSet`."""

from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "portal.accounts.viewsets.AccessLoggedUserViewSet"
