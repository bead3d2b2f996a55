"""The customer's request routes of the portal pages (ReadingsPage, MyDetailsPage), kept thin.

Each view takes the page it serves (for `render_portal` and `reverse_subpage`), parses the form,
calls the service and either redirects (post/redirect/get, with a success message) or shows the
form again with the service's refusal on its field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.lib.formatting import format_plain
from portal.requests import photos
from portal.requests.forms import AddressChangeForm, AdvanceChangeForm, SelfReadingForm
from portal.requests.models import RequestStatus
from portal.requests.photos import photo_response
from portal.requests.services import kept_photos
from portal.requests.services.advance_change import (
    get_advance_change_facts,
    submit_advance_change,
)
from portal.requests.services.errors import RequestRefused, UnusualValue
from portal.requests.services.submission import (
    pending_address_change,
    submit_address_change,
    submit_self_reading,
)
from portal.requests.services.tracker import get_self_reading_facts, get_self_reading_for_user

from .hosts import tracker_page, tracker_url


def _language() -> str:
    return (get_language() or "cs")[:2]


def self_reading(
    page: Any, request: HttpRequest, supply_point_pk: int, meter_pk: int
) -> HttpResponse:
    facts = get_self_reading_facts(request.user, supply_point_pk, meter_pk)
    warning = ""
    if request.method == "POST":
        asked = request.POST.get("step") == "confirm"
        too_many = "photo" in request.FILES and not photos.allow_upload(request.user)
        files = {} if too_many else request.FILES  # refused unread: never decoded
        form = SelfReadingForm(request.POST, files, ask_confirmation=asked)
        if too_many:
            form.full_clean()
            form.add_error(
                "photo",
                _(
                    "You have sent many photos in the last hour. Please try again later, or "
                    "send the reading without a photo."
                ),
            )
        if not form.is_valid():
            kept_photos.keep_upload(request.user, form["token"].value(), form.files.get("photo"))
        else:
            data = form.cleaned_data
            try:
                submit_self_reading(
                    request.user,
                    facts.meter,
                    date=data["date"],
                    value=data["value"],
                    photo=data.get("photo"),
                    confirm_unusual=bool(data.get("confirm_unusual")),
                    token=data["token"],
                    language=_language(),
                )
            except UnusualValue as unusual:
                warning = unusual.message
                form = SelfReadingForm.asking_confirmation(request.POST, asked=asked)
            except RequestRefused as error:
                form.refuse(error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you, we have received your reading of meter %(serial)s. We will "
                        "check it and let you know by e-mail."
                    )
                    % {"serial": facts.meter.serial_number},
                )
                details = tracker_page()
                target = tracker_url(details) if details else request.path
                return HttpResponseRedirect(target)
    else:
        form = SelfReadingForm()
    photo_kept = form.is_bound and kept_photos.has_kept_photo(request.user, form["token"].value())
    if photo_kept:
        form.mark_photo_kept()
    if warning:
        form.describe_confirmation("unusual-warning")
    return page.render_portal(
        request,
        "portal/requests/self_reading.html",
        facts=facts,
        form=form,
        warning=warning,
        photo_kept=photo_kept,
    )


def address_change(page: Any, request: HttpRequest) -> HttpResponse:
    customer = request.portal.customer
    pending = pending_address_change(customer)
    form = None
    if pending is None or request.method == "POST":  # a double submit redirects as the first
        form = AddressChangeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                submit_address_change(
                    request.user,
                    customer,
                    **form.address_data(),
                    effective_date=data["effective_date"],
                    note=data["note"],
                    token=data["token"],
                    language=_language(),
                )
            except RequestRefused as error:
                form.refuse(error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you, we have received your new mailing address. We will check it "
                        "and let you know by e-mail."
                    ),
                )
                return HttpResponseRedirect(tracker_url(page))
    return page.render_portal(
        request, "portal/requests/address_change.html", form=form, pending=pending
    )


def advance_change(page: Any, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
    """The projected settlement of one supply point step by step, and the form for a new
    advance (prefilled with the suggestion)."""
    facts = get_advance_change_facts(request.user, supply_point_pk)
    if request.method == "POST":
        form = AdvanceChangeForm(request.POST)
        if form.is_valid():
            try:
                change = submit_advance_change(
                    request.user,
                    facts.supply_point,
                    amount=form.cleaned_data["amount"],
                    token=form.cleaned_data["token"],
                    language=_language(),
                )
            except RequestRefused as error:
                form.refuse(error)
            else:
                if change.status == RequestStatus.PENDING:
                    text = _(
                        "Thank you, we have received your request for a new advance. We will "
                        "check it and let you know by e-mail."
                    )
                else:
                    text = _(
                        "Your new advance is approved. We are passing it on to our billing "
                        "system; you will find the new payment calendar here once it is ready."
                    )
                messages.success(request, text)
                return HttpResponseRedirect(page.url + page.reverse_subpage("advances"))
    else:
        suggested = facts.projection.suggested_advance if facts.projection else None
        form = AdvanceChangeForm(initial={"amount": format_plain(suggested) if suggested else ""})
    return page.render_portal(
        request, "portal/requests/advance_change.html", facts=facts, form=form
    )


def photo(request: HttpRequest, self_reading_pk: int) -> HttpResponse:
    obj = get_self_reading_for_user(request.user, self_reading_pk)
    return photo_response(obj)
