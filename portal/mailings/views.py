"""The no-login self-reading form opened from a reading invitation's signed link.

Public (no sign-in): the link is the only credential, so the page shows nothing beyond the meter
number and the date of its last reading, is never cached, and is rate-limited per link and per
client IP address (the cache counts requests in a window of `RATE_WINDOW` seconds).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.lib.client_ip import request_ip_hash
from portal.lib.rate_limit import digest, hit
from portal.requests.forms import SelfReadingForm
from portal.requests.services.errors import RequestRefused, UnusualValue

from . import invitations

RATE_WINDOW = 3600  # seconds
REQUESTS_PER_LINK = 20
REQUESTS_PER_IP = 60
TEMPLATE = "portal/mailings/reading_form.html"


def rate_limited(request: HttpRequest, token: str) -> bool:
    """Count this request against the link and the client; True when either is over its limit."""
    per_link = hit(f"pramen:reading-link:{digest(token)}", window=RATE_WINDOW)
    per_ip = hit(f"pramen:reading-link-ip:{request_ip_hash(request)}", window=RATE_WINDOW)
    return per_link > REQUESTS_PER_LINK or per_ip > REQUESTS_PER_IP


def _plain(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, TEMPLATE, {"message": message}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def reading_form(request: HttpRequest, token: str) -> HttpResponse:
    if rate_limited(request, token):
        return _plain(
            request,
            _("Too many attempts with this link. Please wait an hour and try again."),
            429,
        )
    try:
        invitation = invitations.check_token(token)
    except invitations.LinkRefused as refused:
        return _plain(request, refused.message, refused.status)
    facts = invitations.form_facts(invitation)
    warning = ""
    if request.method == "POST":
        asked = request.POST.get("step") == "confirm"
        form = SelfReadingForm(request.POST, request.FILES, ask_confirmation=asked)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitations.submit_invited_reading(
                    token,
                    date=data["date"],
                    value=data["value"],
                    photo=data.get("photo"),
                    confirm_unusual=bool(data.get("confirm_unusual")),
                    token=data["token"],
                    language=(request.LANGUAGE_CODE or "cs")[:2],
                )
            except invitations.LinkRefused as refused:
                return _plain(request, refused.message, refused.status)
            except UnusualValue as unusual:
                warning = unusual.message
                form = SelfReadingForm.asking_confirmation(request.POST, asked=asked)
            except RequestRefused as error:
                form.refuse(error)
            else:
                return render(request, TEMPLATE, {"facts": facts, "done": True})
    else:
        form = SelfReadingForm()
    if warning:
        form.describe_confirmation("unusual-warning")
    return render(request, TEMPLATE, {"facts": facts, "form": form, "warning": warning})
