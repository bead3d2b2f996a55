"""Notices: which supply points and subscribers a notice affects, and who is e-mailed when.

- `affected_supply_points(notice)` matches the notice's places against the supply points'
  addresses: a place without a street is the whole municipality (or its part); a place with a
  street and no numbers is the whole street; numbers are a range (one end may be open) of the
  orientation number where the address has one, else the house number, all or odd or even.
- `announce(notice)` runs when an editor publishes: it stores the affected supply points and, if
  what the notice says changed since it was last announced, queues one e-mail per person (portal
  users who did not opt out of notices, confirmed subscribers) in bulk. Republishing unchanged
  content sends nothing; a change (or a cancellation) goes to everyone told before as well.
- `notices_for_customer(...)` lists the current and planned notices affecting supply points.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format

from portal.accounts.models import AccountProfile, CustomerLink
from portal.accounts.services import EmailKind
from portal.billing.models import SupplyPoint
from portal.lib import generations
from portal.notifications.models import Notification
from portal.notifications.services import normalise_language, public_url

from .models import (
    NoticePage,
    NoticePlace,
    NoticeRecipient,
    NoticeSubscription,
    NoticeSupplyPoint,
)

BATCH_SIZE = 2000
NUMBER = re.compile(r"\d+")


# --- Bulk inserts -------------------------------------------------------------------------------


def bulk_insert(model: type, objects: list) -> None:
    """Insert many new rows: PostgreSQL's COPY (several times faster than INSERT for tens of
    thousands of outbox rows), `bulk_create` in batches elsewhere. No signals, no returned ids."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(obj, field.attname), connection)
                    for field in fields
                ]
            )


# --- Matching -----------------------------------------------------------------------------------


def address_number(street: str, house_number: str, orientation_number: str) -> int | None:
    """The number a range on a street is about: the orientation number if there is one (and a
    street), else the house number; None when it has no digits."""
    text = orientation_number if (street and orientation_number) else house_number
    found = NUMBER.match((text or "").strip())
    return int(found.group()) if found else None


def number_matches(place: NoticePlace, number: int | None) -> bool:
    if place.number_from is None and place.number_to is None and not place.parity:
        return True
    if number is None:
        return False
    if place.number_from is not None and number < place.number_from:
        return False
    if place.number_to is not None and number > place.number_to:
        return False
    if place.parity == NoticePlace.Parity.ODD:
        return number % 2 == 1
    if place.parity == NoticePlace.Parity.EVEN:
        return number % 2 == 0
    return True


def _place_q(place: NoticePlace, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}municipality": place.municipality})
    if place.part_of_municipality:
        q &= Q(**{f"{prefix}part_of_municipality": place.part_of_municipality})
    if place.street:
        q &= Q(**{f"{prefix}street": place.street})
    return q


def place_matches(place: NoticePlace, **address: str) -> bool:
    """Whether an address (municipality, part_of_municipality, street, house_number,
    orientation_number) lies in the place."""
    if address.get("municipality", "") != place.municipality:
        return False
    if place.part_of_municipality and (
        address.get("part_of_municipality", "") != place.part_of_municipality
    ):
        return False
    if place.street and address.get("street", "") != place.street:
        return False
    if not place.street:
        return True
    number = address_number(
        address.get("street", ""),
        address.get("house_number", ""),
        address.get("orientation_number", ""),
    )
    return number_matches(place, number)


def affected_supply_points(places: Iterable[NoticePlace]) -> list[int]:
    """The ids of the supply points in any of `places`."""
    places = list(places)
    if not places:
        return []
    query = Q()
    for place in places:
        query |= _place_q(place)
    rows = SupplyPoint.objects.filter(query).values_list(
        "pk", "municipality", "part_of_municipality", "street", "house_number", "orientation_number"
    )
    found = []
    for pk, municipality, part, street, house, orientation in rows.iterator(chunk_size=5000):
        address = {
            "municipality": municipality,
            "part_of_municipality": part,
            "street": street,
            "house_number": house,
            "orientation_number": orientation,
        }
        if any(place_matches(place, **address) for place in places):
            found.append(pk)
    return found


