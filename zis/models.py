"""What the ZIS boundary records: one row per imported (or refused) batch."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zis.outbound.models import OutboundBatch  # registered with the app through this module


class SyncRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        REJECTED = "rejected", _("rejected")

    class Kind(models.TextChoices):
        FULL = "full", _("full")
        DELTA = "delta", _("delta")

    class Stage(models.TextChoices):
        VALIDATING = "validating", _("validating")
        APPLYING = "applying", _("applying")
        FINISHING = "finishing", _("finishing")

    class Source(models.TextChoices):
        FOLDER = "folder", _("folder")
        HTTP = "http", _("HTTP upload")

    batch_id = models.CharField(_("batch id"), max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.FOLDER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    path = models.CharField(_("batch folder"), max_length=1024, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    counts = models.JSONField(_("counts per entity"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    closed = models.JSONField(_("closed in the portal"), default=list, blank=True)
    report = models.TextField(_("report"), blank=True)
    # A running import's progress, written outside its transaction (zis/importer/progress.py).
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    progress_done = models.BigIntegerField(_("records done"), default=0)
    progress_total = models.BigIntegerField(_("records in the stage"), default=0)
    progress_at = models.DateTimeField(_("progress updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["running", "succeeded", "failed", "rejected"]),
                name="sync_run_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="sync_run_finished_after_started",
            ),
        ]
        indexes = [models.Index(fields=["-started_at"], name="sync_run_started_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id} ({self.get_status_display()})"

    def total(self, key: str) -> int:
        """Sum of one count (created, updated, deleted, unchanged) over all entities."""
        return sum(entity.get(key, 0) for entity in self.counts.values())

    @property
    def progress_percent(self) -> int | None:
        """How far the running stage is, in whole percent (None without a total)."""
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def changed(self) -> bool:
        return any(self.total(key) for key in ("created", "updated", "deleted"))


__all__ = ["OutboundBatch", "SyncRun"]
