"""Admin views of the operators' queues, used by `viewsets.py`.

- approve (a confirmation page, then POST) and reject (a form requiring the reason); a request
  someone else decided first answers with that operator's decision as an error message;
- the self-reading's photo, for operators only (served from private storage, access logged);
- the history of decisions (Wagtail log entries), readable with the "view" permission (access
  logged: it names the customer and the reasons given);
- the bulk "approve", which skips flagged requests and says how many it skipped;
- the admin home panel with pending counts linking to the filtered queues.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import history
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry

from portal.audit.services import log_operator_access
from portal.lib.query import id_param
from portal.requests.models import (
    AddressChangeRequest,
    AdvanceChangeRequest,
    CustomerRequest,
    SelfReadingRequest,
)
from portal.requests.photos import photo_response
from portal.requests.services import queues
from portal.requests.services.decisions import (
    ACTION_APPROVE,
    ACTION_REJECT,
    approve_request,
    bulk_approve,
    reject_request,
)
from portal.requests.services.errors import RequestRefused

DECIDE = "decide"


def request_title(obj: CustomerRequest) -> str:
    """ "300100 Jana Nováková: meter SV-1001, 1. 3. 2026: 150,000 m³" """
    return f"{obj.customer}: {queues.describe_request(obj)}"


def can_decide(user: Any, model: type[CustomerRequest]) -> bool:
    return policy_registry.get_by_type(model).user_has_permission(user, DECIDE)


# --- Deciding ------------------------------------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the customer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("The customer sees this reason in the e-mail and in the portal."),
        error_messages={"required": gettext_lazy("Give the customer a reason for the rejection.")},
    )


class DecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Approve (a confirmation POST) or reject (with a reason) one pending request."""

    permission_required = DECIDE
    model: type[CustomerRequest] | None = None
    index_url_name: str | None = None
    inspect_url_name: str | None = None
    header_icon = "tasks"
    template_name = "portal/admin/requests/decide.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            self.model.objects.select_related("customer"), pk=kwargs["pk"]
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.object.is_pending:
            messages.warning(request, self.already_decided_message())
            return redirect(self.inspect_url)
        return super().get(request, *args, **kwargs)

    def already_decided_message(self) -> str:
        return _("This request has already been decided: %(status)s.") % {
            "status": self.object.get_status_display()
        }

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[quote(self.object.pk)])

    def get_success_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_page_subtitle(self) -> str:
        return request_title(self.object)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural},
            {"url": self.inspect_url, "label": self.get_page_subtitle()},
            {"url": "", "label": self.get_page_title()},
        ]

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            self.decide(form)
        except RequestRefused as error:
            if error.field and error.field in form.fields:
                form.add_error(error.field, error.message)
                return self.form_invalid(form)
            messages.error(self.request, error.message)  # e.g. another operator was faster
            return redirect(self.inspect_url)
        messages.success(self.request, self.success_message())
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, inspect_url=self.inspect_url, view=self)
        context["next"] = get_valid_next_url_from_request(self.request)
        return context

    def decide(self, form: forms.Form) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        raise NotImplementedError


class ApproveView(DecisionView):
    page_title = pgettext_lazy("request decision", "Approve")
    form_class = forms.Form
    submit_label = gettext_lazy("Yes, approve")
    question = gettext_lazy("Approve this request? The customer will be told by e-mail.")

    def decide(self, form: forms.Form) -> None:
        approve_request(self.object, self.request.user)

    def success_message(self) -> str:
        return _("Approved: %(request)s.") % {"request": request_title(self.object)}


class RejectView(DecisionView):
    page_title = pgettext_lazy("request decision", "Reject")
    form_class = RejectForm
    submit_label = pgettext_lazy("request decision", "Reject")
    question = gettext_lazy("Reject this request? The customer will be told why by e-mail.")

    def decide(self, form: forms.Form) -> None:
        reject_request(self.object, self.request.user, form.cleaned_data["reason"])

    def success_message(self) -> str:
        return _("Rejected: %(request)s.") % {"request": request_title(self.object)}


class PhotoView(PermissionCheckedMixin, View):
    """The photo of a self-reading, for operators only (never a public URL)."""

    any_permission_required = ["view"]
    model = SelfReadingRequest

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(SelfReadingRequest.objects.select_related("customer"), pk=pk)
        response = photo_response(obj)
        log_operator_access(request, obj.customer, _("self-reading photo"))
        return response


class RequestHistoryView(history.HistoryView):
    """Who decided, when and how (Wagtail log entries); operators only read it."""

    any_permission_required = ["view", DECIDE]
    inspect_url_name: str | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        log_operator_access(request, self.object.customer, _("request history"))
        return response

    def get_page_subtitle(self) -> str:
        return request_title(self.object)

    @cached_property
    def header_buttons(self) -> list[Any]:
        url = reverse(self.inspect_url_name, args=[quote(self.object.pk)])
        return [HeaderButton(_("Inspect"), url=url, icon_name="info-circle")]


