"""The one place where allauth is customised (ACCOUNT_ADAPTER and MFA_ADAPTER in settings).

- After login, staff go to the admin and customers to "My account"; either way the address is
  moved to the user's preferred language (/… for Czech, /en/… for English).
- Sign-up remembers the language the user signed up in as their preference.
- No second password prompt right after signing in: a login in this session less than
  ACCOUNT_REAUTHENTICATION_TIMEOUT ago counts as the re-authentication that allauth asks for
  before account changes (e.g. staff setting up the authenticator app straight after login).
- Failed logins are throttled per account *and* client address (see `login_throttle_key`), so
  nobody can lock a customer out by typing wrong passwords from elsewhere; each one is logged
  (logger `portal.accounts`, with the account and a hash of the address) so that guessing spread
  over many addresses shows in the logs.
- Staff cannot switch off their authenticator app (MFA is required for them).
- Users are shown by their e-mail address (ACCOUNT_USER_DISPLAY); usernames stay internal.
- allauth's e-mails (sign-up, password, e-mail address, MFA) come from the utility as every other
  e-mail does: its name as the sender and in the subject, its contacts in the signature
  (templates/account/email/base_message.txt).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language

from portal.accounts.models import AccountProfile
from portal.lib.client_ip import request_ip_hash
from portal.lib.languages import Language
from portal.lib.mail_identity import sender_address, subject_with_name, utility_settings

from .middleware import has_admin_access
from .services import preferred_language


def user_display(user: Any) -> str:
    """How allauth names a user in pages and e-mails: the e-mail address, never the username."""
    return user.email or user.get_username()


def localize_redirect(response: HttpResponse, language: str) -> HttpResponse:
    """Point a redirect at the same page in `language` (non-i18n URLs are left alone)."""
    if language and isinstance(response, HttpResponseRedirect):
        location = response["Location"]
        # Resolve the address in its own language (a Czech "next" on the English login page).
        own = translation.get_language_from_path(urlsplit(location).path)
        with translation.override(own or settings.LANGUAGE_CODE):
            response["Location"] = translate_url(location, language)
    return response


logger = logging.getLogger("portal.accounts")

# Methods of a completed sign-in step; a password reset link is not counted as a fresh login.
FRESH_LOGIN_METHODS = {"password", "mfa"}


def signed_in_recently(request: HttpRequest | None) -> bool:
    """The signed-in user passed a login step in this session within the re-authentication
    timeout (allauth's own record of the session's authentications)."""
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    timeout = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    now = time.time()
    return any(
        record.get("method") in FRESH_LOGIN_METHODS and now - record.get("at", 0) < timeout
        for record in get_authentication_records(request, user)
    )


def address_block(ip: str) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64 network (one household or phone
    usually holds a whole /64, so throttling single IPv6 addresses would be easy to dodge)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)


def login_throttle_key(request: HttpRequest, login: str, ip: str) -> str:
    """The key of the failed-login limit: the account *and* the client's address."""
    return f"{get_current_site(request).domain}:{login.lower()}:{address_block(ip)}"


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        if signed_in_recently(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth counts failed logins ("login_failed" in ACCOUNT_RATE_LIMITS, per "key") under
        this key; by default the account alone, which lets anyone lock a customer out."""
        login = credentials.get("email", credentials.get("username", ""))
        try:
            ip = self.get_client_ip(request)
        except PermissionDenied:  # no address at all: count per account, as allauth does
            ip = ""
        return login_throttle_key(request, login, ip)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = credentials.get("email", credentials.get("username", ""))
        logger.warning(
            "Failed sign-in for %s from address %s", login, request_ip_hash(request) or "?"
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if has_admin_access(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            language = (get_language() or "cs")[:2]
            if language not in Language.values:
                language = Language.CZECH
            AccountProfile.objects.get_or_create(user=user, defaults={"language": language})
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"utility": utility_settings(), **context})

    def format_email_subject(self, subject: str) -> str:
        return subject_with_name(str(subject), utility_settings().name)

    def get_from_email(self) -> str:
        utility = utility_settings()
        return sender_address(utility.name, utility.email)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        return localize_redirect(response, preferred_language(user))


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Any) -> bool:
        if authenticator.type == authenticator.Type.TOTP and has_admin_access(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
