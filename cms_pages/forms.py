"""Spam protection, the answers in words and the sender's confirmation for the "ask us" form."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


def client_key(request) -> str:
    """A hashed identifier of the sender's address, for the rate limit."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _take_rate_limit_slot(key: str) -> bool:
    """Count one attempt from `key`; False when the window's allowance is used up."""
    cache_key = f"pramen:form-rate:{key}"
    window = settings.PRAMEN_FORM_RATE_WINDOW
    cache.add(cache_key, 0, timeout=window)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        attempts = 1
    return attempts <= settings.PRAMEN_FORM_RATE_LIMIT


class SpamProtectionMixin(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    client_key = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The trap goes last, after every field a person fills in.
        self.fields[HONEYPOT_FIELD] = self.fields.pop(HONEYPOT_FIELD)

    def clean(self):
        cleaned = super().clean()
        if cleaned.pop(HONEYPOT_FIELD, ""):
            raise forms.ValidationError(
                _("The message was not sent. Please leave the last field empty."), code="honeypot"
            )
        if self.client_key and not _take_rate_limit_slot(self.client_key):
            minutes = max(1, settings.PRAMEN_FORM_RATE_WINDOW // 60)
            raise forms.ValidationError(
                _(
                    "Too many messages were sent from your connection. "
                    "Please try again in %(minutes)s minutes or call us."
                )
                % {"minutes": minutes},
                code="rate_limited",
            )
        return cleaned


def with_spam_protection(form_class: type[forms.Form]) -> type[forms.Form]:
    return type("ProtectedForm", (SpamProtectionMixin, form_class), {})


def sender_address(form: forms.Form) -> str:
    for name, field in form.fields.items():
        if isinstance(field, forms.EmailField) and form.cleaned_data.get(name):
            return form.cleaned_data[name]
    return ""


def format_answer(value: Any) -> str:
    """One answer as a person writes it: "ano"/"ne" for a checkbox, never "True" or "None"."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None or value == "" or value == []:
        return gettext("(not filled in)")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def format_answers(form: forms.Form) -> str:
    """The submitted answers, one "label: answer" line per field (for the staff and the sender)."""
    return "\n".join(
        f"{field.label}: {format_answer(form.cleaned_data.get(name))}"
        for name, field in form.fields.items()
        if name != HONEYPOT_FIELD
    )


def send_confirmation(page, form: forms.Form) -> None:
    """E-mail the sender a copy of what they sent, if the page asks for it and they gave an address."""
    recipient = sender_address(form)
    if not page.confirmation_subject or not recipient:
        return
    answers = format_answers(form)
    body = f"{page.confirmation_text.strip()}\n\n{answers}\n".lstrip()
    send_mail(
        page.confirmation_subject,
        body,
        page.from_address or settings.DEFAULT_FROM_EMAIL,
        [recipient],
    )
