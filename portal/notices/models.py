"""Outage and works notices (odstávky, havárie, omezení dodávky, kvalita vody).

A `NoticePage` says what happens, when, and where: its `NoticePlace` rows name a municipality,
optionally a part of it, a street and a range of house numbers (all, odd or even). On publish the
supply points it affects are stored (`NoticeSupplyPoint`, so the dashboard needs one query) and
the affected customers and subscribers are e-mailed once per announced version
(`portal.notices.services`). `NoticeSubscription` is a visitor's double-opt-in subscription for
an address or a street, without a portal account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms_pages.blocks import RICH_TEXT_FEATURES
from portal.lib.languages import Language

from . import views
from .widgets import AddressPartInput


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NoticeKind(models.TextChoices):
    OUTAGE = "outage", _("planned outage")
    FAILURE = "failure", _("failure")
    RESTRICTION = "restriction", _("restricted supply")
    QUALITY = "quality", _("water quality")


class NoticeIndexPage(RoutablePageMixin, Page):
    """The public list of notices; its routes serve the archive, the feeds and subscriptions
    (see `portal.notices.views`)."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["portal.NoticePage"]
    max_count = 1
    template = "notices/notice_index_page.html"
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("notice list")

    @path("")
    def current_route(self, request):
        return views.notice_list(self, request, archive=False)

    @path("archiv/")
    def archive_route(self, request):
        return views.notice_list(self, request, archive=True)

    @path("rss/", name="feed")
    def feed_route(self, request):
        return views.rss_feed(self, request)

    @path("kalendar/", name="ical")
    def ical_route(self, request):
        return views.ical_feed(self, request)

    @path("odber/", name="subscribe")
    def subscribe_route(self, request):
        return views.subscribe(self, request)

    @path("odber/potvrdit/<str:token>/", name="confirm")
    def confirm_route(self, request, token):
        return views.confirm(self, request, token)

    @path("odber/zrusit/<str:token>/", name="unsubscribe")
    def unsubscribe_route(self, request, token):
        return views.unsubscribe(self, request, token)


class NoticePage(Page):
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    starts_at = models.DateTimeField(_("start"))
    expected_end_at = models.DateTimeField(_("expected end"))
    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES, blank=True)
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("Tick and publish to tell everyone who was informed that it will not happen."),
    )
    # What the last announcement said (see services.announcement_signature): republishing the
    # same content sends nothing; a changed one is sent as an update.
    announced_signature = models.CharField(max_length=64, blank=True, editable=False)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    parent_page_types = ["portal.NoticeIndexPage"]
    subpage_types: list[str] = []
    template = "notices/notice_page.html"
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("starts_at"), FieldPanel("expected_end_at")],
            heading=_("What and when"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "places",
            label=_("Affected place"),
            heading=_("Affected places"),
            min_num=1,
            help_text=_(
                "Choose from the addresses of our supply points. Leave the street empty to "
                "affect the whole municipality (or part), the numbers empty to affect the "
                "whole street."
            ),
        ),
        FieldPanel("cancelled"),
    ]

    class Meta:
        verbose_name = _("outage or works notice")
        verbose_name_plural = _("outage and works notices")

    def is_current(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.cancelled and self.expected_end_at >= now

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["places"] = list(self.places.all())
        return context


class NoticePlace(Orderable):
    class Parity(models.TextChoices):
        ALL = "", _("all numbers")
        ODD = "odd", _("odd numbers")
        EVEN = "even", _("even numbers")

    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="places")
    municipality = models.CharField(_("municipality"), max_length=255)
    part_of_municipality = models.CharField(_("part of municipality"), max_length=255, blank=True)
    street = models.CharField(_("street"), max_length=255, blank=True)
    number_from = models.PositiveIntegerField(_("numbers from"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("numbers to"), null=True, blank=True)
    parity = models.CharField(
        _("which numbers"), max_length=4, choices=Parity.choices, blank=True, default=""
    )

    panels = [
        FieldPanel("municipality", widget=AddressPartInput("municipality")),
        FieldPanel("part_of_municipality", widget=AddressPartInput("part_of_municipality")),
        FieldPanel("street", widget=AddressPartInput("street")),
        FieldPanel("number_from"),
        FieldPanel("number_to"),
        FieldPanel("parity"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("affected place")
        verbose_name_plural = _("affected places")

    def __str__(self) -> str:
        parts = [self.municipality, self.part_of_municipality, self.street]
        text = ", ".join(part for part in parts if part)
        if self.number_from or self.number_to:
            text += f" {self.number_from or ''}–{self.number_to or ''}"
        if self.parity:
            text += f" ({self.get_parity_display()})"
        return text


class NoticeSupplyPoint(models.Model):
    """A supply point a published notice affects, stored at publish time and after each import."""

    notice = models.ForeignKey(NoticePage, on_delete=models.CASCADE, related_name="affected")
    supply_point = models.ForeignKey(
        "portal.SupplyPoint", on_delete=models.CASCADE, related_name="notices"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supply_point", "notice"], name="notice_supply_point_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.supply_point_id}"


class NoticeRecipient(models.Model):
    """Someone told about a notice: a portal user or a subscriber; updates go to them again."""

    notice = models.ForeignKey(NoticePage, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        "portal.NoticeSubscription",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    signature = models.CharField(max_length=64)  # the version last sent to them

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_recipient_user"),
            models.UniqueConstraint(
                fields=["notice", "subscription"], name="notice_recipient_subscription"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id or self.subscription_id}"


class NoticeSubscription(models.Model):
    """A visitor's subscription to the notices of an address (with a house number) or a street."""

    email = models.EmailField(_("e-mail"))
    municipality = models.CharField(_("municipality"), max_length=255)
    street = models.CharField(_("street"), max_length=255, blank=True)
    house_number = models.CharField(_("house number"), max_length=16, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.CZECH
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice subscription")
        verbose_name_plural = _("notice subscriptions")

    def __str__(self) -> str:
        return f"{self.email}: {self.place}"

    @property
    def place(self) -> str:
        street = " ".join(part for part in [self.street, self.house_number] if part)
        return ", ".join(part for part in [street, self.municipality] if part)

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
