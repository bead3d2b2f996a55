"""Who every e-mail comes from: the utility's name and contacts from its site settings.

The portal's own notifications and allauth's account e-mails (sign-up, password reset, MFA) share
these helpers, so that no message greets from a host name or comes from "noreply@localhost" under
another name than the utility's.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

from django.conf import settings


def utility_settings() -> Any:
    """The utility's name and contacts, from the default site (defaults without a site)."""
    from wagtail.models import Site

    from cms_pages.models import UtilitySettings

    site = Site.objects.filter(is_default_site=True).first()
    return UtilitySettings.for_site(site) if site else UtilitySettings()


def sender_address(utility_name: str, utility_email: str = "") -> str:
    """DEFAULT_FROM_EMAIL's address under the utility's name: "Vodárna Testov <noreply@…>".

    Where DEFAULT_FROM_EMAIL is left at its development placeholder (an address at "localhost",
    which no customer can answer or trust), the utility's own e-mail address is used instead.
    """
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if utility_email and (not address or address.endswith("@localhost")):
        address = utility_email
    name = utility_name or name
    if not address or not name:
        return settings.DEFAULT_FROM_EMAIL
    if re.search(r'[()<>@,;:\\".\[\]]', name):  # RFC 5322 specials: quote the name
        name = '"{}"'.format(name.replace("\\", "\\\\").replace('"', '\\"'))
    return f"{name} <{address}>"  # Django encodes a non-ASCII name when it sends


def subject_with_name(subject: str, utility_name: str) -> str:
    """ "Vodárna Testov: <subject>", the subject line of every e-mail."""
    subject = " ".join(subject.split())
    return f"{utility_name}: {subject}" if utility_name else subject
