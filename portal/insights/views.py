"""The supply point's consumption page (SupplyPointsPage sub-route): its warnings, the comparison
and the customer's settings. Kept thin: forms in, services out, post/redirect/get."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from portal.billing.services.supply_points import get_supply_point_for_user
from portal.insights import comparison, settings
from portal.insights.forms import AwayPeriodForm, PreferencesForm
from portal.insights.models import SupplyPointPreferences


def supply_point_insights(page: Any, request: HttpRequest, supply_point_pk: int) -> HttpResponse:
    point = get_supply_point_for_user(request.user, supply_point_pk)
    prefs = settings.preferences(point)
    initial = {"daily_limit": _format_limit(prefs), "people": prefs.people if prefs else None}
    prefs_form, away_form = PreferencesForm(initial=initial), AwayPeriodForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "preferences":
            prefs_form = PreferencesForm(request.POST)
            if prefs_form.is_valid():
                data = prefs_form.cleaned_data
                settings.save_preferences(point, data["daily_limit"], data["people"])
                messages.success(request, _("Your settings have been saved."))
                return HttpResponseRedirect(request.path)
        elif action == "away":
            away_form = AwayPeriodForm(request.POST)
            if away_form.is_valid():
                data = away_form.cleaned_data
                settings.add_away_period(point, data["start"], data["end"])
                messages.success(request, _("The away period has been added."))
                return HttpResponseRedirect(request.path)
        elif action == "delete_away":
            settings.remove_away_period(point, _as_int(request.POST.get("period")))
            messages.success(request, _("The away period has been removed."))
            return HttpResponseRedirect(request.path)
    context = {
        "point": point,
        "warnings": settings.recent_warnings(point),
        "comparison": comparison.get_comparison(request.user, point),
        "away_periods": settings.away_periods(point),
        "prefs_form": prefs_form,
        "away_form": away_form,
    }
    return page.render_portal(request, "portal/insights/supply_point.html", **context)


def _format_limit(prefs: SupplyPointPreferences | None) -> str:
    if prefs is None or prefs.daily_limit is None:
        return ""
    return format(prefs.daily_limit.normalize(), "f").replace(".", ",")


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
