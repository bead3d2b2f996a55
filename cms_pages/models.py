"""Page types and site settings of the public website."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from stdnum import iban as stdnum_iban
from stdnum.cz import dic as stdnum_dic
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyBlock, FAQTopicBlock, QuickLinkBlock

NEWS_PER_PAGE = 10
VIEW_SUBMISSIONS = "cms_pages.view_form_submissions"  # customer service reads the form's messages


# --- Site settings -----------------------------------------------------------------------------


def validate_ico(value: str) -> None:
    if not (value.isdigit() and len(value) == 8 and stdnum_dic.is_valid(value)):
        raise ValidationError(_("Enter a valid IČO: eight digits with a correct check digit."))


def validate_dic(value: str) -> None:
    if not (value.upper().startswith("CZ") and stdnum_dic.is_valid(value)):
        raise ValidationError(_("Enter a valid DIČ: CZ followed by 8 to 10 digits."))


def validate_iban(value: str) -> None:
    if not stdnum_iban.is_valid(value):
        raise ValidationError(_("Enter a valid IBAN, e.g. CZ65 0800 0000 1920 0014 5399."))


@register_setting(icon="site")
class UtilitySettings(BaseSiteSetting):
    """The utility's identity: shown in the footer, on contact pages and on printed documents."""

    name = models.CharField(_("utility name"), max_length=120, default="Vodárna")
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    ico = models.CharField(_("IČO"), max_length=8, blank=True, validators=[validate_ico])
    dic = models.CharField(_("DIČ"), max_length=12, blank=True, validators=[validate_dic])
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    iban = models.CharField(
        _("bank account (IBAN)"), max_length=34, blank=True, validators=[validate_iban]
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office_hours = models.TextField(
        _("office hours"), blank=True, help_text=_("One line per day or group of days.")
    )

    class AdvanceTaxDocuments(models.TextChoices):
        """How advances are taxed (docs/documents.md): one model, never both."""

        CALENDAR = "calendar", _("the payment calendar is the tax document (§ 31a)")
        PAYMENTS = "payments", _("a tax document for each received payment (§ 28, § 37a)")

    advance_tax_documents = models.CharField(
        _("tax documents for advances"),
        max_length=16,
        choices=AdvanceTaxDocuments.choices,
        default=AdvanceTaxDocuments.CALENDAR,
        help_text=_(
            "Must match how ZIS reports the advances' VAT. Changing it changes what the "
            "payment calendars and invoices say from then on."
        ),
    )
    tax_document_prefix = models.CharField(
        _("prefix of the portal's tax document numbers"),
        max_length=8,
        default="ZD",
        validators=[RegexValidator(r"^[A-Z]{1,8}$")],
        help_text=_(
            "Capital letters. The portal numbers tax documents for received payments as "
            "prefix + year + six-digit sequence (ZD2026000001) unless ZIS sends its own number."
        ),
    )
    price_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("price page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page with the prices of water; the invoice explanation links to it."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("legal_name"), FieldPanel("logo")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("ico"), FieldPanel("dic")]), FieldPanel("iban")],
            heading=_("Company and bank"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("municipality")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("office_hours"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("advance_tax_documents"), FieldPanel("tax_document_prefix")],
            heading=_("Tax documents"),
        ),
        FieldPanel("price_page"),
    ]

    class Meta:
        verbose_name = _("utility settings")

    @property
    def postcode_display(self) -> str:
        digits = self.postcode.replace(" ", "")
        return f"{digits[:3]} {digits[3:]}" if len(digits) == 5 else self.postcode

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban) if self.iban else ""

    @property
    def office_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.office_hours.splitlines() if line.strip()]


# --- Shared -----------------------------------------------------------------------------------


