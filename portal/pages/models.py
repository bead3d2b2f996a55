"""Portal page types: the portal home (dashboard) and one page per section.

Staff edit their title, introduction and help blocks and place them in the tree like any page;
their RoutablePageMixin routes show the signed-in customer's data by calling portal services.
Every response is private and never stored; anonymous visitors are sent to the login page; a
user with no linked customer is told how to link one. The pages stay out of the search index
and the sitemap, and preview in the admin with sample data.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from cms_pages.blocks import RICH_TEXT_FEATURES, AccordionBlock, CalloutBlock
from cms_pages.templatetags.pramen_tags import frame_generation
from portal.accounts.notices import announce_ended_links
from portal.billing import exports
from portal.billing.models import Customer
from portal.billing.services import consumption, customers, rainwater, supply_points
from portal.billing.services import invoices as billing
from portal.billing.services.settlement import CALENDAR, vat_model
from portal.documents import downloads
from portal.insights import explainer
from portal.insights import views as insight_views
from portal.lib import generations
from portal.pages import dashboard, data_cache, figures, samples
from portal.pages.navigation import PortalNav, build_nav
from portal.requests import views as request_views
from portal.requests.hosts import TrackerHost
from portal.requests.services.tracker import count_open

__all__ = [
    "ConsumptionPage",
    "InvoicesPage",
    "MyDetailsPage",
    "PortalHomePage",
    "PortalPage",
    "RainwaterPage",
    "ReadingsPage",
    "SupplyPointsPage",
]

SESSION_CUSTOMER = "portal_customer"  # the number of the customer chosen in the switcher


# A filter value nobody could have chosen in the form (a hand-edited or broken link): the page
# shows its default for it, and says so.
IGNORED_FILTER_VALUES = _("Some filter values in the page address were not valid and were ignored.")


class HelpBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    callout = CalloutBlock()
    accordion = AccordionBlock()


class PortalContext:
    """Who is looking: the linked customers, the one shown, and the portal's navigation (built
    on first use, so data routes that render no page skip its query)."""

    def __init__(
        self,
        customers: list[Customer],
        customer: Customer | None,
        page: Page,
        request: HttpRequest,
        *,
        is_sample: bool = False,
    ) -> None:
        self.customers = customers
        self.customer = customer
        self.is_sample = is_sample
        self._page, self._request = page, request

    @cached_property
    def nav(self) -> PortalNav:
        return build_nav(self._page, self._request)


def data_route(view: Any) -> Any:
    """Mark a route that answers data (JSON, files): without a linked customer it is a 404."""
    view.portal_data_route = True
    return view


def kept_html_key(request: HttpRequest, name: str, *parts: Any) -> str:
    """The key a page keeps a block of its HTML under (`{% cache %}`): blocks made only of ZIS
    figures (and tax documents, whose issuing starts a new data generation), kept for the data
    generation, day, language, user and `parts`, and for the frame's generation (their links).
    A block of anything else names what renews it in `parts` (the tracker: the requests
    generation)."""
    return data_cache.key(f"{name}-html", request.user, *parts, frame_generation())


def private(response: HttpResponse) -> HttpResponse:
    """Customer data: never stored by browsers or proxies (Cache-Control: private, no-store)."""
    add_never_cache_headers(response)
    return response


class PortalPage(RoutablePageMixin, Page):
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown under the title, above the data.")
    )
    help = StreamField(
        HelpBlock(),
        verbose_name=_("help"),
        blank=True,
        help_text=_("Explanations shown below the customer's data."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("help")]
    search_fields = []  # customer pages are never in the site search
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list:
        return []

    def serve(self, request, view=None, args=None, kwargs=None) -> HttpResponse:
        if view is None:
            view, args, kwargs = self.resolve_subpage("/")
        return private(self._serve_route(request, view, args or (), kwargs or {}))

    def _serve_route(self, request, view, args, kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not kwargs and not getattr(view, "portal_data_route", False):
            announce_ended_links(request)  # on section pages; not on files, JSON and details
        request.portal = self.portal_context(request)
        if request.portal.customer is None:
            if kwargs or getattr(view, "portal_data_route", False):
                raise Http404("No customer is linked")
            return self.render_portal(request, "portal/pages/no_customer.html")
        return view(request, *args, **kwargs)

    def portal_context(self, request: HttpRequest) -> PortalContext:
        linked = data_cache.linked_customers(request.user)
        requested = request.GET.get("customer")
        chosen = customers.choose_customer(linked, requested, request.session.get(SESSION_CUSTOMER))
        if requested is not None and chosen is not None:
            request.session[SESSION_CUSTOMER] = chosen.number
        return PortalContext(linked, chosen, self, request)

    def render_portal(
        self, request: HttpRequest, template: str | None = None, **context: Any
    ) -> TemplateResponse:
        context = {"portal": request.portal, **context}
        return self.render(request, template=template, context_overrides=context)

    # --- Admin preview with sample data (nothing is written) -------------------------------

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        customer = samples.sample_customer()
        request.portal = PortalContext([customer], customer, self, request, is_sample=True)
        return private(self.render_portal(request, **self.preview_context()))

    def preview_context(self) -> dict[str, Any]:
        return {}


class PortalHomePage(PortalPage):
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = [
        "portal.SupplyPointsPage",
        "portal.ReadingsPage",
        "portal.InvoicesPage",
        "portal.RainwaterPage",
        "portal.ConsumptionPage",
        "portal.MyDetailsPage",
    ]
    max_count = 1
    template = "portal/pages/portal_home_page.html"

    class Meta:
        verbose_name = _("customer portal home")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        portal = request.portal
        board = dashboard.get_dashboard(request.user, portal.customers, portal.customer)
        due = figures.amount_due_by_transfer(request)
        # the supply points' HTML is kept too: their (ZIS) figures, links to the frame's pages
        parts = (portal.customer.pk, *(c.pk for c in portal.customers))
        kept_as = kept_html_key(request, "dashboard-points", *parts)
        return self.render_portal(request, dashboard=board, amount_due=due, points_kept_as=kept_as)

    def preview_context(self) -> dict[str, Any]:
        return {"dashboard": samples.dashboard()}


class SupplyPointsPage(PortalPage):
    template = "portal/pages/supply_points_page.html"

    class Meta:
        verbose_name = _("portal: supply points")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        listing = figures.supply_point_list(request, request.GET.get("q"))
        return self.render_portal(request, listing=listing)

    @path("<int:supply_point_pk>/", name="supply_point")
    def supply_point(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        view = figures.supply_point_detail(request, supply_point_pk)
        return self.render_portal(request, "portal/pages/supply_point_detail.html", view=view)

    @path("<int:supply_point_pk>/spotreba/", name="supply_point_insights")
    def supply_point_insights(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        """Warnings, comparison and the customer's settings (limit, away periods, people)."""
        return insight_views.supply_point_insights(self, request, supply_point_pk)

    def preview_context(self) -> dict[str, Any]:
        return {"listing": supply_points.SupplyPointList.of([samples.sample_supply_point_view()])}


