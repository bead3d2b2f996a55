"""My account: linked customers, linking with a code, preferences, "download my data".

Thin views: parse, authorise (login; the user's own link only), call a service, render or redirect.
Every response is private and not stored (`never_cache`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.accounts.models import CustomerLink
from portal.accounts.notices import announce_ended_links
from portal.lib.client_ip import request_ip_hash

from . import services
from .forms import LinkCustomerForm, PreferencesForm


def _security_status(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.utils import is_mfa_enabled

    primary = EmailAddress.objects.filter(user=user, primary=True).first()
    return {"mfa_enabled": is_mfa_enabled(user), "email": primary.email if primary else user.email}


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    announce_ended_links(request)
    links = CustomerLink.objects.for_user(request.user).select_related("customer")
    context = {
        "links": links.order_by("customer__number"),
        "link_form": LinkCustomerForm(),
        "profile": services.get_profile(request.user),
        **_security_status(request.user),
    }
    return render(request, "portal/account/overview.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link_customer(request: HttpRequest) -> HttpResponse:
    form = LinkCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_customer(
                request.user,
                form.cleaned_data["customer_number"],
                form.cleaned_data["code"],
                ip_hash=request_ip_hash(request),
            )
        except services.LinkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Customer %(name)s is now linked to your account.")
                % {"name": link.customer.name},
            )
            return redirect("portal-account:overview")
    return render(request, "portal/account/link_customer.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def unlink_customer(request: HttpRequest, link_pk: int) -> HttpResponse:
    link = services.get_link_for_user(request.user, link_pk)  # 404 for anyone else's
    if request.method == "POST":
        customer = services.unlink_customer(link)
        messages.success(
            request,
            _("Customer %(name)s is no longer linked to your account.") % {"name": customer.name},
        )
        return redirect("portal-account:overview")
    return render(request, "portal/account/unlink_customer.html", {"link": link})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = services.update_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences have been saved."))
        # Show the result in the language just chosen (/ for Czech, /en/ for English).
        return redirect(translate_url(reverse("portal-account:overview"), profile.language))
    return render(request, "portal/account/preferences.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export_data(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/account/export_data.html")
    archive = services.export_user_data(request.user)
    filename = f"moje-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
