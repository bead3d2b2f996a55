"""Customer requests: submitting self-readings and mailing-address changes.

Customers submit (`submit_self_reading`, `submit_address_change`); every refusal is a
`RequestRefused` carrying the message for the user and the form field it concerns, and changes
nothing. The form's `token` (a UUID made when the form is shown) is the idempotency key: the
same token twice returns the first request. Operators decide them in `decisions`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.billing.models.customers import Customer
from portal.billing.models.invoices import Invoice
from portal.billing.models.supply_points import Meter
from portal.lib.formatting import format_date, format_volume
from portal.requests.models import (
    AddressChangeRequest,
    CustomerRequest,
    RequestStatus,
    SelfReadingRequest,
)
from portal.requests.photos import PhotoRejected, clean_photo
from portal.requests.rules import PortalSettings

from . import kept_photos, plausibility
from .errors import RequestRefused, UnusualValue

METER_DECIMAL_PLACES = 3  # meters show litres: 0.001 m³
METER_MAX_VALUE = Decimal("99999999.999")
POSTCODE_RE = re.compile(r"^[1-7][0-9]{4}$")
HOUSE_NUMBER_RE = re.compile(r"^[0-9]{1,5}$")
ORIENTATION_NUMBER_RE = re.compile(r"^[0-9]{1,4}[a-zA-Z]?$")
MAX_EFFECTIVE_DAYS_AHEAD = 366
COUNTED_STATUSES = (
    RequestStatus.PENDING,
    RequestStatus.APPROVED,
    RequestStatus.SENT,
    RequestStatus.CONFIRMED,
)


def get_portal_settings() -> PortalSettings:
    """The default site's portal settings (unsaved defaults when there is no site)."""
    site = Site.objects.filter(is_default_site=True).first()
    return PortalSettings.for_site(site) if site is not None else PortalSettings()


