"""Admin views of the accounts feature, used by `viewsets.py`.

- customer links: inspect (logged as an operator access) and revoke (Wagtail's delete, reworded);
- activation codes: inspect (logged) and *issue*: a new code for a customer, answered with the
  printable letter. The plain code exists only in that response; a lost letter means a new code;
- permission policies: links and codes cannot be created or edited by hand; the operator access
  log is read-only and visible to superusers only.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.log_actions import log

from portal.accounts.models import ActivationCode
from portal.audit.services import log_operator_access
from portal.billing.models import Customer

from . import services
from .services import issue_activation_code

# --- Customer links ---------------------------------------------------------------------------


class CustomerLinkInspectView(generic.InspectView):
    def get(self, request, *args, **kwargs):
        if self.object.customer is not None:  # an ended link shows no customer's data
            log_operator_access(request, self.object.customer, _("customer link"))
        return super().get(request, *args, **kwargs)


class RevokeCustomerLinkView(generic.DeleteView):
    page_title = _("Revoke")
    success_message = _("The link %(object)s has been revoked.")

    @property
    def confirmation_message(self):
        return _(
            "Revoke this link? %(user)s will no longer see the data of customer %(customer)s."
        ) % {"user": self.object.user.email, "customer": self.object.customer_label}

    def delete_action(self):
        with transaction.atomic():
            services.hand_over_einvoices(self.object)
            super().delete_action()


# --- Activation codes -------------------------------------------------------------------------


class ActivationCodeInspectView(generic.InspectView):
    def get(self, request, *args, **kwargs):
        log_operator_access(request, self.object.customer, _("activation code"))
        return super().get(request, *args, **kwargs)


class IssueActivationCodeForm(WagtailAdminModelForm):
    customer = forms.ModelChoiceField(
        label=_("Customer number"),
        queryset=Customer.objects.all(),
        to_field_name="number",
        widget=forms.TextInput,
        error_messages={"invalid_choice": _("There is no customer with this number.")},
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=30
    )

    class Meta:
        model = ActivationCode
        fields = ["customer"]


class IssueActivationCodeView(generic.CreateView):
    """Issue a code and answer with the letter to print; the code is never shown again."""

    page_title = _("Issue an activation code")
    submit_button_label = _("Issue and print the letter")

    def get_initial(self):
        initial = super().get_initial()
        if number := self.request.GET.get("customer"):
            initial["customer"] = number
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        code, self.plain_code = issue_activation_code(data["customer"], data["valid_days"])
        log(code, "wagtail.create", user=self.request.user)
        return code

    def save_action(self):
        customer = self.object.customer
        log_operator_access(self.request, customer, _("activation letter"))
        with translation.override(customer.language):
            link_path = reverse("portal-account:link-customer")
            context = {
                "customer": customer,
                "code": self.plain_code,
                "activation_code": self.object,
                "link_url": self.request.build_absolute_uri(link_path),
                "index_url": reverse(self.index_url_name),
                "today": timezone.localdate(),
            }
            return render(self.request, "portal/account/activation_letter.html", context)
