"""Who looked at which customer: the operators' access log.

Admin views that show one customer's data call `log_operator_access(request, customer, what)`
(customer and supply point inspect views, activation letters, …). Lists and searches that show
customers' personal data (customers, supply points, customer links, activation codes, the request
queues, e-mail notifications, Wagtail's user list) log every page they answer with
`log_list_access(request, what)`,
through `AccessLoggedListMixin`: who, when, which view and the query (search words and filters).
Administrators read the log in the admin (Settings → Operator access log); nobody can change it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from portal.lib.client_ip import request_ip_hash

from .models import OperatorAccessLog

if TYPE_CHECKING:
    from portal.billing.models import Customer


# Control characters (NUL above all: PostgreSQL refuses it in text) never reach the log.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def printable(value: str, length: int) -> str:
    return CONTROL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", value)[:length]


def describe_query(request: HttpRequest) -> str:
    """The search and filters of a list, readable: "q=Novák status=pending p=2"."""
    return " ".join(f"{key}={value}" for key, values in request.GET.lists() for value in values)


def _log(
    request: HttpRequest, what: str, customer: Customer | None, query: str
) -> OperatorAccessLog:
    user = request.user if request.user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    return OperatorAccessLog.objects.create(
        user=user,
        user_display=printable(user.email or user.get_username() if user else "", 255),
        customer=customer,
        customer_number=customer.number if customer else "",
        what=printable(str(what), 255),
        query=printable(query, 500),
        view_name=printable(match.view_name if match else "", 200),
        path=printable(request.get_full_path(), 500),
        ip_hash=request_ip_hash(request),
    )


def log_operator_access(request: HttpRequest, customer: Customer, what: str) -> OperatorAccessLog:
    """Record that `request.user` opened `what` (e.g. "customer detail") of `customer`."""
    return _log(request, what, customer, "")


def log_list_access(request: HttpRequest, what: str) -> OperatorAccessLog:
    """Record that `request.user` opened the list `what` (e.g. "customer list") with the
    search and filters of the request."""
    return _log(request, what, None, describe_query(request))


class AccessLoggedListMixin:
    """For admin list views of customers' data: every answered page (the listing and its
    search/filter results) is logged with `access_log_what`."""

    access_log_what: Any = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        log_list_access(request, self.access_log_what)
        return response
