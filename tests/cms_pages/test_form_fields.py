"""The `form_field` tag writes what `components/form_field.html` writes for a bound field."""

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.requests.forms import AddressChangeForm, AdvanceChangeForm


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Name <&>", help_text="Plain & simple")
    rules = forms.CharField(
        required=False, help_text=mark_safe("<ul><li>Eight characters</li></ul>")
    )
    agree = forms.BooleanField(label="I agree")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        choices=[("1", "Mon"), ("2", "Tue")], widget=forms.CheckboxSelectMultiple, help_text="Any"
    )
    single = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect, required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)


def _both_ways(form: forms.Form) -> None:
    tag = Template("{% load form_fields %}{% form_field field %}")
    for field in form.visible_fields():
        expected = render_to_string("components/form_field.html", {"field": field})
        assert tag.render(Context({"field": field})) == expected, field.name


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"name": "<b>", "kind": "zzz", "days": ["9"]}])
def test_every_kind_of_field_is_written_as_the_template_writes_it(data):
    form = EveryKindForm(data)
    if data is not None:
        form.is_valid()
    _both_ways(form)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"house_number": "x", "postcode": "1"}])
def test_request_forms_are_written_as_the_template_writes_them(data):
    for form_class in (AddressChangeForm, AdvanceChangeForm):
        form = form_class(data)
        if data is not None:
            form.is_valid()
        _both_ways(form)
