"""Registers each feature's admin viewsets, permission policies, panels and log actions.

The classes live in the features' `viewsets.py` and `admin_views.py`; this module only wires them.
Permission policies offer groups just the actions that make sense: ZIS owns the billing data
(view only), links are made with codes (view, revoke), codes are issued but never edited, the
operators' access log is read by superusers only, notifications are viewed and resent, requests
are viewed and decided, visitors' notice subscriptions are viewed and deleted, personal API
tokens are viewed and revoked.
"""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.accounts.models import ActivationCode, CustomerLink, EInvoiceConsent
from portal.accounts.viewsets import CustomerAccessViewSetGroup
from portal.api.models import ApiToken
from portal.api.viewsets import ApiTokenViewSet, register_api_token_log_actions
from portal.audit.models import OperatorAccessLog
from portal.audit.viewsets import OperatorAccessLogViewSet
from portal.billing.models import Customer, SupplyPoint
from portal.billing.viewsets import CustomersViewSetGroup
from portal.insights.admin_views import add_open_warnings_panel
from portal.lib.admin import RestrictedPermissionPolicy
from portal.notices.models import NoticeSubscription
from portal.notices.viewsets import NoticeSubscriptionViewSet
from portal.notifications.models import Notification
from portal.notifications.viewsets import (
    NotificationViewSet,
    add_failed_notifications_panel,
    register_notification_log_actions,
)
from portal.pages.guides import add_help_panel, admin_urls
from portal.requests.admin_views import (
    ApproveBulkAction,
    add_pending_requests_panel,
    register_request_log_actions,
)
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    SelfReadingRequest,
)
from portal.requests.viewsets import RequestsViewSetGroup

POLICIES = [
    (Customer, {"view"}),
    (SupplyPoint, {"view"}),
    (CustomerLink, {"view", "delete"}),
    (ActivationCode, {"view", "add", "delete"}),
    (EInvoiceConsent, {"view"}),
    (NoticeSubscription, {"view", "delete"}),
    (ApiToken, {"view", "delete"}),  # delete: revoke (the token stays listed)
    (Notification, {"view", "change"}),
    (SelfReadingRequest, {"view", "decide"}),
    (AddressChangeRequest, {"view", "decide"}),
    (AdvanceChangeRequest, {"view", "decide"}),
]
for model, actions in POLICIES:
    register_permission_policy(model, RestrictedPermissionPolicy(model, actions))
register_permission_policy(
    OperatorAccessLog,
    RestrictedPermissionPolicy(OperatorAccessLog, {"view"}, superusers_only=True),
)

for viewset in (
    CustomersViewSetGroup,
    CustomerAccessViewSetGroup,
    OperatorAccessLogViewSet,
    NotificationViewSet,
    RequestsViewSetGroup,
    NoticeSubscriptionViewSet,
    ApiTokenViewSet,
):
    hooks.register("register_admin_viewset", viewset)

hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_log_actions", register_request_log_actions)
hooks.register("register_log_actions", register_notification_log_actions)
hooks.register("register_log_actions", register_api_token_log_actions)
hooks.register("construct_homepage_panels", add_pending_requests_panel)
hooks.register("construct_homepage_panels", add_failed_notifications_panel)
hooks.register("construct_homepage_panels", add_open_warnings_panel)
hooks.register("construct_homepage_panels", add_help_panel)
hooks.register("register_admin_urls", admin_urls)
