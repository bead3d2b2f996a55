"""`{% form_field field %}`: a bound form field as `components/form_field.html` renders it, built in Python.

The template includes itself once more per field and evaluates a dozen conditions in each; on a form of
eight fields that was most of the page's rendering. This tag writes the same markup, byte for byte
(`tests/cms_pages/test_form_fields.py` compares both for every kind of field), for bound fields only;
inputs built by hand (allauth's elements) still use the template.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_REQUIRED = ' <span aria-hidden="true">*</span>'


def _text(value: object) -> str:
    """A value as `{{ value }}` prints it in an autoescaping template."""
    return conditional_escape("" if value is None else value)


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """The field with its label, help and errors (see `components/form_field.html`)."""
    input_id = _text(field.auto_id)
    label = _text(field.label)
    help_text = field.help_text
    errors = field.errors
    required = _REQUIRED if field.field.required else ""
    error_class = " form-field--error" if errors else ""
    widget = _text(field)
    parts = ["\n"]
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            ids = []
            if help_text:
                ids.append(f"{input_id}_helptext")
            if errors:
                ids.append(f"{input_id}_error")
            described = f' aria-describedby="{" ".join(ids)}"'
        parts.append(
            f'<fieldset class="form-field{error_class}"{described}>\n'
            f"  <legend>{label}{required}</legend>\n  {widget}\n"
        )
    elif field.widget_type in ("checkbox", "radio"):
        parts.append(
            f'<div class="form-field form-field--checkbox{error_class}">\n  {widget}\n'
            f'  <label for="{_text(field.id_for_label)}">{label}{required}</label>\n'
        )
    else:
        parts.append(
            f'<div class="form-field{error_class}">\n'
            f'  <label for="{_text(field.id_for_label)}">{label}{required}</label>\n  {widget}\n'
        )
    if help_text:
        parts.append(
            f'\n  <div class="form-field__help" id="{input_id}_helptext">{_text(help_text)}</div>'
        )
    if errors:
        messages = "".join(f"<p>{_text(error)}</p>" for error in errors)
        parts.append(f'\n  <div class="form-field__error" id="{input_id}_error">{messages}</div>')
    parts.append("\n</fieldset>" if field.use_fieldset else "\n</div>")
    parts.append(
        "\n\n"
    )  # the template's own last line, once for the field and once for its include
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
