"""Build the demo website of Vodárna Pramenov: pages, site settings and demo users.

Everything is create-if-missing: a page is identified by its slug under its parent, settings and users
by their site and username. What exists is left alone, so a second run changes nothing and an editor's
changes survive. Pages are created in two passes: first all of them (so each has an id), then their
content with page links resolved, published as a first revision that editors can continue from.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, TextIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from stdnum import iban as stdnum_iban
from stdnum.cz import bankaccount
from wagtail.models import Page, Site

from cms_pages.models import (
    AccessibilityStatementPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    FAQPage,
    FormField,
    FormPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    StandardPage,
    UtilitySettings,
)

from . import case_studies, contact, faq, news, pages, utility

ADMIN_URL = "http://127.0.0.1:8000/admin/"
DEFAULT_DEMO_PASSWORD = "pramen-demo"  # noqa: S105 - a documented demo login, not a secret

PAGE_MODELS: dict[str, type[Page]] = {
    model.__name__: model
    for model in (
        AccessibilityStatementPage,
        CaseStudyIndexPage,
        CaseStudyPage,
        FAQPage,
        FormPage,
        HomePage,
        NewsArticlePage,
        NewsIndexPage,
        StandardPage,
    )
}
# Spec keys that are not plain model fields: handled by the loader itself.
SPECIAL_KEYS = {"model", "form_fields", "quick_links"}
PAGE_LINK = re.compile(r'<a page="([a-z0-9-]+)">(.*?)</a>', re.DOTALL)
COUNT_KEYS = ("pages", "sites", "settings", "users")


# --- Demo users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    email: str
    first_name: str
    last_name: str
    role: str  # shown in the login summary, "Czech / English"
    groups: tuple[str, ...] = ()
    is_staff: bool = False


DEMO_USERS: list[DemoUser] = [
    DemoUser(
        username="redaktor",
        email="redaktor@pramenov.example",
        first_name="Eva",
        last_name="Redaktorová",
        role="Redaktorka webu / Website editor",
        groups=("Editors",),
        is_staff=True,
    ),
    DemoUser(
        username="operator",
        email="operator@pramenov.example",
        first_name="Petr",
        last_name="Operátor",
        role="Operátor zákaznických požadavků / Customer operator",
        groups=("Operators",),
        is_staff=True,
    ),
]


def demo_password() -> str:
    return os.environ.get("PRAMEN_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def ensure_demo_users(users: list[DemoUser] | None = None, stdout: TextIO | None = None) -> int:
    """Create the demo users that are missing; return how many were created."""
    return sum(ensure_demo_user(spec, demo_password(), stdout) for spec in users or DEMO_USERS)


def ensure_demo_user(spec: DemoUser, password: str, stdout: TextIO | None = None) -> bool:
    user_model = get_user_model()
    if user_model.objects.filter(username=spec.username).exists():
        return False
    user = user_model.objects.create_user(
        username=spec.username,
        email=spec.email,
        password=password,
        first_name=spec.first_name,
        last_name=spec.last_name,
        is_staff=spec.is_staff,
    )
    for name in spec.groups:
        group = Group.objects.filter(name=name).first()
        if group is None:
            _say(stdout, f"Skupina {name!r} chybí / group {name!r} is missing: {spec.username}")
        else:
            user.groups.add(group)
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
    _say(stdout, f"Uživatel / user: {spec.username}")
    return True


def login_summary(users: list[DemoUser] | None = None) -> list[str]:
    """Lines telling a person where to sign in and with what, in Czech and English."""
    from_env = bool(os.environ.get("PRAMEN_DEMO_PASSWORD"))
    password = "z PRAMEN_DEMO_PASSWORD / from PRAMEN_DEMO_PASSWORD" if from_env else demo_password()
    lines = [f"Administrace / Admin: {ADMIN_URL}"]
    lines += [
        f"{spec.role}: {spec.email} (heslo / password: {password})" for spec in users or DEMO_USERS
    ]
    return lines


# --- Site and settings ------------------------------------------------------------------------


def czech_iban(account: str) -> str:
    """The IBAN of a Czech account number "[prefix-]number/bank code"; raises if either is invalid."""
    bankaccount.validate(account)
    number, bank_code = account.split("/")
    prefix, _, base = number.rpartition("-")
    bban = f"{bank_code}{prefix.zfill(6)}{base.zfill(10)}"
    return stdnum_iban.validate(f"CZ{stdnum_iban.calc_check_digits(f'CZ00{bban}')}{bban}")


def ensure_home() -> tuple[HomePage, bool]:
    existing = HomePage.objects.filter(slug=pages.HOME["slug"], depth=2).first()
    existing = existing or HomePage.objects.first()  # there may be only one
    if existing is not None:
        return existing, False
    return _add_page(Page.get_first_root_node(), HomePage, pages.HOME), True


def ensure_default_site(home: HomePage) -> tuple[Site, bool]:
    """Point the default site at the home page unless it already has one; create it if missing."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site, created = Site.objects.get_or_create(
            hostname="localhost",
            port=80,
            defaults={"root_page": home, "site_name": utility.SITE_NAME},
        )
        site.is_default_site = True
        site.save()
        return site, created
    if not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        site.site_name = site.site_name or utility.SITE_NAME
        site.save()
    return site, False


def remove_welcome_page() -> int:
    """Delete Wagtail's "Welcome to your new Wagtail site!" page if nothing uses it."""
    deleted = 0
    plain_page = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, slug="home", content_type=plain_page):
        if page.get_children_count() == 0 and not Site.objects.filter(root_page=page).exists():
            page.delete()
            deleted += 1
    return deleted


