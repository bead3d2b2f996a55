"""Staff must use MFA: no Wagtail admin page until an authenticator is set up and used.

A signed-in user with access to the admin (`is_staff`, superuser, or the
`wagtailadmin.access_admin` permission) who opens any /admin/ URL is sent

- to the TOTP activation page when they have no authenticator yet, and
- to allauth's MFA re-authentication when this session has not passed an MFA check (a session
  made some other way than allauth's login with its MFA stage, e.g. before they enrolled).

Only the admin's logout stays reachable. The public site and the account pages are unaffected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def has_admin_access(user: Any) -> bool:
    """Whether `user` can use the Wagtail admin (and therefore must use MFA)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def mfa_passed_in_session(request: HttpRequest, user: Any) -> bool:
    """This session passed an MFA check: at login, by re-authenticating, or by enrolling."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.models import Authenticator

    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    started = min((record["at"] for record in records if "at" in record), default=None)
    if started is None:
        return False
    # Activating an authenticator checks a code from it, so enrolling in this session counts.
    return Authenticator.objects.filter(
        user=user,
        type=Authenticator.Type.TOTP,
        created_at__gte=dt.datetime.fromtimestamp(started, tz=dt.UTC),
    ).exists()


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refuse(request) or self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        user = getattr(request, "user", None)
        if not has_admin_access(user) or request.path == reverse("wagtailadmin_logout"):
            return None
        from allauth.mfa.utils import is_mfa_enabled

        if not is_mfa_enabled(user):
            messages.warning(
                request,
                _(
                    "The administration requires two-factor authentication. Set up an "
                    "authenticator app on your phone to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        if not mfa_passed_in_session(request, user):
            messages.warning(
                request,
                _("Confirm it is you with a code from your authenticator app to continue."),
            )
            url = reverse("mfa_reauthenticate")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return None
