"""The one place where allauth is customised (ACCOUNT_ADAPTER and MFA_ADAPTER in settings).

- After login, staff go to the admin and customers to "My account"; either way the address is
  moved to the user's preferred language (/… for Czech, /en/… for English).
- Sign-up remembers the language the user signed up in as their preference.
- Staff cannot switch off their authenticator app (MFA is required for them).
- Users are shown by their e-mail address (ACCOUNT_USER_DISPLAY); usernames stay internal.
- allauth's e-mails (sign-up, password, e-mail address, MFA) come from the utility as every other
  e-mail does: its name as the sender and in the subject, its contacts in the signature
  (templates/account/email/base_message.txt).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language

from portal.accounts.models import AccountProfile
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


class AccountAdapter(DefaultAccountAdapter):
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
