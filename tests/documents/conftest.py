"""Fixtures of the document tests: the recorded ZIS batch (imported by the real importer) seen by
the `customer` persona (linked to 100001 Jana Nováková) and `business_customer` (100002 Pekárna U
Mlýna), the utility's identity, the portal pages; and helpers that read a PDF the way a person
would (its text, its first page as an image, its QR code) with Debian's poppler-utils and
zbar-tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from portal.models import Customer

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "documents"
NBSP = "\u00a0"


@pytest.fixture
def customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100001")


@pytest.fixture
def world(recorded_batch, utility, portal):
    """Everything a document shows: ZIS data, the utility's identity, the portal pages."""
    return portal


def tool(name: str, *args: str, check: bool = True) -> str:
    """Run one of the PDF tools (pdfinfo, pdftotext, pdftoppm, zbarimg) and return its output."""
    executable = shutil.which(name)
    assert executable, f"{name} is missing (poppler-utils, zbar-tools)"
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments made by the tests
        [executable, *args], capture_output=True, check=check, text=True
    )
    return result.stdout


def _write(content: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a tagged PDF in its logical reading order (as a screen reader reads it: the
    structure tree, via `pdfinfo -struct-text`), spaces normalised (non-breaking → plain)."""
    output = tool("pdfinfo", "-struct-text", str(_write(content, tmp_path, "document.pdf")))
    parts = re.findall(r'^\s*"(.*)"$', output, flags=re.MULTILINE)
    return " ".join(" ".join(parts).replace(NBSP, " ").split())


def pdf_page_text(content: bytes, tmp_path: Path) -> str:
    """Everything printed on the pages (page numbers and running footers too), by pdftotext."""
    output = tool("pdftotext", str(_write(content, tmp_path, "pages.pdf")), "-")
    return " ".join(output.replace(NBSP, " ").split())


def pdf_info(content: bytes, tmp_path: Path, *options: str) -> str:
    return tool("pdfinfo", *options, str(_write(content, tmp_path, "info.pdf")))


def pdf_fonts(content: bytes, tmp_path: Path) -> list[str]:
    """The rows of pdffonts' table: one per font used."""
    return tool("pdffonts", str(_write(content, tmp_path, "fonts.pdf"))).splitlines()[2:]


def pdf_page_count(content: bytes, tmp_path: Path) -> int:
    line = next(
        line for line in pdf_info(content, tmp_path).splitlines() if line.startswith("Pages:")
    )
    return int(line.split()[1])


def _page_png(content: bytes, tmp_path: Path, name: str, page: int, dpi: int) -> Path:
    source = _write(content, tmp_path, f"{name}.pdf")
    prefix = tmp_path / name
    tool("pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(source), str(prefix))  # fmt: skip
    return prefix.with_suffix(".png")


def first_page_png(content: bytes, name: str, tmp_path: Path, dpi: int = 150) -> Path:
    """The first page rendered as PNG, kept in var/test-artifacts/documents/ for review."""
    png = _page_png(content, tmp_path, name, 1, dpi)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kept = ARTIFACTS / png.name
    shutil.copyfile(png, kept)
    return kept


def is_blank(png: Path) -> bool:
    with Image.open(png) as image:
        low, high = image.convert("L").getextrema()
    return low == high


def qr_codes(content: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """Every QR code zbarimg finds on `page` of the PDF (rendered at 200 dpi), decoded."""
    png = _page_png(content, tmp_path, "qr", page, 200)
    output = tool("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png),
                  check=False)  # fmt: skip
    return [line for line in output.splitlines() if line]


@pytest.fixture
def payments_model(utility):
    """The utility issues a tax document for each received advance payment (§ 28, § 37a)."""
    utility.advance_tax_documents = "payments"
    utility.save()
    return utility


@pytest.fixture
def calendar_model(utility):
    """The utility's payment calendar is the tax document for the advances (§ 31a): the default."""
    assert utility.advance_tax_documents == "calendar"
    return utility
