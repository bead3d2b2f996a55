"""The staff guides (docs/operators.md, docs/editors.md) inside the admin, and the dashboard's
help panel that links to them.

The guides are written once, in Markdown, for the repository and for the staff: the admin shows
them rendered with the small subset of Markdown they use (headings, paragraphs, lists, tables,
images, links, bold, italics, code) and serves their screenshots (docs/screenshots/, made by
`make screenshots`). Only signed-in staff (Wagtail's admin access) can open them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

DOCS = Path(settings.BASE_DIR) / "docs"
GUIDES = {"operatori": "operators.md", "redaktori": "editors.md"}
GUIDE_TITLES = {"operatori": _("Guide for operators"), "redaktori": _("Guide for editors")}
SCREENSHOT = re.compile(r"^[a-z0-9-]+\.png$")
ITEM = re.compile(r"^(\d+\.|-) ")


def guide_url(slug: str) -> str:
    return reverse("staff-guide", args=[slug])


def _inline(text: str) -> str:
    """Inline Markdown of the guides: images, links, bold, italics, code (escaped first)."""
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(
        r"!\[([^\]]*)\]\(screenshots/([a-z0-9-]+\.png)\)",
        lambda m: (
            f'<img src="{reverse("staff-guide-screenshot", args=[m[2]])}" alt="{m[1]}" '
            'style="max-width:100%;height:auto;border:1px solid #ccc">'
        ),
        text,
    )
    text = re.sub(r"\[([^\]]+)\]\(([a-z]+)\.md(#[\w-]+)?\)", _guide_link, text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<em>\1</em>", text)


def _guide_link(match: re.Match) -> str:
    slug = next((s for s, name in GUIDES.items() if name == f"{match[2]}.md"), None)
    if slug is None:  # another document of the installation: not served here, shown as text
        return match[1]
    return f'<a href="{guide_url(slug)}{match[3] or ""}">{match[1]}</a>'


def render_markdown(source: str) -> str:
    """The guides' Markdown as HTML, block by block."""
    out: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("<a id="):
            out.append(line)  # the guides' stable anchors
            i += 1
        elif heading := re.match(r"^(#{1,4}) (.*)$", line):
            level = len(heading[1])
            out.append(f"<h{level}>{_inline(heading[2])}</h{level}>")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                if not re.match(r"^\|[\s|:-]+\|$", lines[i]):
                    rows.append([_inline(c.strip()) for c in lines[i].strip("|").split("|")])
                i += 1
            head, *body = rows
            out.append(
                '<table class="listing"><thead><tr>'
                + "".join(f"<th>{c}</th>" for c in head)
                + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
                + "</tbody></table>"
            )
        elif ITEM.match(line):
            tag = "ol" if line[0].isdigit() else "ul"
            items: list[str] = []
            while i < len(lines):
                current, following = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
                if ITEM.match(current):
                    items.append(ITEM.sub("", current))
                elif current.startswith("   ") and items:
                    items[-1] += "\n" + current.strip()
                elif current.strip() or not (ITEM.match(following) or following.startswith("   ")):
                    break
                i += 1
            out.append(f"<{tag}>" + "".join(f"<li>{_item(x)}</li>" for x in items) + f"</{tag}>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|\||<a id=)", lines[i]):
                para.append(lines[i])
                i += 1
            out.append(f"<p>{_inline(' '.join(para))}</p>")
    return "\n".join(out)


def _item(text: str) -> str:
    return "<br>".join(_inline(part) for part in text.split("\n"))


def staff_guide(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in GUIDES:
        raise Http404("No such guide")
    source = (DOCS / GUIDES[slug]).read_text(encoding="utf-8")
    body = mark_safe(render_markdown(source))  # noqa: S308 - our own docs, escaped in _inline
    return render(
        request,
        "portal/admin/staff_guide.html",
        {"body": body, "page_title": GUIDE_TITLES[slug], "guides": guide_links()},
    )


def staff_guide_screenshot(request: HttpRequest, name: str) -> FileResponse:
    file = DOCS / "screenshots" / name
    if not SCREENSHOT.match(name) or not file.is_file():
        raise Http404("No such screenshot")
    return FileResponse(file.open("rb"), content_type="image/png")


def guide_links() -> list[tuple[str, str]]:
    return [(str(GUIDE_TITLES[slug]), guide_url(slug)) for slug in GUIDES]


def admin_urls() -> list[Any]:
    """For the `register_admin_urls` hook: under /admin/, so staff only."""
    return [
        path("napoveda/<slug:slug>/", staff_guide, name="staff-guide"),
        path("napoveda/obrazky/<str:name>", staff_guide_screenshot, name="staff-guide-screenshot"),
    ]


class StaffHelpPanel(Component):
    """Dashboard panel: the guides for operators and editors."""

    name = "staff_help"
    template_name = "portal/admin/help_panel.html"
    order = 50

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"guides": guide_links()}


def add_help_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.append(StaffHelpPanel())