def ensure_utility_settings(site: Site) -> bool:
    """Fill the utility's identity unless someone already has; True when it was filled now."""
    row = UtilitySettings.objects.filter(site=site).first()
    if row is not None and (row.legal_name or row.ico or row.iban):
        return False
    row = row or UtilitySettings(site=site)
    for field, value in utility.UTILITY.items():
        setattr(row, field, value)
    row.iban = czech_iban(utility.BANK_ACCOUNT)
    row.full_clean()
    row.save()
    return True


# --- Pages ------------------------------------------------------------------------------------


def section_specs() -> list[dict]:
    """The home page's children in menu order (the tree order is the menu order)."""
    faq_page = {**pages.FAQ_PAGE, "topics": [("topic", topic) for topic in faq.TOPICS]}
    return [
        pages.NEWS_INDEX,
        pages.PRICE_LIST,
        faq_page,
        pages.CASE_STUDY_INDEX,
        pages.ABOUT,
        contact.CONTACT_FORM,
        contact.ACCESSIBILITY_STATEMENT,
    ]


def _add_page(parent: Page, model: type[Page], spec: dict) -> Page:
    """First pass: the page with its raw content, not yet live (published in the second pass)."""
    fields = {key: value for key, value in spec.items() if key not in SPECIAL_KEYS}
    fields.setdefault("show_in_menus", parent.depth == 2)
    page = model(**fields, live=False)
    if "form_fields" in spec:
        page.form_fields = [
            FormField(sort_order=index, **field) for index, field in enumerate(spec["form_fields"])
        ]
    parent.add_child(instance=page)
    return page


def _ensure_child(parent: Page, spec: dict, pending: list) -> Page | None:
    """The child of `parent` with the spec's slug; created (and queued to publish) if missing."""
    model = PAGE_MODELS[spec["model"]]
    existing = parent.get_children().filter(slug=spec["slug"]).first()
    if existing is None and model.max_count == 1:
        existing = model.objects.first()
    if existing is not None:
        existing = existing.specific
        return existing if isinstance(existing, model) else None
    page = _add_page(parent, model, spec)
    pending.append((page, spec))
    return page


class _PageLinks:
    """Turns `<a page="slug">` into Wagtail page links; a link to a missing page becomes text."""

    def __init__(self, home: Page) -> None:
        self.home = home
        self.cache: dict[str, Page | None] = {}

    def page(self, slug: str) -> Page | None:
        if slug not in self.cache:
            pages_below = Page.objects.descendant_of(self.home, inclusive=True)
            self.cache[slug] = pages_below.filter(slug=slug).first()
        return self.cache[slug]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str):
            return PAGE_LINK.sub(self._link, value)
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.resolve(item) for item in value)
        return value

    def _link(self, match: re.Match) -> str:
        target = self.page(match.group(1))
        if target is None:
            return match.group(2)
        return f'<a linktype="page" id="{target.pk}">{match.group(2)}</a>'

    def quick_links(self, specs: list[dict]) -> list[tuple[str, dict]]:
        links = []
        for spec in specs:
            value = {"label": spec["label"], "description": spec.get("description", "")}
            if "page" in spec:
                target = self.page(spec["page"])
                if target is None:
                    continue
                value |= {"page": target, "url": ""}
            else:
                value |= {"page": None, "url": spec["url"]}
            links.append(("link", value))
        return links


def _publish(pending: list[tuple[Page, dict]], links: _PageLinks) -> None:
    """Second pass: resolve page links, then publish each new page's first revision."""
    for page, spec in pending:
        for key, value in spec.items():
            if key not in SPECIAL_KEYS:
                setattr(page, key, links.resolve(value))
        if "quick_links" in spec:
            page.quick_links = links.quick_links(spec["quick_links"])
        page.save_revision().publish()


def _ensure_children(parent: Page | None, model: str, specs: list[dict], pending: list) -> None:
    for spec in specs:
        if parent is not None:
            _ensure_child(parent, {**spec, "model": model}, pending)


# --- The whole demo ---------------------------------------------------------------------------


def load_demo_content(stdout: TextIO | None = None, *, users: bool = True) -> dict[str, int]:
    """Create whatever of the demo website is missing; return counts of created objects.

    `users=False` builds the pages and settings only (a production site starting from the demo
    content must not get the demo editor with its known password)."""
    counts: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    with transaction.atomic():
        home, home_created = ensure_home()
        pending: list[tuple[Page, dict]] = [(home, pages.HOME)] if home_created else []
        site, site_created = ensure_default_site(home)
        counts["sites"] += site_created
        if remove_welcome_page():
            _say(stdout, "Smazána uvítací stránka Wagtailu / removed Wagtail's welcome page")
        counts["settings"] += ensure_utility_settings(site)

        sections = {spec["slug"]: _ensure_child(home, spec, pending) for spec in section_specs()}
        news_index = sections[pages.NEWS_INDEX["slug"]]
        case_index = sections[pages.CASE_STUDY_INDEX["slug"]]
        _ensure_children(news_index, "NewsArticlePage", news.ARTICLES, pending)
        _ensure_children(case_index, "CaseStudyPage", case_studies.CASE_STUDIES, pending)

        _publish(pending, _PageLinks(home))
        for page, _spec in pending:
            _say(stdout, f"Stránka / page: /{page.url_path.removeprefix(home.url_path)}")
        counts["pages"] += len(pending)
        if users:
            counts["users"] += ensure_demo_users(stdout=stdout)
    return dict(counts)


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
