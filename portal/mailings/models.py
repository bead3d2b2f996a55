"""What the mailings remember so that each e-mail goes out once: `MailingSent` (one row per
document, kind and user) and `ReadingInvitation` (one per meter and reading date, which is also
what its signed link is bound to)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.querysets import customer_scoped


class MailingSent(models.Model):
    """An e-mail of `kind` about `document` went to `user`: never again for the same three."""

    class Kind(models.TextChoices):
        EINVOICE = "einvoice", _("e-invoice")
        DUE_REMINDER = "due_reminder", _("due-date reminder")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # "invoice:<pk>", "schedule:<pk>" or "advance:<pk>"
    document = models.CharField(_("document"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("mailing sent")
        verbose_name_plural = _("mailings sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "document", "user"], name="mailing_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document} → {self.user_id}"


class ReadingInvitation(models.Model):
    """An invitation to report the reading of `meter` for the reading date `period`; its signed
    link opens the no-login form until `expires_on` and for one accepted reading."""

    supply_point = models.ForeignKey(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    meter = models.ForeignKey(
        "portal.Meter",
        verbose_name=_("meter"),
        on_delete=models.CASCADE,
        related_name="reading_invitations",
    )
    period = models.DateField(_("reading date"))
    expires_on = models.DateField(_("link valid until"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    self_reading = models.ForeignKey(
        "portal.SelfReadingRequest",
        verbose_name=_("self-reading"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = customer_scoped("supply_point__customer").as_manager()

    class Meta:
        verbose_name = _("reading invitation")
        verbose_name_plural = _("reading invitations")
        constraints = [
            models.UniqueConstraint(fields=["meter", "period"], name="reading_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.period}"
