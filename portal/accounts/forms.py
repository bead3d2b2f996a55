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
        fields = ["language", "notify_request_decisions"]
        labels = {
            "language": _("Language of the portal and of our e-mails"),
            "notify_request_decisions": _(
                "E-mail me when the utility approves or rejects my request"
            ),
        }
        help_texts = {
            "language": _("After you sign in, the portal opens in this language."),
        }
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, so that anyone finds their own.
        self.fields["language"].choices = list(NATIVE_NAMES.items())
