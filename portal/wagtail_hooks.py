"""Registers the portal's admin viewsets (defined in `viewsets.py`) and their permission policies."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.accounts.admin_views import RestrictedPermissionPolicy
from portal.models import ActivationCode, CustomerLink, OperatorAccessLog

from .viewsets import CustomerAccessViewSetGroup, OperatorAccessLogViewSet

# --- Accounts (issue 4) ---------------------------------------------------------------------------
# Links are made with codes only (no add/change); codes are issued (add), never edited by hand;
# the operator access log is read-only and for superusers.
register_permission_policy(
    CustomerLink, RestrictedPermissionPolicy(CustomerLink, {"view", "delete"})
)
register_permission_policy(
    ActivationCode, RestrictedPermissionPolicy(ActivationCode, {"view", "add", "delete"})
)
register_permission_policy(
    OperatorAccessLog,
    RestrictedPermissionPolicy(OperatorAccessLog, {"view"}, superusers_only=True),
)


@hooks.register("register_admin_viewset")
def register_customer_access_viewsets():
    return CustomerAccessViewSetGroup()


@hooks.register("register_admin_viewset")
def register_operator_access_log_viewset():
    return OperatorAccessLogViewSet()


# --- Customers and supply points (issue 3): read-only, see customer_viewsets.py ---------------------
from portal.customer_viewsets import CustomersViewSetGroup  # noqa: E402
from portal.models import Customer, SupplyPoint  # noqa: E402

register_permission_policy(Customer, RestrictedPermissionPolicy(Customer, {"view"}))
register_permission_policy(SupplyPoint, RestrictedPermissionPolicy(SupplyPoint, {"view"}))


@hooks.register("register_admin_viewset")
def register_customer_viewsets() -> CustomersViewSetGroup:
    return CustomersViewSetGroup()


# --- Customer requests (issue 6): operators' decisions in the objects' history ----------------------
from portal.request_admin_views import register_request_log_actions  # noqa: E402

hooks.register("register_log_actions", register_request_log_actions)


# --- E-mail notifications (issue 6): see notification_viewsets.py -----------------------------------
from portal import notification_viewsets  # noqa: E402
from portal.models import Notification  # noqa: E402

# Rows are written by the portal only: operators view them and resend ("change"), nobody edits them.
register_permission_policy(
    Notification, RestrictedPermissionPolicy(Notification, {"view", "change"})
)
hooks.register("register_log_actions", notification_viewsets.register_notification_log_actions)
hooks.register("construct_homepage_panels", notification_viewsets.add_failed_notifications_panel)


@hooks.register("register_admin_viewset")
def register_notification_viewset() -> notification_viewsets.NotificationViewSet:
    return notification_viewsets.NotificationViewSet()


# --- Operators' queues of customer requests (issue 6): see request_viewsets.py --------------------
from portal.models.requests import AddressChangeRequest, SelfReadingRequest  # noqa: E402
from portal.request_admin_views import (  # noqa: E402
    ApproveBulkAction,
    add_pending_requests_panel,
)
from portal.request_viewsets import RequestsViewSetGroup  # noqa: E402

for _request_model in (SelfReadingRequest, AddressChangeRequest):
    register_permission_policy(
        _request_model, RestrictedPermissionPolicy(_request_model, {"view", "decide"})
    )

hooks.register("register_admin_viewset", RequestsViewSetGroup)
hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("construct_homepage_panels", add_pending_requests_panel)
