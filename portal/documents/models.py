"""Tax documents for received advance payments and the series that numbers them.

Only used when the utility's VAT model for advances is "a tax document for each received payment"
(Settings → Utility settings, see docs/documents.md). A document is issued once per payment and
never changed afterwards: its number, dates and figures are stored here when it is first issued,
so a later change in ZIS or in the rate table cannot alter a document the customer already has.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import MONEY, vat_rate_check, vat_rate_field
from portal.lib.querysets import customer_scoped


class TaxDocumentSeries(models.Model):
    """The last number used in one series (prefix and year) of the portal's own numbering.

    A number is taken by incrementing `last` in the same transaction that stores the document,
    under the row's lock: a rolled-back issue leaves no gap, and two issuers never share a number.
    """

    prefix = models.CharField(_("prefix"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("tax document series")
        verbose_name_plural = _("tax document series")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="tax_document_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year} ({self.last})"


class TaxDocument(models.Model):
    """The tax document (daňový doklad k přijaté platbě) of one received advance payment."""

    class NumberedBy(models.TextChoices):
        ZIS = "zis", _("ZIS")
        PORTAL = "portal", _("portal")

    number = models.CharField(_("document number"), max_length=32, unique=True)
    numbered_by = models.CharField(
        _("numbered by"), max_length=8, choices=NumberedBy.choices, default=NumberedBy.PORTAL
    )
    # Kept when ZIS deletes the payment: a tax document is kept ten years.
    payment = models.OneToOneField(
        "portal.Payment",
        verbose_name=_("payment"),
        on_delete=models.SET_NULL,
        related_name="tax_document",
        null=True,
        blank=True,
    )
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        related_name="tax_documents",
        null=True,
        blank=True,
    )
    payment_zis_id = models.CharField(_("ZIS id of the payment"), max_length=64)
    variable_symbol = models.CharField(_("variable symbol"), max_length=10, blank=True)
    issued_on = models.DateField(_("issued on"))
    tax_point_on = models.DateField(_("tax point date"))
    vat_rate = vat_rate_field()
    base = models.DecimalField(_("tax base"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    # The outbound batch that reported the portal's number to ZIS (empty: not yet reported).
    outbound_batch_id = models.CharField(_("reported in batch"), max_length=64, blank=True)

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("tax document for a received payment")
        verbose_name_plural = _("tax documents for received payments")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(numbered_by__in=["zis", "portal"]), name="tax_document_numbered_by"
            ),
            models.CheckConstraint(
                condition=Q(base__lte=models.F("total")) | Q(total__lt=0),
                name="tax_document_base_within_total",
            ),
            vat_rate_check("tax_document_vat_rate_valid"),
        ]
        indexes = [
            models.Index(fields=["numbered_by", "outbound_batch_id"], name="tax_doc_report_idx"),
        ]

    def __str__(self) -> str:
        return self.number
