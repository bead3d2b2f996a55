"""OutboundBatch: one batch of approved requests on its way to ZIS (zis/EXCHANGE.md § 2).

A batch is *reserved* (its requests carry its batch id), then *written* (its folder lies in
ZIS_OUTBOX and its requests are "sent"), then *acknowledged* (ZIS answered; its requests are
"confirmed" or rejected by ZIS). Imported by `zis.models`, so it belongs to the zis app.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundBatch(models.Model):
    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        WRITTEN = "written", _("waiting for ZIS")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")

    class AckSource(models.TextChoices):
        FOLDER = "folder", _("folder")
        HTTP = "http", _("HTTP")

    batch_id = models.CharField(_("batch id"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RESERVED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    self_readings = models.PositiveIntegerField(_("self-readings"), default=0)
    address_changes = models.PositiveIntegerField(_("address changes"), default=0)
    advance_changes = models.PositiveIntegerField(_("advance changes"), default=0)
    accepted = models.PositiveIntegerField(_("accepted by ZIS"), default=0)
    rejected = models.PositiveIntegerField(_("rejected by ZIS"), default=0)
    path = models.CharField(_("batch folder"), max_length=1024, blank=True)
    ack = models.JSONField(_("acknowledgement"), default=dict, blank=True)
    ack_source = models.CharField(
        _("acknowledged through"), max_length=8, choices=AckSource.choices, blank=True
    )

    class Meta:
        verbose_name = _("outbound batch")
        verbose_name_plural = _("outbound batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["reserved", "written", "acknowledged"]),
                name="outbound_batch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="reserved") | Q(written_at__isnull=False),
                name="outbound_batch_written_at_once_written",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | Q(acknowledged_at__isnull=False),
                name="outbound_batch_acknowledged_at_once_acknowledged",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id} ({self.get_status_display()})"

    @property
    def requests(self) -> int:
        return self.self_readings + self.address_changes + self.advance_changes
