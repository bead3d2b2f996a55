"""Who looked at which customer: the operators' access log, and hashed client addresses.

Admin views that show one customer's data call `log_operator_access(request, customer, what)`
(customer and supply point inspect views, activation letters, …). Administrators read the log in
the admin (Settings → Operator access log); nobody can change it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from portal.models import OperatorAccessLog

if TYPE_CHECKING:
    from portal.models import Customer

IP_HASH_SALT = "pramen.accounts.ip"


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""


def hash_ip(ip: str) -> str:
    """A keyed hash of an IP address: equal addresses match, the address itself is not kept."""
    if not ip:
        return ""
    return salted_hmac(IP_HASH_SALT, ip, algorithm="sha256").hexdigest()[:32]


def request_ip_hash(request: HttpRequest) -> str:
    return hash_ip(client_ip(request))


def log_operator_access(request: HttpRequest, customer: Customer, what: str) -> OperatorAccessLog:
    """Record that `request.user` opened `what` (e.g. "customer detail") of `customer`."""
    user = request.user if request.user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    return OperatorAccessLog.objects.create(
        user=user,
        user_display=(user.email or user.get_username() if user else "")[:255],
        customer=customer,
        customer_number=customer.number,
        what=str(what)[:255],
        view_name=(match.view_name if match else "")[:200],
        path=request.get_full_path()[:500],
        ip_hash=request_ip_hash(request),
    )
