"""QR codes of the printed documents: a SPAYD string as an image for WeasyPrint.

The symbol follows the QR Platba print rules: error correction M (never boosted, so every
document of the same payment gets the same symbol), a quiet zone of 4 modules, black on white.
The template frames it and writes the caption "QR platba" under the frame
(`templates/pdf/components/qr_payment.html`).

It is a PNG of whole pixels per module, printed without interpolation (`image-rendering:
pixelated` in pdf.css), so the modules stay sharp at any zoom; a PNG is several times cheaper
for WeasyPrint to draw than the same symbol as SVG paths.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

QUIET_ZONE = 4  # modules
ERROR_CORRECTION = "m"
PIXELS_PER_MODULE = 4


@dataclass(frozen=True)
class QrPayment:
    """A QR Platba ready for a template: the SPAYD string and its symbol as a data: URL."""

    spayd: str
    data_uri: str


def qr_code(data: str) -> segno.QRCode:
    """`data` as a QR code with error correction M, never boosted."""
    return segno.make(data, error=ERROR_CORRECTION, boost_error=False, micro=False)


def qr_payment(spayd: str) -> QrPayment:
    code = qr_code(spayd)
    uri = code.png_data_uri(scale=PIXELS_PER_MODULE, border=QUIET_ZONE, dark="#000", light="#fff")
    return QrPayment(spayd=spayd, data_uri=uri)
