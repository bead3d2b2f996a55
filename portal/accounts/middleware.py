"""Staff must use MFA: no Wagtail admin page until an authenticator is set up and used.

A signed-in user with access to the admin (`is_staff`, superuser, or the
`wagtailadmin.access_admin` permission) who opens any /admin/ URL is sent

- to the TOTP activation page when they have no authenticator yet, and
- to allauth's MFA re-authentication when this session has not passed an MFA check.

Whether a session passed is read from allauth's own record of the authentications done in that
session (`get_authentication_records`): an "mfa" record is written by allauth's MFA stage at
login (a TOTP or a recovery code), by MFA re-authentication, and by enrolling an authenticator
in this session (`record_enrolment`). Nothing is judged by time or by what other sessions did: a
session signed in with the password alone stays refused even after the user enrolled elsewhere.

Only the admin's logout stays reachable. The public site and the account pages are unaffected,
except the pages that show or replace the second factor (recovery codes, switching the app off):
anyone with MFA, staff or customer, opens them only from a session that passed MFA, or a password
alone would reach the recovery codes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def has_admin_access(user: Any) -> bool:
    """Whether `user` can use the Wagtail admin (and therefore must use MFA)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def mfa_passed_in_session(request: HttpRequest, user: Any) -> bool:
    """This session passed an MFA check: at login, by re-authenticating, or by enrolling here."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def record_enrolment(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    """Receiver of allauth's `authenticator_added`: activating an authenticator app checks a
    code from it, so the session that enrolled has passed MFA; allauth records no authentication
    for it, so this adds one to allauth's record of the session."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )


# allauth's pages that show or replace the second factor.
MFA_MANAGEMENT_VIEWS = frozenset(
    {
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_deactivate_totp",
    }
)


@lru_cache(maxsize=32)
def _paths(language: str | None, script_prefix: str, urlconf: Any) -> tuple[str, frozenset[str]]:
    """The admin's path and the paths of `MFA_MANAGEMENT_VIEWS` (they take no arguments) in
    `language`: reversed once, since resolving every signed-in request's path against the whole
    URLconf cost more than the rest of this middleware."""
    return reverse("wagtailadmin_home"), frozenset(reverse(name) for name in MFA_MANAGEMENT_VIEWS)


def _paths_now() -> tuple[str, frozenset[str]]:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _paths(translation.get_language(), get_script_prefix(), urlconf)


def is_mfa_management(request: HttpRequest) -> bool:
    return request.path in _paths_now()[1]


def confirm_code(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request, _("Confirm it is you with a code from your authenticator app to continue.")
    )
    url = reverse("mfa_reauthenticate")
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refuse(request) or self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        from allauth.mfa.utils import is_mfa_enabled

        user = getattr(request, "user", None)
        if not request.path.startswith(_paths_now()[0]):
            signed_in = user is not None and user.is_authenticated
            if signed_in and is_mfa_management(request) and is_mfa_enabled(user):
                return None if mfa_passed_in_session(request, user) else confirm_code(request)
            return None
        if not has_admin_access(user) or request.path == reverse("wagtailadmin_logout"):
            return None

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
            return confirm_code(request)
        return None
