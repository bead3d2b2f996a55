"""Visitors' notice subscriptions in the admin: operators find one by e-mail or place (a visitor
who calls in) and delete it. The list shows e-mail addresses, so every page of it is recorded in
the operators' access log. Registered in `portal/wagtail_hooks.py`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic

from portal.audit.services import AccessLoggedListMixin
from portal.lib.admin import ViewAndRemoveModelViewSet, WordSearchIndexView

from .models import NoticeSubscription


class NoticeSubscriptionIndexView(AccessLoggedListMixin, WordSearchIndexView):
    access_log_what = _("notice subscription list")


class DeleteNoticeSubscriptionView(generic.DeleteView):
    success_message = _("The subscription %(object)s has been deleted.")

    @property
    def confirmation_message(self):
        return _("Delete this subscription? %(email)s will get no more notices for %(place)s.") % {
            "email": self.object.email,
            "place": self.object.place,
        }


class NoticeSubscriptionViewSet(ViewAndRemoveModelViewSet):
    """Subscriptions of visitors without an account (docs/notices.md); view and delete only:
    visitors make them on the public site and confirm them by e-mail."""

    model = NoticeSubscription
    icon = "mail"
    menu_label = _("Notice subscriptions")
    name = "notice-subscriptions"
    menu_order = 330
    index_view_class = NoticeSubscriptionIndexView
    delete_view_class = DeleteNoticeSubscriptionView
    inspect_view_fields = [
        "email",
        "municipality",
        "street",
        "house_number",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    form_fields = ["email"]  # never shown: the policy allows no add or change
    list_display = [
        Column("email", label=_("E-mail")),
        Column("place", label=_("Place")),
        DateColumn("created_at", label=_("Created at")),
        BooleanColumn("is_active", label=_("Active")),
        DateColumn("unsubscribed_at", label=_("Unsubscribed")),
    ]
    list_filter = ["confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "municipality", "street", "house_number"]
    ordering = ["-created_at"]
