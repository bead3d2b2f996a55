"""Customer requests an operator approves: self-readings, mailing-address changes and advance
changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.lib import generations
from portal.lib.addresses import AddressFields
from portal.lib.fields import MONEY, VOLUME
from portal.lib.languages import Language, language_check
from portal.lib.querysets import customer_scoped
from portal.lib.storage import get_private_storage


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SENT = "sent", _("sent to ZIS")
    CONFIRMED = "confirmed", _("confirmed by ZIS")
    WITHDRAWN = "withdrawn", _("withdrawn — no longer in ZIS")


class RequestQuerySet(customer_scoped("customer")):
    def update(self, **kwargs: Any) -> int:
        """Statuses change in bulk too (sent to ZIS, confirmed by it): like a save or a delete,
        an update starts a new requests generation (`generations.REQUESTS`), now and at commit."""
        count = super().update(**kwargs)
        if count:
            generations.bump_on_commit(generations.REQUESTS)
        return count


@dataclass(frozen=True)
class TimelineEvent:
    """One step of a request's life as the tracker shows it."""

    kind: str  # submitted / approved / rejected / sent / confirmed / zis_rejected / withdrawn
    label: str
    at: dt.datetime
    actor: str = ""
    detail: str = ""


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


class CustomerRequest(models.Model):
    """What a customer asked for, who decided it and how far it got towards ZIS.

    ZIS owns the customer (and the meter) a request refers to and may remove them; the request
    then keeps its history: `customer_number` and `customer_name` (and a self-reading's meter and
    supply point fields) are a snapshot of what identifies it, kept up to date while the rows
    exist (`refresh_snapshot`), and the reference itself becomes empty. One still open becomes
    *withdrawn* (`portal.requests.services.withdrawal`).
    """

    customer = models.ForeignKey(
        "portal.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    customer_number = models.CharField(_("customer number"), max_length=32, blank=True)
    customer_name = models.CharField(_("customer name"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    submission_token = models.UUIDField(_("submission token"), unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.CZECH
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.TextField(_("why flagged"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    outbound_batch_id = models.CharField(
        _("outbound batch"), max_length=64, blank=True, db_index=True
    )
    sent_at = models.DateTimeField(_("sent to ZIS at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by ZIS at"), null=True, blank=True)
    zis_rejected_at = models.DateTimeField(_("rejected by ZIS at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by_batch = models.CharField(_("withdrawn by ZIS batch"), max_length=64, blank=True)

    objects = RequestQuerySet.as_manager()

    kind: str = ""

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.refresh_snapshot()
        super().save(*args, **kwargs)

    def refresh_snapshot(self) -> list[str]:
        """Copy what identifies the request from the rows it refers to (those still set);
        returns the names of the fields copied."""
        if self.customer_id is None:
            return []
        self.customer_number = self.customer.number
        self.customer_name = self.customer.name
        return ["customer_number", "customer_name"]

    @property
    def customer_label(self) -> str:
        """The customer as operators see it, also after ZIS removed it (from the snapshot)."""
        if self.customer is not None:
            return str(self.customer)
        return f"{self.customer_number} {self.customer_name}".strip()

    customer_label.fget.short_description = _("customer")

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def is_withdrawn(self) -> bool:
        return self.status == RequestStatus.WITHDRAWN

    @property
    def rejected_by_zis(self) -> bool:
        """ZIS refused it after an operator approved it (an operator never rejects a sent one)."""
        return self.status == RequestStatus.REJECTED and (
            self.zis_rejected_at is not None or self.sent_at is not None
        )

    def timeline(self) -> list[TimelineEvent]:
        """The events so far, oldest first: submitted, approved/rejected, sent, then confirmed or
        rejected by ZIS (with ZIS's reason)."""
        events = [
            TimelineEvent(
                "submitted", str(_("Submitted")), self.submitted_at, _user_name(self.submitted_by)
            )
        ]
        by_zis = self.rejected_by_zis
        if self.decided_at is not None:
            if self.status == RequestStatus.REJECTED and not by_zis:
                events.append(
                    TimelineEvent(
                        "rejected",
                        str(_("Rejected")),
                        self.decided_at,
                        _user_name(self.decided_by),
                        self.rejection_reason,
                    )
                )
            else:
                events.append(
                    TimelineEvent(
                        "approved",
                        str(_("Approved")),
                        self.decided_at,
                        _user_name(self.decided_by),
                    )
                )
        if self.sent_at is not None:
            events.append(TimelineEvent("sent", str(_("Sent to ZIS")), self.sent_at))
        if self.confirmed_at is not None:
            events.append(TimelineEvent("confirmed", str(_("Confirmed by ZIS")), self.confirmed_at))
        if by_zis:
            at = self.zis_rejected_at or self.sent_at or self.decided_at or self.submitted_at
            events.append(
                TimelineEvent(
                    "zis_rejected",
                    str(pgettext_lazy("request timeline", "Rejected by ZIS")),
                    at,
                    "",
                    self.rejection_reason,
                )
            )
        if self.withdrawn_at is not None:
            events.append(
                TimelineEvent(
                    "withdrawn",
                    str(_("Withdrawn — no longer in ZIS")),
                    self.withdrawn_at,
                )
            )
        return events


def lifecycle_constraints(prefix: str) -> list[models.CheckConstraint]:
    """What every request's row must satisfy, whoever writes it: a known status and language, a
    decision time exactly when it is decided (not pending, not withdrawn before a decision), a
    sending time once sent, a confirmation time once confirmed, ZIS's refusal time only on a
    rejected request, and a withdrawal time exactly on a withdrawn one."""
    pending = Q(status=RequestStatus.PENDING)
    withdrawn = Q(status=RequestStatus.WITHDRAWN)
    return [
        models.CheckConstraint(
            condition=Q(status__in=RequestStatus.values), name=f"{prefix}_status_valid"
        ),
        language_check(f"{prefix}_language_valid"),
        models.CheckConstraint(
            condition=(pending & Q(decided_at__isnull=True, decided_by__isnull=True))
            | withdrawn
            | (~pending & Q(decided_at__isnull=False)),
            name=f"{prefix}_decided_unless_pending",
        ),
        models.CheckConstraint(
            condition=(withdrawn & Q(withdrawn_at__isnull=False))
            | (~withdrawn & Q(withdrawn_at__isnull=True)),
            name=f"{prefix}_withdrawn_has_time",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=[RequestStatus.SENT, RequestStatus.CONFIRMED])
            | Q(sent_at__isnull=False),
            name=f"{prefix}_sent_has_time",
        ),
        models.CheckConstraint(
            condition=~Q(status=RequestStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
            name=f"{prefix}_confirmed_has_time",
        ),
        models.CheckConstraint(
            condition=Q(zis_rejected_at__isnull=True) | Q(status=RequestStatus.REJECTED),
            name=f"{prefix}_zis_rejection_only_when_rejected",
        ),
    ]


def photo_upload_to(instance: Any, filename: str) -> str:
    """Photos are stored under a random name chosen by `portal.requests.photos`."""
    return f"self-readings/{filename}"


class SelfReadingRequest(CustomerRequest):
    """A meter reading the customer reported (samoodečet), waiting for an operator."""

    meter = models.ForeignKey(
        "portal.Meter",
        verbose_name=_("meter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="self_reading_requests",
    )
    meter_serial = models.CharField(_("meter serial number"), max_length=64, blank=True)
    supply_point_number = models.CharField(_("supply point number"), max_length=32, blank=True)
    supply_point_address = models.CharField(_("supply point address"), max_length=255, blank=True)
    date = models.DateField(_("reading date"))
    value = models.DecimalField(_("meter reading (m³)"), **VOLUME)
    photo = models.FileField(
        _("photo"), storage=get_private_storage, upload_to=photo_upload_to, blank=True
    )
    customer_confirmed_unusual = models.BooleanField(
        _("customer confirmed an unusual value"), default=False
    )
    expected_min = models.DecimalField(_("expected at least (m³)"), null=True, blank=True, **VOLUME)
    expected_max = models.DecimalField(_("expected at most (m³)"), null=True, blank=True, **VOLUME)
    previous_value = models.DecimalField(
        _("previous reading (m³)"), null=True, blank=True, **VOLUME
    )
    previous_date = models.DateField(_("previous reading date"), null=True, blank=True)

    kind = "self_reading"

    class Meta(CustomerRequest.Meta):
        verbose_name = _("self-reading")
        verbose_name_plural = _("self-readings")
        permissions = [("decide_selfreadingrequest", _("Can approve or reject self-readings"))]
        indexes = [
            models.Index(fields=["customer", "-submitted_at"], name="selfreading_customer_idx"),
            models.Index(fields=["meter", "date"], name="selfreading_meter_date_idx"),
        ]
        constraints = [
            *lifecycle_constraints("selfreading"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="selfreading_value_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter_serial or self.meter} {self.date}: {self.value} m³"

    def refresh_snapshot(self) -> list[str]:
        fields = super().refresh_snapshot()
        if self.meter_id is None:
            return fields
        supply_point = self.meter.supply_point
        self.meter_serial = self.meter.serial_number
        self.supply_point_number = supply_point.number
        self.supply_point_address = str(supply_point.address)[:255]
        return [*fields, "meter_serial", "supply_point_number", "supply_point_address"]

    @property
    def consumption(self) -> Decimal | None:
        if self.previous_value is None:
            return None
        return self.value - self.previous_value


class AddressChangeRequest(CustomerRequest, AddressFields):
    """A new mailing address (korespondenční adresa) the customer asked for: the address parts
    of `AddressFields` (and its `.address`)."""

    effective_date = models.DateField(_("effective from"))
    note = models.TextField(_("note"), blank=True)

    kind = "address_change"

    class Meta(CustomerRequest.Meta):
        verbose_name = _("mailing-address change")
        verbose_name_plural = _("mailing-address changes")
        permissions = [
            ("decide_addresschangerequest", _("Can approve or reject mailing-address changes"))
        ]
        indexes = [
            models.Index(fields=["customer", "-submitted_at"], name="addresschange_customer_idx"),
        ]
        constraints = [
            *lifecycle_constraints("addresschange"),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status="pending"),
                name="addresschange_one_pending_per_customer",
            ),
            models.CheckConstraint(
                condition=Q(postcode__regex=r"^[0-9]{5}$"), name="addresschange_postcode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_number or self.customer_id}: {self.address}"


class AdvanceChangeRequest(CustomerRequest):
    """A new advance amount the customer asked for, next to what the advisor suggested.

    Inside the utility's bounds (`PortalSettings`, `portal.requests.services.advance_change`) it
    is approved at once (`auto_approved`, no operator); outside them an operator decides it.
    Approved, it goes to ZIS, which answers with a new payment calendar."""

    supply_point = models.ForeignKey(
        "portal.SupplyPoint",
        verbose_name=_("supply point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advance_change_requests",
    )
    supply_point_number = models.CharField(_("supply point number"), max_length=32, blank=True)
    current_amount = models.DecimalField(_("current advance"), **MONEY)
    suggested_amount = models.DecimalField(_("suggested advance"), **MONEY)
    requested_amount = models.DecimalField(_("requested advance"), **MONEY)
    period_start = models.DateField(_("billing period start"))
    auto_approved = models.BooleanField(_("approved automatically"), default=False)

    kind = "advance_change"

    class Meta(CustomerRequest.Meta):
        verbose_name = _("advance change")
        verbose_name_plural = _("advance changes")
        permissions = [("decide_advancechangerequest", _("Can approve or reject advance changes"))]
        indexes = [
            models.Index(fields=["customer", "-submitted_at"], name="advancechange_customer_idx"),
            models.Index(fields=["supply_point", "period_start"], name="advancechange_sp_idx"),
        ]
        constraints = [
            *lifecycle_constraints("advancechange"),
            models.UniqueConstraint(
                fields=["supply_point"],
                condition=Q(status="pending"),
                name="advancechange_one_pending_per_sp",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="advancechange_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply_point_number or self.supply_point_id}: {self.requested_amount}"

    def refresh_snapshot(self) -> list[str]:
        fields = super().refresh_snapshot()
        if self.supply_point_id is None:
            return fields
        self.supply_point_number = self.supply_point.number
        return [*fields, "supply_point_number"]


def _request_changed(**kwargs: Any) -> None:
    """A request saved or deleted: what is kept of the requests is made anew (now and at commit)."""
    generations.bump_on_commit(generations.REQUESTS)


for _model in (SelfReadingRequest, AddressChangeRequest, AdvanceChangeRequest):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _request_changed,
            sender=_model,
            dispatch_uid=f"pramen-requests-{_model.__name__}-{_signal is post_save}",
        )
