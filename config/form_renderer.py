"""The forms' renderer: Django's, with the `<input>` elements written in Python.

Django draws every widget through its template engine: an `<input>` costs an include of
`input.html`, another of `attrs.html` and a loop over the attributes, and on the address change
form (eight inputs) that was a third of the page's CPU. `PramenFormRenderer` writes the inputs
(text, number, e-mail, URL, colour, search, telephone, password, hidden, date, date-time, time)
with exactly the markup of Django's templates, escaping as they do (`tests/cms_pages/
test_form_renderer.py` compares both for every kind of input and value); everything else (selects,
checkboxes, text areas, whole forms) goes to the templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "color",
        "search",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
    )
)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaping template: a safe value stays as it is."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def input_html(widget: dict[str, Any]) -> str:
    """`django/forms/widgets/input.html` (with `attrs.html`) for the widget's context."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{_formatted(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    parts.append(">")
    return "".join(parts)


class PramenFormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES and context.keys() == {"widget"}:
            return input_html(context["widget"])
        return super().render(template_name, context, request)
