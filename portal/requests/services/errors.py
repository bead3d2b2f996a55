"""The errors of customer requests: each carries the message for the user."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.requests.models import CustomerRequest, RequestStatus

from . import plausibility


class RequestRefused(Exception):
    """A request the rules refuse; `message` is for the user, `field` the form field (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class UnusualValue(RequestRefused):
    """The value is outside the expected range: submit again with `confirm_unusual=True`."""

    def __init__(self, message: str, assessment: plausibility.Plausibility) -> None:
        super().__init__(message, "value")
        self.assessment = assessment


class RequestAlreadyDecided(RequestRefused):
    """Another operator decided the request first."""

    def __init__(self, obj: CustomerRequest) -> None:
        who = _person(obj.decided_by) or _("another operator")
        when = (
            timezone.localtime(obj.decided_at).strftime("%d.%m.%Y %H:%M") if obj.decided_at else "?"
        )
        if obj.status == RequestStatus.WITHDRAWN:
            when = timezone.localtime(obj.withdrawn_at).strftime("%d.%m.%Y %H:%M")
            message = _(
                "This request was withdrawn on %(when)s: ZIS no longer holds the customer or "
                "the meter it concerns."
            )
        elif obj.rejected_by_zis:
            message = _(
                "This request was approved by %(who)s on %(when)s and then rejected by ZIS."
            )
        elif obj.status == RequestStatus.REJECTED:
            message = _("This request was already rejected by %(who)s on %(when)s.")
        else:
            message = _("This request was already approved by %(who)s on %(when)s.")
        super().__init__(message % {"who": who, "when": when})
        self.request = obj


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()
