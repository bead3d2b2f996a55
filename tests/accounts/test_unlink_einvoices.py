"""A user with e-invoices leaves a customer: the documents keep going somewhere (ZIS keeps the
customer's latest consent record)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.services import unlink_customer, update_preferences
from portal.models import CustomerLink, EInvoiceConsent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def latest(customer_record) -> EInvoiceConsent:
    return EInvoiceConsent.objects.filter(customer=customer_record).order_by("-at", "-pk").first()


def test_unlinking_withdraws_the_consent_so_zis_posts_paper_again(
    client, customer, customer_record
):
    update_preferences(customer, einvoice=True)
    link = customer.customer_links.get()
    client.force_login(customer)
    client.post(reverse("portal-account:unlink-customer", args=[link.pk]))
    assert not CustomerLink.objects.filter(pk=link.pk).exists()
    withdrawal = latest(customer_record)
    assert (withdrawal.consented, withdrawal.email) == (False, "jana.novakova@example.cz")


def test_the_consent_passes_to_another_user_who_keeps_e_invoices(customer, customer_record):
    colleague = UserFactory(email="kolega@example.cz")
    CustomerLink.objects.create(user=colleague, customer=customer_record)
    update_preferences(colleague, einvoice=True)
    update_preferences(customer, einvoice=True)  # the latest record: Jana's
    unlink_customer(customer.customer_links.get())
    heir = latest(customer_record)
    assert (heir.consented, heir.email, heir.user) == (True, "kolega@example.cz", colleague)


def test_nothing_is_recorded_when_the_documents_go_to_someone_else_or_on_paper(
    customer, customer_record
):
    colleague = UserFactory(email="kolega@example.cz")
    CustomerLink.objects.create(user=colleague, customer=customer_record)
    update_preferences(colleague, einvoice=True)
    before = EInvoiceConsent.objects.count()
    unlink_customer(customer.customer_links.get())  # Jana never chose e-invoices
    assert EInvoiceConsent.objects.count() == before
    unlink_customer(colleague.customer_links.get())  # the last one with e-invoices leaves
    assert latest(customer_record).consented is False


def test_an_operator_revoking_the_link_withdraws_the_consent(
    operator_client, customer, customer_record
):
    update_preferences(customer, einvoice=True)
    link = customer.customer_links.get()
    operator_client.post(reverse("customer-links:delete", args=[link.pk]))
    assert not CustomerLink.objects.filter(pk=link.pk).exists()
    assert latest(customer_record).consented is False
