"""Personal API tokens in the admin: operators see who holds which token (never the secret, only
its beginning) and revoke one, e.g. when a customer calls because a token leaked. Tokens are made
by their users in My account only. The list shows customers' e-mail addresses, so every page of it
is recorded in the operators' access log. Registered in `portal/wagtail_hooks.py`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.log_actions import log

from portal.audit.services import AccessLoggedListMixin
from portal.lib.admin import ViewAndRemoveModelViewSet, WordSearchIndexView

from .models import ApiToken

REVOKE_ACTION = "pramen.revoke_api_token"


def register_api_token_log_actions(actions: Any) -> None:
    """For the `register_log_actions` hook: how a revocation shows in the history."""
    actions.register_action(REVOKE_ACTION, _("Revoke API token"), _("API token revoked"))


class ApiTokenIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = _("API token list")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "customer")

    def get_delete_url(self, instance):
        return None if instance.revoked_at else super().get_delete_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for button in buttons:
            if button.url == self.get_delete_url(instance):
                button.label = _("Revoke a token")
                button.icon_name = "cross"
        return buttons


class RevokeApiTokenView(generic.DeleteView):
    """The admin's delete, made a revocation: the token stays listed, with when it stopped."""

    page_title = _("Revoke a token")
    success_message = _("The token %(object)s no longer works.")

    @property
    def confirmation_message(self):
        return _("Revoke this token? %(user)s's programs using “%(name)s” stop at once.") % {
            "user": self.object.user.email,
            "name": self.object.name,
        }

    def delete_action(self):
        if self.object.revoke():
            log(self.object, REVOKE_ACTION, user=self.request.user)


class ApiTokenViewSet(ViewAndRemoveModelViewSet):
    """Who holds which personal API token (docs/api.md); view and revoke only."""

    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    name = "api-tokens"
    menu_order = 340
    index_view_class = ApiTokenIndexView
    delete_view_class = RevokeApiTokenView
    inspect_view_fields = [
        "user",
        "name",
        "customer",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    form_fields = ["name"]  # never shown: the policy allows no add or change
    list_display = [
        Column("name", label=_("Name")),
        Column("user", label=_("User"), accessor="user.email"),
        Column("customer", label=_("Customer"), accessor="customer"),
        Column("hint", label=_("Token begins")),
        DateColumn("last_used_at", label=_("Last used")),
        DateColumn("expires_at", label=_("Expires")),
        DateColumn("revoked_at", label=_("Revoked")),
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__email", "name", "hint", "customer__number"]
    ordering = ["-created_at"]
