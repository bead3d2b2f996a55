"""The admin's address inputs: free text with the values our supply points use as suggestions."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join

SUGGESTIONS_LIMIT = 5000


class AddressPartInput(forms.TextInput):
    """A text input offering (and searching, as the editor types) the distinct values of one
    address field of the supply points the portal knows, through the browser's datalist."""

    def __init__(self, field: str, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.field = field

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.field = self.field
        return copy

    def suggestions(self) -> list[str]:
        from portal.billing.models import SupplyPoint

        values = (
            SupplyPoint.objects.exclude(**{self.field: ""})
            .order_by(self.field)
            .values_list(self.field, flat=True)
            .distinct()[:SUGGESTIONS_LIMIT]
        )
        return list(values)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs["list"] = list_id
        attrs["autocomplete"] = "off"
        html = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((v,) for v in self.suggestions()))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)