def subscription_matches(subscription: NoticeSubscription, place: NoticePlace) -> bool:
    """A street subscription matches any place on its street or the whole municipality; an
    address subscription only a place its number lies in."""
    if subscription.municipality != place.municipality:
        return False
    if not place.street:
        return True
    if subscription.street != place.street:
        return False
    if not subscription.house_number:
        return True
    found = NUMBER.match(subscription.house_number.strip())
    return number_matches(place, int(found.group()) if found else None)


def store_affected(notice: NoticePage) -> int:
    """Bring the stored affected supply points of `notice` up to date (only the difference is
    written); returns how many there are."""
    generations.bump_on_commit(generations.NEWS)
    ids = set() if notice.cancelled else set(affected_supply_points(notice.places.all()))
    stored = set(
        NoticeSupplyPoint.objects.filter(notice=notice).values_list("supply_point_id", flat=True)
    )
    gone = stored - ids
    if gone:
        NoticeSupplyPoint.objects.filter(notice=notice, supply_point_id__in=gone).delete()
    bulk_insert(
        NoticeSupplyPoint,
        [NoticeSupplyPoint(notice=notice, supply_point_id=pk) for pk in ids - stored],
    )
    return len(ids)


def refresh_affected(run: Any = None) -> int:
    """After a ZIS import: recompute the affected supply points of every current notice (new
    supply points appear on the dashboard; nobody is e-mailed again)."""
    count = 0
    for notice in NoticePage.objects.live().filter(expected_end_at__gte=timezone.now()):
        with transaction.atomic():
            count += store_affected(notice)
    return count


# --- Announcing ---------------------------------------------------------------------------------