# --- Admin home ----------------------------------------------------------------------------------


class RejectionLogFormatter(LogFormatter):
    """ "Request rejected: <the operator's reason>" in the object's history."""

    label = gettext_lazy("Reject request")
    message = gettext_lazy("Request rejected")

    def format_message(self, log_entry: Any) -> str:
        reason = ((log_entry.data or {}).get("reason") or "").strip()
        if not reason:
            return str(self.message)
        return _("Request rejected: %(reason)s") % {"reason": reason}


def register_request_log_actions(actions: Any) -> None:
    """The operators' decisions as the objects' history shows them (`register_log_actions`)."""
    actions.register_action(
        ACTION_APPROVE, gettext_lazy("Approve request"), gettext_lazy("Request approved")
    )
    actions.register_action(ACTION_REJECT)(RejectionLogFormatter)


class PendingRequestsPanel(Component):
    """Pending counts on the admin home, each linking to its filtered queue."""

    name = "pending_requests"
    template_name = "portal/admin/requests/dashboard_panel.html"
    order = 50

    def __init__(self, user: Any) -> None:
        self.user = user

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for model, name, label, flagged_label in (
            (
                SelfReadingRequest,
                "self-readings",
                _("Self-readings waiting"),
                _("Flagged self-readings"),
            ),
            (
                AddressChangeRequest,
                "address-changes",
                _("Address changes waiting"),
                _("Flagged address changes"),
            ),
            (
                AdvanceChangeRequest,
                "advance-changes",
                _("Advance changes waiting"),
                _("Flagged advance changes"),
            ),
        ):
            if not policy_registry.get_by_type(model).user_has_permission(self.user, "view"):
                continue
            counts = queues.pending_count(model)
            index = reverse(f"{name}:index") + "?status=pending"
            rows.append({"label": label, "count": counts.pending, "url": index})
            if counts.flagged or model is SelfReadingRequest:
                url = index + "&flagged=yes"
                rows.append({"label": flagged_label, "count": counts.flagged, "url": url})
        return rows

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"rows": self.rows()}


def add_pending_requests_panel(request: HttpRequest, panels: list[Component]) -> None:
    if any(
        policy_registry.get_by_type(model).user_has_permission(request.user, "view")
        for model in (SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest)
    ):
        panels.append(PendingRequestsPanel(request.user))


# --- Bulk approve --------------------------------------------------------------------------------


class ApproveBulkAction(BulkAction):
    """Approve the selected pending requests; flagged ones are left for a closer look."""

    display_name = pgettext_lazy("request decision", "Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected requests")
    template_name = "portal/admin/requests/confirm_bulk_approve.html"
    action_priority = 10
    models = [SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest]

    @property
    def related(self) -> tuple[str, ...]:
        return ("customer", "meter") if self.model is SelfReadingRequest else ("customer",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_decide(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def selection(self) -> list[CustomerRequest]:
        # ids only, never "all"; "²" passes str.isdigit() but not int()
        pks = [pk for value in self.request.GET.getlist("id") if (pk := id_param(value))]
        queryset = self.model.objects.filter(pk__in=pks).select_related(*self.related)
        return list(queryset.order_by("submitted_at", "pk"))

    def get_actionable_objects(self) -> tuple[list[CustomerRequest], dict[str, Any]]:
        approvable = [obj for obj in self.selection if obj.is_pending and not obj.flagged]
        return approvable, {
            "items_with_no_access": [],
            "flagged": [obj for obj in self.selection if obj.is_pending and obj.flagged],
            "decided": [obj for obj in self.selection if not obj.is_pending],
        }

    def object_context(self, obj: CustomerRequest) -> dict[str, Any]:
        return {"item": obj, "title": request_title(obj)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["flagged"] = [request_title(obj) for obj in context["flagged"]]
        return context

    def get_execution_context(self) -> dict[str, Any]:
        return {"operator": self.request.user, "model": self.model}

    @classmethod
    def execute_action(
        cls, objects: list[CustomerRequest], operator: Any = None, model: Any = None, **kwargs: Any
    ) -> tuple[int, int]:
        pks = [obj.pk for obj in objects]
        return bulk_approve(model.objects.filter(pk__in=pks), operator), 0

    def form_valid(self, form: forms.Form) -> HttpResponse:
        skipped = self.get_actionable_objects()[1]
        if flagged := len(skipped["flagged"]):
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d flagged request was skipped: decide it on its own page.",
                    "%(count)d flagged requests were skipped: decide them on their own pages.",
                    flagged,
                )
                % {"count": flagged},
            )
        return super().form_valid(form)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d request approved.", "%(count)d requests approved.", num_parent_objects
        ) % {"count": num_parent_objects}
