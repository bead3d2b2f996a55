"""Forms of the "My account" pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import AccountProfile
from portal.lib.languages import NATIVE_NAMES


class LinkCustomerForm(forms.Form):
    customer_number = forms.CharField(
        label=_("Customer number"),
        max_length=64,
        help_text=_("You will find it on your invoice or on the letter with the activation code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=64,
        help_text=_("For example ABCD-EFGH-JKLM. Upper or lower case, dashes do not matter."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = AccountProfile
        # Every kind of e-mail the portal sends, each with its switch (docs/mailings.md).
        fields = [
            "language",
            "notify_request_decisions",
            "notify_notices",
            "notify_warnings",
            "notify_reminders",
            "reminder_days",
            "einvoice",
            "notify_invitations",
        ]
        labels = {
            "language": _("Language of the portal and of our e-mails"),
            "notify_request_decisions": _(
                "E-mail me when the utility approves or rejects my request"
            ),
            "notify_notices": _("E-mail me about outages and works affecting my supply points"),
            "notify_warnings": _("E-mail me about leak and high-usage warnings"),
            "notify_reminders": _("E-mail me before an advance or an invoice falls due"),
            "reminder_days": _("How many days before the due date (1–14)"),
            "einvoice": _(
                "E-invoices: send me invoices and payment calendars by e-mail instead of paper"
            ),
            "notify_invitations": _(
                "E-mail me an invitation to report my meter reading before the reading date"
            ),
        }
        help_texts = {
            "language": _("After you sign in, the portal opens in this language."),
            "notify_reminders": _(
                "Not for supply points paying by SIPO, and not when the payment has arrived."
            ),
            "einvoice": _(
                "Applies to every customer linked to your account; we pass your choice on to our "
                "billing system, which then stops (or resumes) the paper post. Invoices come with "
                "their PDF, and businesses also get the ISDOC file."
            ),
            "notify_invitations": _(
                "Only for meters we do not read remotely. The e-mail holds a link for reporting "
                "the reading without signing in."
            ),
        }
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, so that anyone finds their own.
        self.fields["language"].choices = list(NATIVE_NAMES.items())
        # Only asked for with reminders on; empty keeps the days chosen before (or the default).
        self.fields["reminder_days"].required = False
        self.fields["reminder_days"].widget.attrs.update({"min": 1, "max": 14})

    def clean_reminder_days(self) -> int:
        days = self.cleaned_data.get("reminder_days")
        return days if days is not None else (self.instance.reminder_days or 3)