class PublicPage(Page):
    """Abstract base of public pages: an optional introduction shown under the title."""

    intro = models.TextField(_("introduction"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True


# --- Home -------------------------------------------------------------------------------------


class HomePage(PublicPage):
    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quick_links = StreamField(
        [("link", QuickLinkBlock())], verbose_name=_("quick links"), blank=True
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("quick_links"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def latest_news(self, count: int = 3):
        return (
            NewsArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")[:count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        return context


# --- Standard page ----------------------------------------------------------------------------


class StandardPage(PublicPage):
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*PublicPage.search_fields, index.SearchField("body")]
    parent_page_types = ["cms_pages.HomePage", "cms_pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


# --- News -------------------------------------------------------------------------------------


class NewsIndexPage(RoutablePageMixin, PublicPage):
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["cms_pages.NewsArticlePage"]

    class Meta:
        verbose_name = _("news index")

    def get_articles(self):
        return NewsArticlePage.objects.live().public().child_of(self).order_by("-date", "-pk")

    @path("")
    def index_route(self, request):
        paginator = Paginator(self.get_articles(), NEWS_PER_PAGE)
        try:
            articles = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            articles = paginator.page(1)
        except EmptyPage:
            articles = paginator.page(paginator.num_pages)
        return self.render(request, context_overrides={"articles": articles})

    @path("rss/", name="feed")
    def feed_route(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsArticlePage(PublicPage):
    date = models.DateField(_("date"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *PublicPage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms_pages.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")


# --- FAQ --------------------------------------------------------------------------------------


class FAQPage(PublicPage):
    topics = StreamField([("topic", FAQTopicBlock())], verbose_name=_("topics"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("topics")]
    search_fields = [*PublicPage.search_fields, index.SearchField("topics")]
    parent_page_types = ["cms_pages.HomePage", "cms_pages.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("FAQ page")

    def grouped_questions(self, query: str = "") -> list[dict]:
        """Topics with their questions, each with a stable anchor; filtered by `query` if given."""
        needle = query.strip().casefold()
        seen: set[str] = set()
        groups = []
        for topic in self.topics:
            questions = []
            for item in topic.value["questions"]:
                anchor = slugify(item["anchor"] or item["question"])[:80] or "question"
                base, n = anchor, 2
                while anchor in seen:
                    anchor, n = f"{base}-{n}", n + 1
                seen.add(anchor)
                answer_html = str(item["answer"])
                if needle and needle not in (item["question"] + " " + answer_html).casefold():
                    continue
                questions.append(
                    {"question": item["question"], "answer": item["answer"], "anchor": anchor}
                )
            if questions:
                groups.append({"title": topic.value["title"], "questions": questions})
        return groups

    def structured_data(self) -> dict:
        """schema.org FAQPage, for search engines."""
        from django.utils.html import strip_tags

        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": q["question"],
                    "acceptedAnswer": {"@type": "Answer", "text": strip_tags(str(q["answer"]))},
                }
                for group in self.grouped_questions()
                for q in group["questions"]
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "")[:100]
        context["faq_query"] = query
        context["faq_groups"] = self.grouped_questions(query)
        context["faq_json_ld"] = self.structured_data()
        return context


# --- Case studies -----------------------------------------------------------------------------


class CaseStudyIndexPage(PublicPage):
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["cms_pages.CaseStudyPage"]

    class Meta:
        verbose_name = _("case study index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_studies"] = (
            CaseStudyPage.objects.live().public().child_of(self).order_by("supply_points")
        )
        return context


class CaseStudyPage(PublicPage):
    class UtilitySize(models.TextChoices):
        SMALL = "small", _("small (up to 1,000 supply points)")
        MEDIUM = "medium", _("medium (up to 10,000 supply points)")
        REGIONAL = "regional", _("regional (over 10,000 supply points)")

    utility_name = models.CharField(_("utility"), max_length=200)
    utility_size = models.CharField(_("utility size"), max_length=20, choices=UtilitySize.choices)
    supply_points = models.PositiveIntegerField(_("number of supply points"))
    connected_systems = models.CharField(
        _("connected systems"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the billing system, remote meter reading, the bank."),
    )
    outcome = RichTextField(_("outcome"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("utility_name"),
                FieldRowPanel([FieldPanel("utility_size"), FieldPanel("supply_points")]),
                FieldPanel("connected_systems"),
            ],
            heading=_("The utility"),
        ),
        FieldPanel("outcome"),
        FieldPanel("body"),
    ]
    search_fields = [
        *PublicPage.search_fields,
        index.SearchField("utility_name"),
        index.SearchField("outcome"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms_pages.CaseStudyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case study")


# --- "Ask us" form ----------------------------------------------------------------------------


class SubmissionsPanel(FormSubmissionsPanel):
    """The editor's "N submissions" box, shown only to who may read them."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            return self.request.user.has_perm(VIEW_SUBMISSIONS) and super().is_shown()


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractEmailForm):
    """Staff build the fields; submissions are stored, staff are e-mailed, the sender gets a copy.

    Stored submissions are read only by staff with `cms_pages.view_form_submissions` (customer
    service), not by whoever may edit the page, and are deleted after
    PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS (see `cms_pages/submissions.py`)."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(_("thank-you text"), features=RICH_TEXT_FEATURES, blank=True)
    confirmation_subject = models.CharField(
        _("confirmation subject"),
        max_length=200,
        blank=True,
        help_text=_("Subject of the copy e-mailed to the sender; empty sends none."),
    )
    confirmation_text = models.TextField(
        _("confirmation text"),
        blank=True,
        help_text=_("Opening words of the copy; the submitted answers follow."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        SubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail to staff"),
        ),
        MultiFieldPanel(
            [FieldPanel("confirmation_subject"), FieldPanel("confirmation_text")],
            heading=_("Confirmation to the sender"),
        ),
    ]
    parent_page_types = ["cms_pages.HomePage", "cms_pages.StandardPage"]
    subpage_types: list[str] = []
    landing_page_template = "cms_pages/form_page_landing.html"

    class Meta:
        verbose_name = _("form page")
        permissions = [("view_form_submissions", _("Can read the submissions of forms"))]

    def get_form_class(self):
        from .forms import with_spam_protection

        return with_spam_protection(super().get_form_class())

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.client_key = getattr(self, "_client_key", "")
        return form

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["retention_months"] = settings.PRAMEN_FORM_SUBMISSION_RETENTION_MONTHS
        return context

    def serve(self, request, *args, **kwargs):
        from .forms import client_key

        self._client_key = client_key(request)
        return super().serve(request, *args, **kwargs)

    def render_email(self, form):
        from .forms import format_answers

        return format_answers(form)

    def process_form_submission(self, form):
        submission = super().process_form_submission(form)
        from .forms import send_confirmation

        send_confirmation(self, form)
        return submission


# --- Accessibility statement ------------------------------------------------------------------


class AccessibilityStatementPage(PublicPage):
    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    compliance = models.CharField(
        _("compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    standard = models.CharField(
        _("standard"), max_length=120, default="ČSN EN 301 549 (WCAG 2.1, úroveň AA)"
    )
    non_accessible_content = RichTextField(
        _("content that is not accessible"), features=RICH_TEXT_FEATURES, blank=True
    )
    prepared_on = models.DateField(_("statement prepared on"), default=timezone.localdate)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    feedback = RichTextField(_("feedback and contact"), features=RICH_TEXT_FEATURES, blank=True)
    enforcement = RichTextField(_("enforcement procedure"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("compliance"), FieldPanel("standard")]),
        FieldPanel("non_accessible_content"),
        FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
        FieldPanel("feedback"),
        FieldPanel("enforcement"),
    ]
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility statement")


__all__ = [
    "AccessibilityStatementPage",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "FAQPage",
    "FormField",
    "FormPage",
    "HomePage",
    "NewsArticlePage",
    "NewsIndexPage",
    "StandardPage",
    "UtilitySettings",
]