class ReadingsPage(PortalPage):
    template = "portal/pages/readings_page.html"

    class Meta:
        verbose_name = _("portal: readings")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        listing = figures.supply_point_list(request)
        return self.render_portal(request, listing=listing)

    @path("<int:supply_point_pk>/", name="supply_point_readings")
    def supply_point_readings(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        history = figures.supply_point_readings(request, supply_point_pk)
        kept_as = kept_html_key(request, "readings", supply_point_pk)  # the meters' HTML
        return self.render_portal(
            request, "portal/pages/readings_detail.html", history=history, meters_kept_as=kept_as
        )

    @path("<int:supply_point_pk>/csv/", name="readings_csv")
    def readings_csv(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        history = figures.supply_point_readings(request, supply_point_pk)
        return exports.readings_csv_response(history)

    @path("<int:supply_point_pk>/xlsx/", name="readings_xlsx")
    def readings_xlsx(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        history = figures.supply_point_readings(request, supply_point_pk)
        return exports.readings_xlsx_response(history)

    @path("<int:supply_point_pk>/samoodecet/<int:meter_pk>/", name="self_reading")
    def self_reading(self, request: HttpRequest, supply_point_pk: int, meter_pk: int):
        return request_views.self_reading(self, request, supply_point_pk, meter_pk)

    def preview_context(self) -> dict[str, Any]:
        return {"listing": supply_points.SupplyPointList.of([samples.sample_supply_point_view()])}


class InvoicesPage(PortalPage):
    template = "portal/pages/invoices_page.html"

    class Meta:
        verbose_name = _("portal: invoices and advances")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        filters = billing.InvoiceFilters.from_query(request.GET)
        if filters.ignored:
            messages.warning(request, IGNORED_FILTER_VALUES)
        invoices = figures.invoice_list(request, filters)
        due = figures.amount_due_by_transfer(request)
        return self.render_portal(request, invoices=invoices, amount_due=due)

    @path("<int:invoice_pk>/", name="invoice")
    def invoice(self, request: HttpRequest, invoice_pk: int) -> HttpResponse:
        detail, explained = figures.invoice_with_explainer(request, invoice_pk)
        explained = dataclasses.replace(explained, price_page_url=explainer.price_page_url(request))
        context = {
            "detail": detail,
            "explainer": explained,
            "kept_as": kept_html_key(request, "invoice", invoice_pk),
        }
        return self.render_portal(request, "portal/pages/invoice_detail.html", **context)

    @path("zalohy/", name="advances")
    def advances(self, request: HttpRequest) -> HttpResponse:
        schedules = figures.advance_schedules(request)
        context = {
            "page_obj": schedules.page,
            "schedules": schedules.views,
            "schedules_kept_as": kept_html_key(
                request, "schedules", request.portal.customer.pk, schedules.page.number
            ),
            "advisor": dashboard.advisor_rows(request.user, request.portal.customer),
            "calendar_model": data_cache.cached("vat-model", request.user, (), vat_model)
            == CALENDAR,
        }
        return self.render_portal(request, "portal/pages/advances.html", **context)

    @path("zalohy/poradce/<int:supply_point_pk>/", name="advance_change")
    def advance_change(self, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
        return request_views.advance_change(self, request, supply_point_pk)

    @path("platby/", name="payments")
    def payments(self, request: HttpRequest) -> HttpResponse:
        listing = figures.payment_list(request)
        context = {
            "page_obj": listing.page,
            "payments": listing.payments,
            # the tax documents in it: issuing one starts a new data generation
            "payments_kept_as": kept_html_key(
                request, "payments", request.portal.customer.pk, listing.page.number
            ),
        }
        return self.render_portal(request, "portal/pages/payments.html", **context)

    # Printable documents (portal/documents): PDF and ISDOC downloads, scoped to the user.

    @path("<int:invoice_pk>/pdf/", name="invoice_pdf")
    def invoice_pdf(self, request: HttpRequest, invoice_pk: int) -> HttpResponse:
        return downloads.invoice_pdf(request, invoice_pk)

    @path("<int:invoice_pk>/isdoc/", name="invoice_isdoc")
    def invoice_isdoc(self, request: HttpRequest, invoice_pk: int) -> HttpResponse:
        return downloads.invoice_isdoc(request, invoice_pk)

    @path("zalohy/<int:schedule_pk>/pdf/", name="schedule_pdf")
    def schedule_pdf(self, request: HttpRequest, schedule_pk: int) -> HttpResponse:
        return downloads.schedule_pdf(request, schedule_pk)

    @path("platby/doklad/<int:payment_pk>/pdf/", name="tax_document_pdf")
    def tax_document_pdf(self, request: HttpRequest, payment_pk: int) -> HttpResponse:
        payments = self.url + self.reverse_subpage("payments")
        return downloads.tax_document(request, payment_pk, isdoc=False, payments_url=payments)

    @path("platby/doklad/<int:payment_pk>/isdoc/", name="tax_document_isdoc")
    def tax_document_isdoc(self, request: HttpRequest, payment_pk: int) -> HttpResponse:
        payments = self.url + self.reverse_subpage("payments")
        return downloads.tax_document(request, payment_pk, isdoc=True, payments_url=payments)

    def preview_context(self) -> dict[str, Any]:
        return {"invoices": samples.invoice_list()}


class RainwaterPage(PortalPage):
    template = "portal/pages/rainwater_page.html"

    class Meta:
        verbose_name = _("portal: rainwater")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        listing = figures.assessment_list(request)
        return self.render_portal(request, listing=listing)

    @path("<int:assessment_pk>/", name="assessment")
    def assessment(self, request: HttpRequest, assessment_pk: int) -> HttpResponse:
        view = figures.assessment(request, assessment_pk)
        return self.render_portal(request, "portal/pages/rainwater_detail.html", view=view)

    def preview_context(self) -> dict[str, Any]:
        return {"listing": rainwater.AssessmentList.of(samples.rainwater())}


class ConsumptionPage(PortalPage):
    template = "portal/pages/consumption_page.html"

    class Meta:
        verbose_name = _("portal: consumption")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        query = consumption.ChartQuery.from_query(request.GET)
        if query.ignored:
            messages.warning(request, IGNORED_FILTER_VALUES)
        chart = figures.consumption_chart(request, query)
        return self.render_portal(request, chart=chart)

    @path("data/", name="chart_data")
    @data_route
    def chart_data(self, request: HttpRequest) -> HttpResponse:
        query = consumption.ChartQuery.from_query(request.GET)
        chart = figures.consumption_chart(request, query)
        return JsonResponse(chart.as_json(), json_dumps_params={"ensure_ascii": False})

    def preview_context(self) -> dict[str, Any]:
        chart = samples.consumption_chart()
        return {"chart": chart, "chart_data": chart.as_json()}


class MyDetailsPage(TrackerHost, PortalPage):
    template = "portal/pages/my_details_page.html"

    class Meta:
        verbose_name = _("portal: my details and requests")

    @path("")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        customer = request.portal.customer
        context = {
            "supply_points": figures.customer_supply_points(request),
            "open_requests": count_open(request.user, customer),
        }
        return self.render_portal(request, **context)

    @path("adresa/", name="address_change")
    def address_change(self, request: HttpRequest) -> HttpResponse:
        return request_views.address_change(self, request)

    @path("zadosti/", name="requests")
    def requests(self, request: HttpRequest) -> HttpResponse:
        listing = figures.request_list(request)
        context = {
            "page_obj": listing.page,
            "items": listing.items,
            "requests_kept_as": kept_html_key(
                request,
                "requests",
                request.portal.customer.pk,
                listing.page.number,
                generations.current(generations.REQUESTS),
            ),
        }
        return self.render_portal(request, "portal/requests/tracker.html", **context)

    @path("zadosti/samoodecet/<int:self_reading_pk>/foto/", name="self_reading_photo")
    @data_route
    def self_reading_photo(self, request: HttpRequest, self_reading_pk: int) -> HttpResponse:
        return request_views.photo(request, self_reading_pk)

    def preview_context(self) -> dict[str, Any]:
        return {"supply_points": [samples.sample_supply_point()], "open_requests": 0}
