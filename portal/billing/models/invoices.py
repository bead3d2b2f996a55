"""Invoices, advance schedules with their advances, and payments."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.lib.fields import MONEY, VOLUME, vat_rate_check, vat_rate_field
from portal.lib.querysets import customer_scoped

from .mirror import ZisMirrored
from .supply_points import SupplyPoint

FREQUENCIES = SupplyPoint.AdvanceFrequency


class Invoice(ZisMirrored):
    """A settlement invoice for a billing period: lines, VAT summary, advances deducted, balance."""

    number = models.CharField(_("invoice number"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="invoices",
        db_index=False,  # an index below starts with this column
    )
    supply_point = models.ForeignKey(
        SupplyPoint,
        verbose_name=_("supply point"),
        on_delete=models.PROTECT,
        related_name="invoices",
        db_index=False,  # an index below starts with this column
        null=True,
        blank=True,
    )
    variable_symbol = models.CharField(_("variable symbol"), max_length=10)
    issued_on = models.DateField(_("issued on"))
    tax_point_on = models.DateField(_("tax point date"))
    due_on = models.DateField(_("due on"))
    period_start = models.DateField(_("billing period start"))
    period_end = models.DateField(_("billing period end"))
    total_base = models.DecimalField(_("tax base"), **MONEY)
    total_vat = models.DecimalField(_("VAT"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    advances_paid = models.DecimalField(_("advances deducted"), **MONEY)
    balance = models.DecimalField(_("balance"), **MONEY)

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="invoice_period_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")), name="invoice_due_valid"
            ),
            models.CheckConstraint(
                condition=Q(advances_paid__gte=0), name="invoice_advances_non_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-issued_on"], name="invoice_customer_issued_idx"),
            models.Index(fields=["supply_point", "-issued_on"], name="invoice_sp_issued_idx"),
            # the last invoiced period of a supply point (advances it settles)
            models.Index(fields=["supply_point", "-period_end"], name="invoice_sp_period_idx"),
            models.Index(fields=["variable_symbol"], name="invoice_vs_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overpaid(self) -> bool:
        return self.balance < 0


class InvoiceLine(models.Model):
    """One line of an invoice; part of the invoice and replaced with it."""

    class Kind(models.TextChoices):
        WATER = "water", _("water charge")
        SEWAGE = "sewage", _("sewage charge")
        RAINWATER = "rainwater", _("rainwater charge")
        FIXED = "fixed", _("fixed charge")
        OTHER = "other", _("other")

    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), null=True, blank=True, **VOLUME)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    unit_price = models.DecimalField(_("unit price"), null=True, blank=True, **MONEY)
    base = models.DecimalField(_("tax base"), **MONEY)
    vat_rate = vat_rate_field()
    vat = models.DecimalField(_("VAT"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)

    objects = customer_scoped("invoice__customer").as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_unique"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="invoice_line_quantity_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="invoice_line_period_valid",
            ),
            vat_rate_check("invoice_line_vat_rate_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.position}"

    @property
    def label(self) -> str:
        """What the line is called on the invoice: ZIS's description, else its kind."""
        return self.description or str(self.get_kind_display())


class VatSummaryLine(models.Model):
    """Tax base, VAT and total of an invoice for one VAT rate (the recapitulation)."""

    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="vat_summary",
        db_index=False,
    )
    vat_rate = vat_rate_field()
    base = models.DecimalField(_("tax base"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)

    objects = customer_scoped("invoice__customer").as_manager()

    class Meta:
        verbose_name = _("VAT summary line")
        verbose_name_plural = _("VAT summary lines")
        ordering = ["invoice", "vat_rate"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "vat_rate"], name="vat_summary_unique"),
            vat_rate_check("vat_summary_vat_rate_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.vat_rate} %"


class AdvanceSchedule(ZisMirrored):
    """The payment calendar of a supply point: advances of `amount`, `frequency`, one VS."""

    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="advance_schedules",
        db_index=False,  # an index below starts with this column
    )
    supply_point = models.ForeignKey(
        SupplyPoint,
        verbose_name=_("supply point"),
        on_delete=models.PROTECT,
        related_name="advance_schedules",
        db_index=False,  # an index below starts with this column
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=16, choices=FREQUENCIES.choices)
    amount = models.DecimalField(_("advance amount"), **MONEY)
    variable_symbol = models.CharField(_("variable symbol"), max_length=10)

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("advance schedule")
        verbose_name_plural = _("advance schedules")
        ordering = ["supply_point", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="advance_schedule_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="advance_schedule_amount_non_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-valid_from"], name="adv_schedule_customer_idx"),
            models.Index(fields=["supply_point", "-valid_from"], name="adv_schedule_sp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.supply_point_id} {self.valid_from}"


class Advance(ZisMirrored):
    """One advance of a schedule; has its own ZIS id because payments are matched to it."""

    schedule = models.ForeignKey(
        AdvanceSchedule,
        verbose_name=_("advance schedule"),
        on_delete=models.CASCADE,
        related_name="advances",
        db_index=False,  # an index below starts with this column
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    vat_rate = vat_rate_field()

    objects = customer_scoped("schedule__customer").as_manager()

    class Meta:
        verbose_name = _("advance")
        verbose_name_plural = _("advances")
        ordering = ["schedule", "due_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="advance_amount_non_negative"),
            vat_rate_check("advance_vat_rate_valid"),
        ]
        indexes = [models.Index(fields=["schedule", "due_on"], name="advance_schedule_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class Payment(ZisMirrored):
    """A received payment, matched by ZIS to an invoice or an advance (or not yet matched)."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("bank transfer")
        SIPO = "sipo", _("SIPO")
        CARD = "card", _("card")
        CASH = "cash", _("cash")

    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="payments",
        db_index=False,  # an index below starts with this column
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("payment method"), max_length=16, choices=Method.choices)
    variable_symbol = models.CharField(_("variable symbol"), max_length=10, blank=True)
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.SET_NULL,
        related_name="payments",
        null=True,
        blank=True,
    )
    advance = models.ForeignKey(
        Advance,
        verbose_name=_("advance"),
        on_delete=models.SET_NULL,
        related_name="payments",
        null=True,
        blank=True,
    )
    zis_tax_document_number = models.CharField(
        _("tax document number from ZIS"),
        max_length=32,
        blank=True,
        default="",
        db_default="",  # the bulk loader's raw INSERT/COPY lists only the columns it carries
        help_text=_(
            "When ZIS numbers the tax documents of received payments itself, its number; "
            "otherwise empty and the portal numbers them in its own series."
        ),
    )

    objects = customer_scoped("customer").as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["transfer", "sipo", "card", "cash"]),
                name="payment_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(invoice__isnull=True) | Q(advance__isnull=True),
                name="payment_matched_to_one",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-received_on"], name="payment_customer_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount}"
