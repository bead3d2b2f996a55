"""PDF rendering with WeasyPrint from the templates in `templates/pdf/`.

- A4 pages numbered "strana X z Y" (CSS counters in `templates/pdf/base.html`).
- Fonts: DejaVu Sans vendored in `site/static/fonts/` and embedded (subset) in every PDF, so a
  document looks the same on every machine and has every Czech glyph.
- Tagged for accessibility: PDF/UA-1 (title and language come from `<title>` and `<html lang>`).
- Resources come only from the project's static files (and `data:` URLs): `LocalFetcher`
  refuses everything else, so rendering never reaches the network.
- Documents are Czech whatever the interface language (see `content.py`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

DOCUMENT_LANGUAGE = "cs"
PDF_VARIANT = "pdf/ua-1"
TEMPLATE_DIR = "pdf"
# Raise when a change in Python code changes what the documents show (templates, CSS and fonts
# are hashed automatically): cached PDFs of the old version are then rendered again.
RENDERER_VERSION = "1"


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "site" / "static"


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher serving files under the static folder and `data:` URLs only."""
    return _local_fetcher_class()()


@lru_cache(maxsize=1)
def _local_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"PDF documents load no remote resources: {url}")
            root = static_root().resolve()
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"Not a static file of the project: {url}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers=_content_type(path))

    return LocalFetcher


def _content_type(path: Path) -> dict[str, str]:
    types = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}
    return {"Content-Type": types.get(path.suffix, "application/octet-stream")}


def render_html(template: str, context: dict[str, Any]) -> str:
    """The document's HTML, in Czech."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(f"{TEMPLATE_DIR}/{template}", context)


_local = threading.local()


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use (it takes a second or two to import) with its
    per-step progress messages kept out of the logs unless configured otherwise."""
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        progress.setLevel(logging.WARNING)
    import weasyprint

    return weasyprint


def font_config() -> Any:
    """One font configuration per thread, reused: the @font-face fonts are loaded once."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """`html` as a tagged PDF/UA-1 document with embedded fonts."""
    base_url = static_root().resolve().as_uri() + "/"
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=local_fetcher())
    return document.write_pdf(
        font_config=font_config(),
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        optimize_images=False,
    )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(template, context))


def template_version() -> str:
    """A hash of what shapes every document: templates, style sheet, fonts, WeasyPrint's version
    and `RENDERER_VERSION`."""
    if settings.DEBUG:
        return _template_version.__wrapped__()
    return _template_version()


@lru_cache(maxsize=1)
def _template_version() -> str:
    digest = hashlib.sha256(f"{RENDERER_VERSION}:{metadata.version('weasyprint')}".encode())
    templates = Path(settings.BASE_DIR) / "templates" / TEMPLATE_DIR
    files = sorted(templates.rglob("*.html"))
    files += [static_root() / "css" / "pdf.css", *sorted((static_root() / "fonts").glob("*.ttf"))]
    for path in files:
        digest.update(path.name.encode())
        digest.update(
            path.read_bytes() if path.suffix != ".ttf" else str(path.stat().st_size).encode()
        )
    return digest.hexdigest()[:16]
