"""E-mail notifications: stored first, sent by a task (see `portal.notifications.services`).

A row is written in the caller's transaction (`queue_notification`), so a rolled-back decision
sends nothing; the send task claims it, renders it in the recipient's language and records the
outcome. A failed attempt leaves the row queued with a later `next_attempt_at` (back-off) until
the last attempt, after which it is "failed" and waits for an operator to resend it.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.lib.languages import Language, language_check
from portal.lib.querysets import UserOwnedQuerySet


class NotificationQuerySet(UserOwnedQuerySet):
    """`for_user(user)`: the notifications addressed to `user`'s account."""

    def due(self, now: dt.datetime | None = None) -> Self:
        """Rows a worker should send now: queued and due, or "sending" whose claim expired
        (the worker that claimed them died)."""
        now = now or timezone.now()
        return self.filter(
            status__in=[Notification.Status.QUEUED, Notification.Status.SENDING],
            next_attempt_at__lte=now,
        )

    def failed(self) -> Self:
        return self.filter(status=Notification.Status.FAILED)


class Notification(models.Model):
    """One e-mail to one recipient: what to say (template + context), and how sending went."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("notification status", "queued")
        SENDING = "sending", pgettext_lazy("notification status", "sending")
        SENT = "sent", pgettext_lazy("notification status", "sent")
        FAILED = "failed", pgettext_lazy("notification status", "failed")

    class Template(models.TextChoices):
        REQUEST_APPROVED = "request_approved", _("request approved")
        REQUEST_REJECTED = "request_rejected", _("request rejected")
        REQUEST_CONFIRMED = "request_confirmed", _("request confirmed by ZIS")
        REQUEST_WITHDRAWN = "request_withdrawn", _("request withdrawn: no longer in ZIS")
        EINVOICE = "einvoice", _("e-invoice: a new document by e-mail")
        DUE_REMINDER = "due_reminder", _("reminder: a payment falls due")
        READING_INVITATION = "reading_invitation", _("invitation to report a meter reading")
        NOTICE = "notice", _("outage or works notice")
        NOTICE_SUBSCRIPTION = "notice_subscription", _("notice subscription confirmation")
        WARNING = "warning", _("consumption warning")

    recipient = models.EmailField(_("recipient"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    template = models.CharField(_("template"), max_length=40, choices=Template.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.CZECH
    )
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("related object type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("related object id"), max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    resent_from = models.ForeignKey(
        "self",
        verbose_name=_("resent from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="notification_status_valid",
            ),
            language_check("notification_language_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["created_at"], name="notification_created_idx"),
            models.Index(fields=["content_type", "object_id"], name="notification_related_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} → {self.recipient or '–'}"

    @property
    def recipient_display(self) -> str:
        return self.recipient or "–"

    recipient_display.fget.short_description = _("recipient")  # the admin listing's label

    @property
    def is_resendable(self) -> bool:
        """Operators may resend anything not being sent right now."""
        return self.status != self.Status.SENDING


class NotificationAttachment(models.Model):
    """A file sent with a notification (an invoice's PDF, say), stored with it so that a retry
    or an operator's resend sends the same bytes."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
