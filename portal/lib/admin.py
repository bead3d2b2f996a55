"""Shared bases of the admin viewsets: read-only listings with word search, listings whose rows
operators may only view and remove, inspect views with translated labels and local times,
listings that join related rows, and a permission policy that offers groups only some actions. They know no feature; each feature's `viewsets.py` uses them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.auth import get_permission_codename, get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

MAX_SEARCH_TERMS = 8


def search_terms(query: str) -> list[str]:
    """The words of a search: "Zelinářská 515/2, Praha" → Zelinářská, 515, 2, Praha."""
    return [term for term in re.split(r"[\s,/]+", query) if term][:MAX_SEARCH_TERMS]


class WordSearchIndexView(generic.IndexView):
    """A listing whose search needs no search index: every word must be contained
    (case-insensitively, in the database) in one of `search_fields`."""

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_searching:
            return queryset
        for term in search_terms(self.search_query):
            match = Q()
            for field in self.search_fields or []:
                match |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(match)
        return queryset


class ReadOnlyModelViewSet(ModelViewSet):
    """Listing, search and inspect only; pair it with a permission policy allowing "view" only."""

    index_view_class = WordSearchIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None  # plain ORM search, on SQLite and PostgreSQL alike
    add_to_reference_index = False  # no usage view; keeps the importer's writes free of it

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        names = ["add", "edit", "delete", "history", "usage"]
        missing = {f"{name}_url_name": None for name in names}
        return super().get_common_view_kwargs(**{**missing, **kwargs})

    def get_urlpatterns(self) -> list[URLPattern]:
        converter = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{converter}:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self) -> QuerySet:
        codename = get_permission_codename("view", self.model_opts)
        return super().get_permissions_to_register().filter(codename=codename)


def can_view(request: HttpRequest, model: type) -> bool:
    return policy_registry.get_by_type(model).user_has_permission(request.user, "view")


class LabelledInspectView(generic.InspectView):
    """An inspect view that shows properties (e.g. an address) under translated labels,
    booleans as yes/no, times in the admin's time zone (Prague; Wagtail's inspect template
    would print them in UTC) and empty values as a dash."""

    extra_labels: dict[str, Any] = {}

    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name in self.extra_labels:
            return str(self.extra_labels[field_name])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return "–" if value is None or value == "" else value


class ViewAndRemoveModelViewSet(ModelViewSet):
    """Listing with word search, inspect and the delete view (which a feature may turn into a
    revocation); pair it with a permission policy allowing "view" and "delete" only, for rows
    that someone else makes (visitors, users) and operators may only remove."""

    index_view_class = WordSearchIndexView
    inspect_view_enabled = True
    inspect_view_class = LabelledInspectView
    copy_view_enabled = False
    add_to_admin_menu = True
    search_backend_name = None  # plain ORM search, on SQLite and PostgreSQL alike
    add_to_reference_index = False


def index_view_selecting(*related: str) -> type[generic.IndexView]:
    """An index view whose rows come with `related` joined (one query for the whole listing)."""

    class IndexView(generic.IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().select_related(*related)

    return IndexView


class RestrictedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, limited to `actions`; optionally to superusers only."""

    def __init__(self, model, actions, superusers_only: bool = False):
        super().__init__(model)
        self.actions = frozenset(actions)
        self.superusers_only = superusers_only

    def user_has_permission(self, user, action):
        if action not in self.actions or not (user.is_active and user.is_authenticated):
            return False
        if self.superusers_only:
            return user.is_superuser
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in self.actions]
        if not actions:
            return get_user_model().objects.none()
        if self.superusers_only:
            return get_user_model().objects.filter(is_active=True, is_superuser=True)
        return super().users_with_any_permission(actions)
