"""Who looked at which customer: the operators' access log.

Admin views that show one customer's data call `log_operator_access(request, customer, what)`
(customer and supply point inspect views, activation letters, …). Administrators read the log in
the admin (Settings → Operator access log); nobody can change it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from portal.lib.client_ip import request_ip_hash

from .models import OperatorAccessLog

if TYPE_CHECKING:
    from portal.billing.models import Customer


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
