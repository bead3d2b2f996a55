"""The customer's settings of a supply point: daily limit, household size, away periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AWAY_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PreferencesForm(forms.Form):
    daily_limit = forms.CharField(
        label=_("Daily limit (m³)"),
        required=False,
        max_length=12,
        help_text=_(
            "For remote-read meters: we warn you of a day with a higher consumption, e.g. 0,5. "
            "Empty: no limit."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    people = forms.IntegerField(
        label=_("Number of people in the household"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("For the comparison with the legal benchmark consumption. Empty: not given."),
        error_messages={
            "invalid": _("Enter a whole number of people, e.g. 3."),
            "min_value": _("Enter at least 1 person."),
            "max_value": _("Enter at most 99 people."),
        },
    )

    def clean_daily_limit(self) -> Decimal | None:
        text = (self.cleaned_data.get("daily_limit") or "").strip().replace(" ", "")
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("Enter the limit in m³, e.g. 0,5.")) from None
        if not value.is_finite() or value <= 0 or value >= 1000:
            raise forms.ValidationError(_("Enter a limit greater than 0 and less than 1000 m³."))
        if value != value.quantize(Decimal("0.001")):
            raise forms.ValidationError(_("Enter the limit with at most three decimal places."))
        return value


class AwayPeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Away from"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the first day you are away."),
            "invalid": _("Enter a valid date, e.g. 1. 3. 2025."),
        },
    )
    end = forms.DateField(
        label=_("Away until"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the last day you are away."),
            "invalid": _("Enter a valid date, e.g. 1. 3. 2025."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day cannot be before the first one."))
            elif end - start > dt.timedelta(days=MAX_AWAY_DAYS):
                self.add_error("end", _("An away period can be at most a year long."))
        return data
