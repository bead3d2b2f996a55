"""Demo notices (`manage.py notices_demo`, run by `make demo`): a planned outage on the street of
the first linked demo customer, a water-quality notice for its municipality, and a past failure
for the archive. Idempotent: nothing is made when any notice exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import CustomerLink
from portal.billing.models import SupplyPoint

from .models import NoticeIndexPage, NoticePage, NoticePlace
from .services import address_number


def _publish(index: NoticeIndexPage, places: list[dict], **fields) -> NoticePage:
    notice = NoticePage(**fields)
    notice.places = [NoticePlace(**place) for place in places]
    index.add_child(instance=notice)
    notice.save_revision().publish()
    return notice


@transaction.atomic
def ensure_demo_notices(now: dt.datetime | None = None) -> int:
    """Make the demo notices; returns how many were made."""
    index = NoticeIndexPage.objects.first()
    if index is None or NoticePage.objects.exists():
        return 0
    link = CustomerLink.objects.filter(ended_at__isnull=True).order_by("pk").first()
    points = SupplyPoint.objects.all()
    point = points.filter(customer_id=link.customer_id).first() if link else points.first()
    if point is None:
        return 0
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    start = (now + dt.timedelta(days=3)).replace(hour=8)
    street_place = {"municipality": point.municipality, "street": point.street}
    if point.street:
        number = address_number(point.street, point.house_number, point.orientation_number)
        if number:
            street_place |= {"number_from": max(1, number - 10), "number_to": number + 10}
    elif point.part_of_municipality:
        street_place["part_of_municipality"] = point.part_of_municipality
    _publish(
        index,
        [street_place],
        title=f"Oprava vodovodního řadu – {point.street or point.municipality}",
        slug="oprava-vodovodniho-radu",
        kind="outage",
        starts_at=start,
        expected_end_at=start + dt.timedelta(hours=7),
        body=(
            "<p>Z důvodu opravy vodovodního řadu bude přerušena dodávka pitné vody. "
            "Náhradní zásobování zajistíme cisternou u hlavní křižovatky.</p>"
        ),
    )
    _publish(
        index,
        [{"municipality": point.municipality}],
        title=f"Zvýšená tvrdost vody – {point.municipality}",
        slug="zvysena-tvrdost-vody",
        kind="quality",
        starts_at=now - dt.timedelta(days=1),
        expected_end_at=now + dt.timedelta(days=5),
        body=(
            "<p>Voda je po dobu přepojení na záložní zdroj tvrdší. Je nadále pitná; "
            "doporučujeme odvápnit konvice.</p>"
        ),
    )
    past = (now - dt.timedelta(days=40)).replace(hour=13)
    _publish(
        index,
        [{"municipality": point.municipality}],
        title=f"Havárie na přivaděči – {point.municipality}",
        slug="havarie-na-privadeci",
        kind="failure",
        starts_at=past,
        expected_end_at=past + dt.timedelta(hours=5),
        body="<p>Havárie byla odstraněna, dodávka je obnovena.</p>",
    )
    return 3
