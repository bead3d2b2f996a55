"""My account → Personal API and calendar: make, list and revoke tokens; make or revoke the
calendar address. A secret is shown once, in the response that made it (never stored in clear,
never in a URL of ours); every response is private and not stored (`never_cache`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import TokenForm
from .models import ApiToken, CalendarFeed


def _page(request: HttpRequest, form: TokenForm, **extra) -> HttpResponse:
    tokens = ApiToken.objects.for_user(request.user).select_related("customer")
    context = {
        "form": form,
        "tokens": tokens,
        "feed": CalendarFeed.objects.for_user(request.user).first(),
        "api_base": request.build_absolute_uri("/api/v1/"),
        "schema_url": request.build_absolute_uri(reverse("portal-api:openapi-json")),
        "now": timezone.now(),
        **extra,
    }
    return render(request, "portal/api/tokens.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.issue(
            request.user,
            form.cleaned_data["name"],
            customer=form.chosen_customer(),
            expires_at=form.expires_at(),
        )
        fresh = TokenForm(user=request.user)
        return _page(request, fresh, new_token=token, new_secret=secret)
    return _page(request, form)


def _token_for_user(request: HttpRequest, token_pk: int) -> ApiToken:
    token = ApiToken.objects.for_user(request.user).filter(pk=token_pk).first()
    if token is None:
        raise Http404
    return token


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def revoke_token(request: HttpRequest, token_pk: int) -> HttpResponse:
    token = _token_for_user(request, token_pk)  # 404 for anyone else's
    if request.method == "POST":
        token.revoke()
        messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token})
        return redirect("portal-tokens:tokens")
    return render(request, "portal/api/revoke_token.html", {"token": token})


@never_cache
@login_required
@require_POST
def make_feed(request: HttpRequest) -> HttpResponse:
    _feed, secret = CalendarFeed.issue(request.user)
    feed_url = request.build_absolute_uri(
        reverse("portal-feed:calendar", kwargs={"feed_secret": secret})
    )
    return _page(request, TokenForm(user=request.user), new_feed_url=feed_url)


@never_cache
@login_required
@require_POST
def revoke_feed(request: HttpRequest) -> HttpResponse:
    CalendarFeed.objects.for_user(request.user).delete()
    messages.success(request, _("Your calendar address no longer works."))
    return redirect("portal-tokens:tokens")
