"""Pramen's form renderer writes every `<input>` exactly as Django's templates write it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from config.form_renderer import PramenFormRenderer
from portal.requests.forms import AddressChangeForm

DJANGO = DjangoTemplates()
PRAMEN = PramenFormRenderer()

VALUES = [
    None,
    "",
    "Zelinářská 515",
    "a & b <c> \"d\" 'e'",
    mark_safe("<b>kept</b>"),
    0,
    42,
    Decimal("12.500"),
    dt.date(2026, 12, 4),
    dt.datetime(2026, 12, 4, 7, 30),
    dt.time(7, 30),
    gettext_lazy("Street"),
]
ATTRS = [
    None,
    {"id": "id_x", "required": True, "disabled": False},
    {"placeholder": gettext_lazy("Street"), "data-x": 'a"b<c>&', "maxlength": 10, "step": None},
    {"aria-describedby": mark_safe("id_x_helptext"), "autocomplete": "postal-code"},
]
WIDGETS = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.ColorInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.PasswordInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(),
    forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    forms.DateTimeInput(),
    forms.TimeInput(),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_input_is_written_as_the_template_writes_it(widget, language):
    with override(language):
        for value in VALUES:
            for attrs in ATTRS:
                expected = widget.render("field", value, attrs, renderer=DJANGO)
                written = widget.render("field", value, attrs, renderer=PRAMEN)
                assert written == expected, (value, attrs)


def test_the_renderer_leaves_other_widgets_to_the_templates():
    for widget in (
        forms.Select(choices=[("a", "A & B")]),
        forms.Textarea(),
        forms.CheckboxInput(),
        forms.ClearableFileInput(),
        forms.SplitDateTimeWidget(),
    ):
        assert widget.render("field", None, renderer=PRAMEN) == widget.render(
            "field", None, renderer=DJANGO
        )


def test_the_sites_forms_use_it():
    assert type(AddressChangeForm().renderer) is PramenFormRenderer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"street": "<script>", "house_number": "x", "postcode": "1", "effective_date": "zítra"}],
)
def test_a_whole_form_is_the_same_with_values_and_errors(data):
    initial = {"token": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
    written = {}
    for renderer in (DJANGO, PRAMEN):
        form = AddressChangeForm(data, initial=initial, renderer=renderer)
        if data is not None:
            assert not form.is_valid()
        written[type(renderer)] = form.render()
    assert written[PramenFormRenderer] == written[DjangoTemplates]
    assert written[DjangoTemplates].count("<input") >= 8
