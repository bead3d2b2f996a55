"""The public notice list's routes: current and planned notices, the archive, RSS, iCalendar and
the subscriptions of visitors without an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.lib.client_ip import request_ip_hash
from portal.lib.rate_limit import digest, hit

FEED_ITEMS = 50
RATE_WINDOW = 3600  # seconds
SUBSCRIPTIONS_PER_IP = 20
SUBSCRIPTIONS_PER_EMAIL = 3


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    municipality = forms.CharField(label=_("Municipality"), max_length=255)
    street = forms.CharField(
        label=_("Street"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to receive the notices for the whole municipality."),
    )
    house_number = forms.CharField(
        label=_("House number"),
        max_length=16,
        required=False,
        help_text=_("Leave empty to receive the notices for the whole street."),
    )


def notice_list(index: Any, request: HttpRequest, archive: bool) -> HttpResponse:
    from . import services

    municipality = request.GET.get("obec", "").strip()
    notices = services.notices_in(municipality, archive=archive)
    now = timezone.now()
    return TemplateResponse(
        request,
        index.template,
        {
            **index.get_context(request),
            "notices": list(notices[:200]),
            "archive": archive,
            "municipality": municipality,
            "municipalities": services.municipalities(),
            "now": now,
        },
    )


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def rss_feed(index: Any, request: HttpRequest) -> HttpResponse:
    from . import services

    feed = Rss201rev2Feed(
        title=index.title,
        link=_absolute(request, index.url),
        description=index.intro or index.title,
        language=translation.get_language(),
    )
    for notice in services.notices_in(request.GET.get("obec", "").strip())[:FEED_ITEMS]:
        places = ", ".join(str(place) for place in notice.places.all())
        feed.add_item(
            title=f"{capfirst(notice.get_kind_display())}: {notice.title}",
            link=_absolute(request, notice.url),
            description=f"{places}. {strip_tags(notice.body)}".strip(),
            pubdate=notice.first_published_at or notice.starts_at,
            updateddate=notice.last_published_at,
            unique_id=_absolute(request, notice.url),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def ical_feed(index: Any, request: HttpRequest) -> HttpResponse:
    from icalendar import Calendar, Event

    from . import services

    calendar = Calendar()
    calendar.add("prodid", "-//Pramen//notices//CS")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", index.title)
    host = request.get_host().split(":")[0]
    for notice in services.notices_in(request.GET.get("obec", "").strip())[:FEED_ITEMS]:
        event = Event()
        event.add("uid", f"notice-{notice.pk}@{host}")
        event.add("summary", f"{capfirst(notice.get_kind_display())}: {notice.title}")
        event.add("dtstart", notice.starts_at)
        event.add("dtend", notice.expected_end_at)
        event.add("dtstamp", notice.last_published_at or timezone.now())
        event.add("location", "; ".join(str(place) for place in notice.places.all()))
        event.add("description", strip_tags(notice.body).strip())
        event.add("url", _absolute(request, notice.url))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="odstavky.ics"'
    return response


def too_many_subscriptions(request: HttpRequest, form: SubscriptionForm) -> bool:
    """Count this attempt against the client and, once the form is valid, the e-mail address:
    the form sends an e-mail to whatever address it is given."""
    per_ip = hit(f"pramen:notice-subscribe-ip:{request_ip_hash(request)}", window=RATE_WINDOW)
    if per_ip > SUBSCRIPTIONS_PER_IP:
        return True
    if not form.is_valid():
        return False
    address = digest(form.cleaned_data["email"].strip().casefold())
    return hit(f"pramen:notice-subscribe:{address}", window=RATE_WINDOW) > SUBSCRIPTIONS_PER_EMAIL


def subscribe(index: Any, request: HttpRequest) -> HttpResponse:
    from . import services

    form = SubscriptionForm(request.POST or None)
    done = False
    status = 200
    if request.method == "POST":
        if too_many_subscriptions(request, form):
            form.add_error(None, _("Too many subscription requests. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            language = translation.get_language() or "cs"
            services.subscribe(index, language=language, **form.cleaned_data)
            done = True
    return TemplateResponse(
        request,
        "notices/subscribe.html",
        {**index.get_context(request), "form": form, "done": done},
        status=status,
    )


def confirm(index: Any, request: HttpRequest, token: str) -> HttpResponse:
    from . import services

    subscription = services.confirm_subscription(token)
    return TemplateResponse(
        request,
        "notices/subscription_result.html",
        {**index.get_context(request), "subscription": subscription, "action": "confirm"},
        status=200 if subscription else 404,
    )


def unsubscribe(index: Any, request: HttpRequest, token: str) -> HttpResponse:
    from . import services

    subscription = None
    if request.method == "POST":
        subscription = services.unsubscribe(token)
        action = "unsubscribed"
    else:
        from .models import NoticeSubscription

        subscription = NoticeSubscription.objects.filter(token=token).first()
        action = "unsubscribe"
    return TemplateResponse(
        request,
        "notices/subscription_result.html",
        {**index.get_context(request), "subscription": subscription, "action": action},
        status=200 if subscription else 404,
    )
