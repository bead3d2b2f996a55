"""The form that makes a personal API token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.billing.models import Customer

ALL_CUSTOMERS = ""


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("So that you know where you use it, for example “Home Assistant”."),
    )
    customer = forms.ChoiceField(label=_("Customers the token may read"), required=False)
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        help_text=_("Leave empty for a token without expiry. You can revoke any token at once."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customers = {
            str(customer.pk): customer
            for customer in Customer.objects.for_user(user).order_by("number")
        }
        self.fields["customer"].choices = [
            (ALL_CUSTOMERS, _("All my linked customers")),
            *((pk, f"{c.number} {c.name}") for pk, c in self.customers.items()),
        ]

    def clean_expires_on(self) -> dt.date | None:
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def chosen_customer(self) -> Customer | None:
        return self.customers.get(self.cleaned_data["customer"])

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the utility's time zone."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