def billing_period_start(meter: Meter, day: dt.date) -> dt.date:
    """The start of the billing period `day` falls in: the day after the supply point's last
    invoiced period ended before `day`, or 1 January of `day`'s year when nothing is invoiced."""
    last_end = (
        Invoice.objects.filter(supply_point_id=meter.supply_point_id, period_end__lt=day)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    return last_end + dt.timedelta(days=1) if last_end else dt.date(day.year, 1, 1)


def self_readings_in_period(meter: Meter, day: dt.date) -> int:
    """Self-readings of the meter in `day`'s billing period that count against the limit."""
    return SelfReadingRequest.objects.filter(
        meter=meter, status__in=COUNTED_STATUSES, date__gte=billing_period_start(meter, day)
    ).count()


def _existing(model: type[CustomerRequest], token: uuid.UUID, customer: Customer) -> Any:
    found = model.objects.filter(submission_token=token).first()
    if found is not None and found.customer_id != customer.pk:
        raise RequestRefused(_("This form has expired. Please reload the page and try again."))
    return found


def _token(token: Any) -> uuid.UUID:
    try:
        return token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
    except ValueError:
        raise RequestRefused(
            _("This form has expired. Please reload the page and try again.")
        ) from None


# --- Self-readings -----------------------------------------------------------------------------


def check_reading_date(meter: Meter, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise RequestRefused(_("The reading date cannot be in the future."), "date")
    if day < meter.installed_on:
        raise RequestRefused(
            _("The meter was installed on %(date)s; the reading date cannot be earlier.")
            % {"date": format_date(meter.installed_on)},
            "date",
        )
    if meter.removed_on is not None and day > meter.removed_on:
        raise RequestRefused(
            _("This meter was removed on %(date)s.") % {"date": format_date(meter.removed_on)},
            "date",
        )


def check_reading_value(value: Decimal) -> None:
    if value < 0:
        raise RequestRefused(_("The meter reading cannot be negative."), "value")
    if value > METER_MAX_VALUE:
        raise RequestRefused(_("The meter reading is too large."), "value")
    if -value.as_tuple().exponent > METER_DECIMAL_PLACES:  # type: ignore[operator]
        raise RequestRefused(
            _("Enter the reading with at most three decimal places (litres)."), "value"
        )


def check_against_last(
    last: plausibility.LastReading | None, day: dt.date, value: Decimal, reveal: bool = True
) -> None:
    """`reveal`: the message may name the last reading's value (not on the no-login form, which
    shows nothing beyond the meter number and the date of the last reading)."""
    if last is None:
        return
    if not reveal and value < last.value:
        raise RequestRefused(
            _(
                "The value is lower than the last approved reading of this meter. A meter only "
                "counts up; please check the digits before the decimal point. If your meter was "
                "replaced, please contact us."
            ),
            "value",
        )
    if day < last.date:
        raise RequestRefused(
            _(
                "The reading date cannot be before the last approved reading of this meter "
                "(%(date)s)."
            )
            % {"date": format_date(last.date)},
            "date",
        )
    if value < last.value:
        raise RequestRefused(
            _(
                "The value is lower than the last approved reading of this meter "
                "(%(value)s on %(date)s). A meter only counts up; please check the digits "
                "before the decimal point. If your meter was replaced, please contact us."
            )
            % {"value": format_volume(last.value), "date": format_date(last.date)},
            "value",
        )


def check_limit(meter: Meter, day: dt.date, settings: PortalSettings) -> None:
    limit = settings.self_readings_per_period
    if limit and self_readings_in_period(meter, day) >= limit:
        raise RequestRefused(
            translation.ngettext(
                "You have already submitted %(limit)d self-reading of this meter in the current "
                "billing period, which is the limit. Your next reading can be sent in the next "
                "period.",
                "You have already submitted %(limit)d self-readings of this meter in the current "
                "billing period, which is the limit. Your next reading can be sent in the next "
                "period.",
                limit,
            )
            % {"limit": limit}
        )


def submit_self_reading(
    user: Any,
    meter: Meter,
    *,
    date: dt.date | None,
    value: Decimal,
    photo: Any = None,
    confirm_unusual: bool = False,
    token: Any,
    language: str = "cs",
    invited: bool = False,
) -> SelfReadingRequest:
    """A pending self-reading of one of `user`'s meters, or `RequestRefused` (nothing saved).

    `invited`: the meter comes from a checked reading-invitation link (`portal.mailings`), not
    from a signed-in user; `user` is then None and no photo is kept between attempts.

    An unusual value raises `UnusualValue` unless `confirm_unusual`; then it is saved flagged.
    A checked photo of a refused submission is kept for the same form `token` (see
    `kept_photos`) and used when the form comes back without a new one.
    """
    token = _token(token)
    meters = Meter.objects if invited else Meter.objects.for_user(user)
    meter = meters.select_related("supply_point__customer").get(pk=meter.pk)
    customer = meter.supply_point.customer
    existing = _existing(SelfReadingRequest, token, customer)
    if existing is not None:
        return existing
    if meter.remote_read:
        raise RequestRefused(_("This meter is read remotely; we receive its readings every day."))
    cleaned_photo = None
    if photo:
        try:
            cleaned_photo = clean_photo(photo)
        except PhotoRejected as error:
            raise RequestRefused(str(error), "photo") from None
    elif not invited:
        cleaned_photo = kept_photos.kept_photo(user, token)
    try:
        obj = _save_self_reading(
            user, meter, token, date, value, cleaned_photo, confirm_unusual, language, invited
        )
    except RequestRefused:
        if cleaned_photo is not None and photo and not invited:
            kept_photos.keep_photo(user, token, cleaned_photo)
        raise
    if not invited:
        kept_photos.discard_kept_photo(user, token)
    return obj


def _save_self_reading(
    user: Any,
    meter: Meter,
    token: uuid.UUID,
    date: dt.date | None,
    value: Decimal,
    cleaned_photo: Any,
    confirm_unusual: bool,
    language: str,
    invited: bool = False,
) -> SelfReadingRequest:
    customer = meter.supply_point.customer
    today = timezone.localdate()
    day = date or today
    value = Decimal(value)
    check_reading_date(meter, day, today)
    check_reading_value(value)
    settings = get_portal_settings()
    obj = None
    try:
        with transaction.atomic():
            Meter.objects.select_for_update().filter(pk=meter.pk).first()  # one at a time
            existing = _existing(SelfReadingRequest, token, customer)
            if existing is not None:
                return existing
            assessment = plausibility.assess(meter, day, settings)
            check_against_last(assessment.previous, day, value, reveal=not invited)
            check_limit(meter, day, settings)
            reason = assessment.reason(value)
            if reason and not confirm_unusual:
                if invited:  # the reason names the expected values: not for the no-login form
                    raise UnusualValue(
                        _("The value is unusual compared with the usual consumption."), assessment
                    )
                raise UnusualValue(reason, assessment)
            obj = SelfReadingRequest(
                customer=customer,
                submitted_by=user,
                submission_token=token,
                language=language[:2] if language else "cs",
                meter=meter,
                date=day,
                value=value,
                customer_confirmed_unusual=bool(reason),
                flagged=bool(reason),
                flag_reason=reason,
                expected_min=assessment.expected_min,
                expected_max=assessment.expected_max,
                previous_value=assessment.previous.value if assessment.previous else None,
                previous_date=assessment.previous.date if assessment.previous else None,
            )
            if cleaned_photo is not None:
                obj.photo.save(cleaned_photo.name, cleaned_photo, save=False)
            obj.save()
            return obj
    except IntegrityError:  # the same token submitted at the same moment
        if obj is not None and obj.photo:
            obj.photo.storage.delete(obj.photo.name)
        existing = _existing(SelfReadingRequest, token, customer)
        if existing is None:
            raise
        return existing


# --- Mailing-address changes -------------------------------------------------------------------


def normalize_postcode(raw: str) -> str:
    """'147 00' → '14700'; RequestRefused unless five digits of a Czech postcode."""
    code = re.sub(r"\s+", "", raw or "")
    if not POSTCODE_RE.match(code):
        raise RequestRefused(
            _("Enter the postcode as five digits, for example 147 00."), "postcode"
        )
    return code


def check_address(fields: dict[str, str]) -> dict[str, Any]:
    """The address parts trimmed and checked; RequestRefused names the first bad field."""
    clean = {name: (fields.get(name) or "").strip() for name in ADDRESS_FIELDS}
    check_house_number(clean["house_number"])
    check_orientation_number(clean["orientation_number"])
    if not clean["municipality"]:
        raise RequestRefused(_("Enter the municipality."), "municipality")
    clean["postcode"] = normalize_postcode(clean["postcode"])
    ruian = fields.get("ruian_code")
    clean["ruian_code"] = int(ruian) if ruian not in (None, "") else None
    return clean


def check_house_number(value: str) -> None:
    if not value:
        raise RequestRefused(_("Enter the house number (číslo popisné)."), "house_number")
    if not HOUSE_NUMBER_RE.match(value):
        raise RequestRefused(_("The house number must be digits only, e.g. 515."), "house_number")


def check_orientation_number(value: str) -> None:
    if value and not ORIENTATION_NUMBER_RE.match(value):
        raise RequestRefused(
            _("The orientation number is digits, optionally with a letter, e.g. 2 or 12a."),
            "orientation_number",
        )


ADDRESS_FIELDS = (
    "street",
    "house_number",
    "orientation_number",
    "part_of_municipality",
    "municipality",
    "postcode",
)


def pending_address_change(customer: Customer) -> AddressChangeRequest | None:
    return AddressChangeRequest.objects.filter(
        customer=customer, status=RequestStatus.PENDING
    ).first()


def _pending_refusal() -> RequestRefused:
    return RequestRefused(
        _(
            "You already have a mailing-address change waiting for our decision. You can send "
            "another one once we have decided it."
        )
    )


def submit_address_change(
    user: Any,
    customer: Customer,
    *,
    street: str = "",
    house_number: str,
    orientation_number: str = "",
    part_of_municipality: str = "",
    municipality: str,
    postcode: str,
    ruian_code: int | None = None,
    effective_date: dt.date,
    note: str = "",
    token: Any,
    language: str = "cs",
) -> AddressChangeRequest:
    """A pending mailing-address change of one of `user`'s customers, or `RequestRefused`."""
    token = _token(token)
    customer = Customer.objects.for_user(user).get(pk=customer.pk)
    existing = _existing(AddressChangeRequest, token, customer)
    if existing is not None:
        return existing
    address = check_address(
        {
            "street": street,
            "house_number": house_number,
            "orientation_number": orientation_number,
            "part_of_municipality": part_of_municipality,
            "municipality": municipality,
            "postcode": postcode,
            "ruian_code": ruian_code,
        }
    )
    today = timezone.localdate()
    if effective_date < today:
        raise RequestRefused(_("The change cannot take effect in the past."), "effective_date")
    if effective_date > today + dt.timedelta(days=MAX_EFFECTIVE_DAYS_AHEAD):
        raise RequestRefused(
            _("The change can take effect at most a year from today."), "effective_date"
        )
    if pending_address_change(customer) is not None:
        raise _pending_refusal()
    obj = AddressChangeRequest(
        customer=customer,
        submitted_by=user,
        submission_token=token,
        language=language[:2] if language else "cs",
        effective_date=effective_date,
        note=(note or "").strip(),
        **address,
    )
    if replace(obj.address, ruian_code=None) == replace(customer.mailing_address, ruian_code=None):
        raise RequestRefused(_("This is already your mailing address."))
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # the same token, or another change, at the same moment
        existing = _existing(AddressChangeRequest, token, customer)
        if existing is not None:
            return existing
        raise _pending_refusal() from None
    return obj