def announcement_signature(notice: NoticePage) -> str:
    """A digest of what the e-mail says: the same digest means nothing new to tell."""
    content = {
        "title": notice.title,
        "kind": notice.kind,
        "start": notice.starts_at.isoformat(),
        "end": notice.expected_end_at.isoformat(),
        "body": notice.body,
        "cancelled": notice.cancelled,
        "places": sorted(str(place) for place in notice.places.all()),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass
class Announcement:
    supply_points: int
    emails: int
    change: str  # "", "new", "updated", "cancelled"


def _format_moment(value, language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def notice_context(notice: NoticePage, change: str, language: str) -> dict[str, Any]:
    from django.utils.html import strip_tags

    with translation.override(language):
        kind = str(notice.get_kind_display())
    return {
        "change": change,
        "title": notice.title,
        "kind": kind,
        "starts": _format_moment(notice.starts_at, language),
        "ends": _format_moment(notice.expected_end_at, language),
        "text": strip_tags(notice.body).strip(),
        "places": [str(place) for place in notice.places.all()],
        "url": public_url(notice.url or "", language),
    }


def _user_recipients(notice: NoticePage, cancelled: bool) -> dict[int, tuple[str, str]]:
    """user id → (e-mail, language) of the portal users to tell: linked to a customer with an
    affected supply point (not for a cancellation) or told before, and not opted out.

    This is `wants_email(user, EmailKind.NOTICES)` for all of them in the same query: a user
    without preferences has the field's default."""
    told = NoticeRecipient.objects.filter(notice=notice, user__isnull=False).values("user_id")
    users = Q(user_id__in=told)
    if not cancelled:
        customers = SupplyPoint.objects.filter(notices__notice=notice).values("customer_id")
        users |= Q(customer_id__in=customers)
    kind = EmailKind.NOTICES
    default = AccountProfile._meta.get_field(kind).get_default()
    links = CustomerLink.objects.filter(users, ended_at__isnull=True).values_list(
        "user_id",
        "user__email",
        "customer__language",
        "user__account_profile__language",
        f"user__account_profile__{kind}",
    )
    recipients: dict[int, tuple[str, str]] = {}
    for user_id, email, customer_language, language, wants in links.iterator(chunk_size=5000):
        if wants is None:
            wants = default
        if email and wants and user_id not in recipients:
            recipients[user_id] = (email, language or customer_language or "")
    return recipients


def _subscriber_recipients(notice: NoticePage, cancelled: bool) -> list[NoticeSubscription]:
    told = set(
        NoticeRecipient.objects.filter(notice=notice, subscription__isnull=False).values_list(
            "subscription_id", flat=True
        )
    )
    places = list(notice.places.all())
    active = NoticeSubscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    found = []
    municipalities = {place.municipality for place in places}
    candidates = active.filter(Q(pk__in=told) | Q(municipality__in=municipalities))
    for subscription in candidates:
        if subscription.pk in told or (
            not cancelled and any(subscription_matches(subscription, p) for p in places)
        ):
            found.append(subscription)
    return found


@transaction.atomic
def announce(notice: NoticePage) -> Announcement:
    """Store what `notice` affects and queue its e-mails unless this version was announced."""
    notice = NoticePage.objects.select_for_update().get(pk=notice.pk)
    points = store_affected(notice)
    signature = announcement_signature(notice)
    if signature == notice.announced_signature:
        return Announcement(points, 0, "")
    if not notice.announced_signature:
        if notice.cancelled:  # cancelled before anyone was told: nothing to say
            return Announcement(points, 0, "")
        change = "new"
    else:
        change = "cancelled" if notice.cancelled else "updated"
    users = _user_recipients(notice, notice.cancelled)
    subscribers = _subscriber_recipients(notice, notice.cancelled)
    content_type = ContentType.objects.get_for_model(NoticePage)
    contexts: dict[str, dict[str, Any]] = {}

    def context_for(language: str) -> dict[str, Any]:
        language = normalise_language(language)
        if language not in contexts:
            contexts[language] = notice_context(notice, change, language)
        return contexts[language]

    now = timezone.now()
    rows = []
    for user_id, (email, language) in users.items():
        language = normalise_language(language)
        rows.append(
            Notification(
                recipient=email,
                user_id=user_id,
                template=Notification.Template.NOTICE,
                language=language,
                context={"notice": context_for(language)},
                content_type=content_type,
                object_id=str(notice.pk),
                created_at=now,
                next_attempt_at=now,
            )
        )
    index = notice.get_parent().specific
    # One e-mail per address: a visitor may hold a street's and an address's subscription, or
    # be a customer with an account as well.
    addresses = {email.casefold() for email, _language in users.values()}
    for subscription in subscribers:
        if subscription.email.casefold() in addresses:
            continue
        addresses.add(subscription.email.casefold())
        language = normalise_language(subscription.language)
        unsubscribe = public_url(
            index.url + index.reverse_subpage("unsubscribe", args=[subscription.token]), language
        )
        rows.append(
            Notification(
                recipient=subscription.email,
                template=Notification.Template.NOTICE,
                language=language,
                context={"notice": {**context_for(language), "unsubscribe_url": unsubscribe}},
                content_type=content_type,
                object_id=str(notice.pk),
                created_at=now,
                next_attempt_at=now,
            )
        )
    bulk_insert(Notification, rows)
    told_users = set(
        NoticeRecipient.objects.filter(notice=notice, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    told_subscriptions = set(
        NoticeRecipient.objects.filter(notice=notice, subscription__isnull=False).values_list(
            "subscription_id", flat=True
        )
    )
    NoticeRecipient.objects.filter(notice=notice).update(signature=signature)
    bulk_insert(
        NoticeRecipient,
        [
            NoticeRecipient(notice=notice, user_id=pk, signature=signature)
            for pk in users
            if pk not in told_users
        ]
        + [
            NoticeRecipient(notice=notice, subscription=sub, signature=signature)
            for sub in subscribers
            if sub.pk not in told_subscriptions
        ],
    )
    NoticePage.objects.filter(pk=notice.pk).update(announced_signature=signature, announced_at=now)
    transaction.on_commit(_send_soon, robust=True)
    return Announcement(points, len(rows), change)


def _send_soon() -> None:
    from .tasks import send_notice_emails_task

    send_notice_emails_task()


# --- Listing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeSummary:
    pk: int
    title: str
    kind: str
    kind_label: str
    start: Any
    expected_end: Any
    url: str


def current_notices():
    """Published, not cancelled notices that have not ended yet, soonest first."""
    return (
        NoticePage.objects.live()
        .filter(cancelled=False, expected_end_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )


def notices_for_customer(
    supply_point_ids: Iterable[int] | None = None, *, user: Any = None, customer: Any = None
) -> list[NoticeSummary]:
    """The current and planned notices affecting the given supply points (or those of `customer`,
    or of every customer linked to `user`), in one query."""
    notices = current_notices()
    if supply_point_ids is not None:
        notices = notices.filter(affected__supply_point_id__in=list(supply_point_ids))
    elif customer is not None:
        notices = notices.filter(affected__supply_point__customer=customer)
    elif user is not None:
        notices = notices.filter(
            affected__supply_point__customer__links__user=user,
            affected__supply_point__customer__links__ended_at__isnull=True,
        )
    else:
        return []
    rows = notices.distinct().values(
        "pk", "title", "kind", "starts_at", "expected_end_at", "url_path"
    )
    labels = dict(NoticePage._meta.get_field("kind").choices)
    return [
        NoticeSummary(
            pk=row["pk"],
            title=row["title"],
            kind=row["kind"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            start=row["starts_at"],
            expected_end=row["expected_end_at"],
            url=_relative_url(row["url_path"]),
        )
        for row in rows
    ]


def _relative_url(url_path: str) -> str:
    """A page's url_path ("/home/odstavky/x/") without the site root's segment ("/odstavky/x/"):
    the notices live under the default site's home page."""
    parts = url_path.strip("/").split("/", 1)
    return iri_to_uri("/" + (parts[1] + "/" if len(parts) > 1 else ""))


def notices_in(municipality: str = "", archive: bool = False):
    now = timezone.now()
    notices = NoticePage.objects.live()
    if archive:
        notices = notices.filter(Q(expected_end_at__lt=now) | Q(cancelled=True)).order_by(
            "-starts_at", "-pk"
        )
    else:
        notices = current_notices()
    if municipality:
        notices = notices.filter(places__municipality=municipality).distinct()
    return notices.prefetch_related("places")


def municipalities() -> list[str]:
    return list(
        NoticePlace.objects.filter(notice__live=True)
        .order_by("municipality")
        .values_list("municipality", flat=True)
        .distinct()
    )


# --- Subscriptions ------------------------------------------------------------------------------


def subscribe(
    index: Any, *, email: str, municipality: str, street: str, house_number: str, language: str
) -> NoticeSubscription:
    """Store an unconfirmed subscription and e-mail the link that confirms it. Asking again for
    the same place keeps the one subscription (its link is sent again), so nobody gets a notice
    twice."""
    from portal.notifications.services import queue_notification

    place = {
        "municipality": municipality.strip(),
        "street": street.strip(),
        "house_number": house_number.strip(),
    }
    subscription = (
        NoticeSubscription.objects.filter(
            email__iexact=email.strip(),
            unsubscribed_at__isnull=True,
            **{f"{name}__iexact": value for name, value in place.items()},
        )
        .order_by("pk")
        .first()
    )
    if subscription is None:
        subscription = NoticeSubscription.objects.create(
            email=email.strip(), language=normalise_language(language), **place
        )
    confirm = public_url(
        index.url + index.reverse_subpage("confirm", args=[subscription.token]),
        subscription.language,
    )
    unsubscribe = public_url(
        index.url + index.reverse_subpage("unsubscribe", args=[subscription.token]),
        subscription.language,
    )
    queue_notification(
        to=subscription.email,
        template=Notification.Template.NOTICE_SUBSCRIPTION,
        context={
            "notice": {
                "place": subscription.place,
                "confirm_url": confirm,
                "unsubscribe_url": unsubscribe,
            }
        },
        language=subscription.language,
        related=subscription,
    )
    return subscription


def confirm_subscription(token: str) -> NoticeSubscription | None:
    subscription = NoticeSubscription.objects.filter(token=token).first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscription


def unsubscribe(token: str) -> NoticeSubscription | None:
    subscription = NoticeSubscription.objects.filter(token=token).first()
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription
