"""Customer access in the admin: customer links (inspect, revoke) and activation codes (inspect,
issue with a printable letter). Their lists show customers' names and numbers, so every page of
them is recorded in the operators' access log. Declarative; registered in
`portal/wagtail_hooks.py`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.users.views.users import IndexView as UserIndexView
from wagtail.users.views.users import UserViewSet

from portal.accounts import admin_views
from portal.accounts.models import ActivationCode, CustomerLink, EInvoiceConsent
from portal.audit.services import AccessLoggedListMixin
from portal.lib.admin import index_view_selecting


class CustomerLinkIndexView(AccessLoggedListMixin, index_view_selecting("user", "customer")):
    access_log_what = _("customer link list")


class ActivationCodeIndexView(AccessLoggedListMixin, index_view_selecting("customer")):
    access_log_what = _("activation code list")


class AccessLoggedUserIndexView(AccessLoggedListMixin, UserIndexView):
    access_log_what = _("user list")


class AccessLoggedUserViewSet(UserViewSet):
    """Wagtail's Settings → Users; its list shows customers' accounts, so it is access-logged
    (installed by `portal.accounts.apps.WagtailUsersConfig`)."""

    index_view_class = AccessLoggedUserIndexView


class CustomerLinkViewSet(ModelViewSet):
    """Who may see which customer; operators revoke links here (links are made with codes)."""

    model = CustomerLink
    icon = "link"
    menu_label = _("Customer links")
    name = "customer-links"
    inspect_view_enabled = True
    inspect_view_class = admin_views.CustomerLinkInspectView
    inspect_view_fields = ["user", "customer_label", "created_at", "ended_at", "end_reason"]
    delete_view_class = admin_views.RevokeCustomerLinkView
    copy_view_enabled = False
    list_display = [
        Column("customer", label=_("Customer"), accessor="customer_label"),
        Column("user", label=_("User"), accessor="user.email"),
        DateColumn("created_at", label=_("Linked at")),
        DateColumn("ended_at", label=_("Ended")),  # ZIS removed the customer (end_reason)
    ]
    list_filter = ["created_at"]
    search_fields = ["user__email", "customer__number", "customer__name", "customer_number"]
    ordering = ["-created_at"]
    form_fields = ["user", "customer"]  # never shown: the policy allows no add or change

    index_view_class = CustomerLinkIndexView


class ActivationCodeViewSet(ModelViewSet):
    """Codes from ZIS and issued by operators (with the printable letter)."""

    model = ActivationCode
    icon = "key"
    menu_label = _("Activation codes")
    name = "activation-codes"
    add_view_class = admin_views.IssueActivationCodeView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ActivationCodeInspectView
    inspect_view_fields = ["customer", "zis_id", "valid_until", "used_at", "created_at"]
    copy_view_enabled = False
    form_fields = ["customer"]
    list_display = [
        Column("customer", label=_("Customer"), accessor="customer"),
        DateColumn("valid_until", label=_("Valid until")),
        DateColumn("used_at", label=_("Used at")),
        BooleanColumn("zis_id", label=_("From ZIS")),
        DateColumn("created_at", label=_("Created at")),
    ]
    list_filter = ["valid_until", "used_at"]
    search_fields = ["customer__number", "customer__name"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return admin_views.IssueActivationCodeForm

    index_view_class = ActivationCodeIndexView


class EInvoiceConsentIndexView(AccessLoggedListMixin, index_view_selecting("customer")):
    access_log_what = _("e-invoice consent list")


class EInvoiceConsentViewSet(ModelViewSet):
    """Customers' e-invoice consents and withdrawals (read only): when, by whom, and in which
    outbound batch ZIS got them (docs/mailings.md)."""

    model = EInvoiceConsent
    icon = "mail"
    menu_label = _("E-invoice consents")
    name = "einvoice-consents"
    copy_view_enabled = False
    form_fields = ["customer"]  # never shown: the policy allows no add or change
    list_display = [
        Column("customer", label=_("Customer"), accessor="customer"),
        BooleanColumn("consented", label=_("E-invoices")),
        Column("email", label=_("E-mail")),
        DateColumn("at", label=_("Time")),
        Column("outbound_batch_id", label=_("Outbound batch")),
    ]
    list_filter = ["consented", "at"]
    search_fields = ["customer__number", "customer__name", "email"]
    ordering = ["-at"]

    index_view_class = EInvoiceConsentIndexView


class CustomerAccessViewSetGroup(ModelViewSetGroup):
    menu_label = _("Customer access")
    menu_icon = "user"
    menu_order = 320
    items = (CustomerLinkViewSet, ActivationCodeViewSet, EInvoiceConsentViewSet)
