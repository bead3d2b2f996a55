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
