"""The portal's pages: the portal home and its sections under the site's home page, which every
installation needs (`manage.py create_portal_pages`, run by `make run` and in docs/install.md).

`ensure_portal_pages()` is create-if-missing: a page is found
by its type under its parent (staff may have renamed or moved it) and left alone when it exists.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from portal.notices.models import NoticeIndexPage

from .models import (
    ConsumptionPage,
    InvoicesPage,
    MyDetailsPage,
    PortalHomePage,
    RainwaterPage,
    ReadingsPage,
    SupplyPointsPage,
)

PORTAL_HOME = {
    "title": "Zákaznický portál",
    "slug": "portal",
    "intro": "Vaše odběrná místa, odečty, faktury, zálohy a platby na jednom místě.",
}
SECTIONS: list[tuple[type[Page], dict[str, str]]] = [
    (
        SupplyPointsPage,
        {
            "title": "Odběrná místa",
            "slug": "odberna-mista",
            "intro": "Adresy, vodoměry, platné ceny a zálohy vašich odběrných míst.",
        },
    ),
    (
        ReadingsPage,
        {
            "title": "Odečty",
            "slug": "odecty",
            "intro": "Historie odečtů vodoměrů a spotřeba mezi nimi; ke stažení v CSV a XLSX.",
        },
    ),
    (
        InvoicesPage,
        {
            "title": "Faktury a zálohy",
            "slug": "faktury-a-zalohy",
            "intro": "Vyúčtování, předpisy záloh a všechny vaše platby.",
        },
    ),
    (
        RainwaterPage,
        {
            "title": "Srážkové vody",
            "slug": "srazkove-vody",
            "intro": "Poplatek za srážkové vody odváděné do kanalizace, rok po roku.",
        },
    ),
    (
        ConsumptionPage,
        {
            "title": "Spotřeba",
            "slug": "spotreba",
            "intro": "Graf spotřeby po letech, měsících a dnech a srovnání s předchozím rokem.",
        },
    ),
    (
        MyDetailsPage,
        {
            "title": "Moje údaje a požadavky",
            "slug": "moje-udaje",
            "intro": "Údaje, které o vás vedeme, a stav vašich požadavků.",
        },
    ),
]
NOTICE_INDEX = {
    "title": "Odstávky a omezení dodávky",
    "slug": "odstavky",
    "intro": (
        "Plánované odstávky, havárie, omezení dodávky a informace o kvalitě vody podle obcí. "
        "Zákazníci s účtem v portálu dostávají upozornění e-mailem; ostatní se mohou přihlásit "
        "k odběru pro svou adresu nebo ulici."
    ),
}
HELP_TEXT = (
    "<p>Údaje přebíráme z fakturačního systému vodárny každou noc. Nesouhlasí-li něco, "
    "napište nám nebo zavolejte na zákaznickou linku.</p>"
)


def find_home_page() -> Page | None:
    """The root page of the default site (the demo's home page), or the first page at depth 2."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    return Page.objects.filter(depth=2).first()


def _ensure(parent: Page, model: type[Page], spec: dict[str, str]) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).first()
    if existing is None and model is PortalHomePage:
        existing = model.objects.first()  # at most one portal home, wherever staff put it
    if existing is not None:
        return existing, False
    page = model(**spec, help=[("text", HELP_TEXT)], show_in_menus=model is PortalHomePage)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def ensure_portal_pages(home: Page | None = None) -> int:
    """Create the missing portal pages under `home` (default: the default site's root page);
    return how many were created. Running it again creates nothing."""
    home = home or find_home_page()
    if home is None:
        raise RuntimeError("No home page: load the demo website first (load_demo_content).")
    portal, created = _ensure(home, PortalHomePage, PORTAL_HOME)
    count = int(created)
    for model, spec in SECTIONS:
        count += _ensure(portal, model, spec)[1]
    count += ensure_notice_index(home)[1]
    return count


def ensure_notice_index(home: Page) -> tuple[NoticeIndexPage, bool]:
    """The public list of outage notices, under the home page (one per installation)."""
    existing = NoticeIndexPage.objects.first()
    if existing is not None:
        return existing, False
    page = NoticeIndexPage(**NOTICE_INDEX, show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page, True
