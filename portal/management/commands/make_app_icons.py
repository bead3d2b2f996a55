"""Draw the installable web app's PNG icons from the site's logo (a white drop on the brand blue).

    python manage.py make_app_icons   # writes site/static/brand/app/*.png

The drawing follows site/static/brand/logo.svg (a 48×48 view box); run it again after changing
the brand colour. The output is deterministic, so the committed icons are checked in the tests.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

BRAND = "#0b5394"
WHITE = "#ffffff"
SUPERSAMPLE = 4
# name -> (size in px, maskable): maskable icons fill the square and keep the drop in the
# central 80 % safe zone that launchers may crop to a circle.
ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
}


def _bezier(p0, p1, p2, p3, steps=48):
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        yield (
            u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
            u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
        )


def _drop() -> list[tuple[float, float]]:
    """The logo's drop (M24 9 c-6 9-11 15-11 21 a11 11 0 0 0 22 0 c0-6-5-12-11-21z)."""
    points = list(_bezier((24, 9), (18, 18), (13, 24), (13, 30)))
    points += [
        (24 - 11 * math.cos(math.pi * i / 48), 30 + 11 * math.sin(math.pi * i / 48))
        for i in range(49)
    ]
    points += list(_bezier((35, 30), (35, 24), (30, 18), (24, 9)))
    return points


def draw_icon(size: int, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
        scale, offset = big * 0.8 / 48, big * 0.1
    else:
        scale, offset = big / 48, 0.0
        draw.ellipse((scale * 1, scale * 1, scale * 47, scale * 47), fill=BRAND)

    def at(x: float, y: float) -> tuple[float, float]:
        return (offset + x * scale, offset + y * scale)

    draw.polygon([at(x, y) for x, y in _drop()], fill=WHITE)
    # the highlight: a quarter circle (M19 31 a5 5 0 0 0 5 5), stroke 2.5
    box = (*at(19, 26), *at(29, 36))
    draw.arc(box, start=90, end=180, fill=BRAND, width=round(2.5 * scale))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_dir() -> Path:
    return Path(settings.BASE_DIR) / "site" / "static" / "brand" / "app"


class Command(BaseCommand):
    help = "Draw the web app's PNG icons into site/static/brand/app/."

    def handle(self, *args, **options) -> None:
        target = icon_dir()
        target.mkdir(parents=True, exist_ok=True)
        for name, (size, maskable) in ICONS.items():
            draw_icon(size, maskable).save(target / name, optimize=True)
            self.stdout.write(f"{target / name}")
