"""The customer's request forms: a self-reading of a meter and a mailing-address change.

The forms only parse what was typed (Czech decimal commas, "147 00" postcodes, dates); the rules
live in `portal.requests.services.submission`, whose refusals the views put back on the fields. Each form
carries a hidden `token` made when it is first shown: submitting it twice makes one request.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.requests.photos import MAX_PHOTO_BYTES
from portal.requests.services.errors import RequestRefused
from portal.requests.services.submission import (
    ADDRESS_FIELDS,
    METER_DECIMAL_PLACES,
    check_house_number,
    check_orientation_number,
    normalize_postcode,
)

PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RequestForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def refuse(self, error: RequestRefused) -> None:
        """Show a service's refusal on its field (or above the form)."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class AdvanceChangeForm(RequestForm):
    amount = forms.CharField(
        label=_("New advance (CZK)"),
        max_length=20,
        error_messages={"required": _("Enter the new advance.")},
        help_text=_("The amount of one advance, e.g. 450 or 450,50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class SelfReadingForm(RequestForm):
    value = forms.CharField(
        label=_("Meter reading (m³)"),
        max_length=20,
        error_messages={"required": _("Enter the meter reading.")},
        help_text=_(
            "All the digits before the decimal point, and the litres after it if your meter shows "
            "them (up to three decimal places), e.g. 1234,567."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    date = forms.DateField(
        label=_("Reading date"),
        error_messages={"invalid": _("Enter a valid date, e.g. 1. 3. 2025.")},
        required=False,  # empty: today
        widget=DateInput(),
        help_text=_("The day you read the meter; not in the future. Empty means today."),
    )
    photo = forms.FileField(
        label=_("Photo of the meter (optional)"),
        required=False,
        help_text=_("JPEG, PNG or HEIC up to 10 MB. We remove location and camera data from it."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    confirm_unusual = forms.BooleanField(
        label=_("Yes, the value is right."),
        required=False,
    )

    @classmethod
    def asking_confirmation(cls, data: Any, *, asked: bool) -> SelfReadingForm:
        """The form again after an unusual value, now with the box to confirm it (and an error on
        it when the customer was asked already and did not tick it)."""
        form = cls(data, ask_confirmation=True)
        form.is_valid()
        if asked:
            form.add_error(
                "confirm_unusual", _("Please check the value, and confirm it if it is right.")
            )
        return form

    def __init__(self, *args: Any, ask_confirmation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
        if not ask_confirmation:
            del self.fields["confirm_unusual"]

    def mark_photo_kept(self) -> None:
        """Say at the photo field that the photo attached before is kept (see `services.kept_photos`)."""
        text = _(
            "We have kept the photo you attached; you do not need to attach it again. Choose "
            "another file only to replace it (JPEG, PNG or HEIC up to 10 MB)."
        )
        self.fields["photo"].help_text = text
        self["photo"].help_text = text  # the bound field copied the old text when validated

    def describe_confirmation(self, warning_id: str) -> None:
        """Tie the confirmation box to the warning it answers (and to its own error)."""
        if "confirm_unusual" not in self.fields:
            return
        ids = [warning_id]
        if self.errors.get("confirm_unusual"):
            ids.append(f"{self['confirm_unusual'].auto_id}_error")
        self.fields["confirm_unusual"].widget.attrs["aria-describedby"] = " ".join(ids)

    def clean_value(self) -> Decimal:
        raw = re.sub(r"[\s\u00a0]", "", self.cleaned_data["value"]).replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Enter the meter reading as a number, e.g. 1234,567.")
            ) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Enter the meter reading as a number, e.g. 1234,567."))
        if value < 0:
            raise forms.ValidationError(_("The meter reading cannot be negative."))
        if -value.as_tuple().exponent > METER_DECIMAL_PLACES:  # type: ignore[operator]
            raise forms.ValidationError(
                _("Enter the reading with at most three decimal places (litres).")
            )
        return value

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than 10 MB. Please send a smaller one.")
            )
        return photo


class AddressChangeForm(RequestForm):
    street = forms.CharField(
        label=_("Street"),
        max_length=255,
        required=False,
        help_text=_("Leave empty in a place without street names."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(
        label=_("House number (číslo popisné)"),
        max_length=16,
        error_messages={"required": _("Enter the house number (číslo popisné).")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    orientation_number = forms.CharField(
        label=_("Orientation number (číslo orientační)"),
        max_length=16,
        required=False,
        help_text=_("The number on the blue plate, if the building has one, e.g. 2 or 12a."),
    )
    part_of_municipality = forms.CharField(
        label=_("Part of municipality"), max_length=255, required=False
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=255,
        error_messages={"required": _("Enter the municipality.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=8,
        error_messages={"required": _("Enter the postcode as five digits, for example 147 00.")},
        help_text=_("Five digits, e.g. 147 00."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    effective_date = forms.DateField(
        label=_("Use the new address from"),
        error_messages={
            "required": _("Enter the day from which we should use the new address."),
            "invalid": _("Enter a valid date, e.g. 1. 3. 2025."),
        },
        widget=DateInput(),
        help_text=_("Today or a later day."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_date", timezone.localdate())

    def clean_house_number(self) -> str:
        return self._checked("house_number", check_house_number)

    def clean_orientation_number(self) -> str:
        return self._checked("orientation_number", check_orientation_number)

    def _checked(self, name: str, check: Any) -> str:
        """The service's rule for one field, so every error shows at once (not one by one)."""
        value = self.cleaned_data[name].strip()
        try:
            check(value)
        except RequestRefused as error:
            raise forms.ValidationError(error.message) from None
        return value

    def clean_postcode(self) -> str:
        try:
            return normalize_postcode(self.cleaned_data["postcode"])
        except RequestRefused as error:
            raise forms.ValidationError(error.message) from None

    def clean_effective_date(self) -> dt.date:
        day = self.cleaned_data["effective_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The change cannot take effect in the past."))
        return day

    def address_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in ADDRESS_FIELDS}
