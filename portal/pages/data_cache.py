"""What the portal pages compute from ZIS data, kept in the shared cache for the data generation.

ZIS owns the billing data (customers, supply points, meters, readings, invoices, advances,
payments, tariffs): the portal never writes it, and every succeeded import starts a new data
generation (`portal.lib.generations`), as does an ended customer link or a change of the
utility's settings. So a page's figures computed from that data stay true for the generation,
the day (statuses and amounts due depend on today's date) and the language; the pages keep them
here instead of building the same SQL on every request (building a query with subqueries costs
more CPU than running it). What the customer or the staff change in the portal (requests,
consumption settings, notices) is never kept here; the one exception, the user's linked
customers, is kept with a stamp that every link made or removed renews (`linked_customers`).
(What the pages show of requests is kept elsewhere with the requests generation that every change
of a request starts: `tracker.count_open`, `dashboard.advisor_rows`.)

Keys hold the user (every query is scoped to the user's customer links) and the customer or
document; the caller has the user's linked customers of this request and checks access against
them, so a link removed meanwhile gives no access to what was kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from portal.billing.models.customers import Customer
from portal.billing.services import customers as customer_links
from portal.lib import generations

T = TypeVar("T")

TIMEOUT = 3600  # seconds; a new generation or another day makes older entries unused anyway


def key(name: str, user: Any, *parts: Any, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    extra = ":".join(str(part) for part in parts)
    return (
        f"pramen:portal-data:{generations.current()}:{today.isoformat()}:"
        f"{translation.get_language()}:{name}:{user.pk}:{extra}"
    )


def cached(name: str, user: Any, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave earlier in this data generation, day and language for the
    same user and `parts` (the customer's or document's ids)."""
    entry_key = key(name, user, *parts)
    found = cache.get(entry_key)
    if found is not None:
        return found[0]
    value = compute()
    cache.set(entry_key, (value,), TIMEOUT)
    return value


def cached_for_linked(
    request: Any, name: str, pk: int, compute: Callable[[], T], customer_id: Callable[[T], Any]
) -> T:
    """`cached` for one document or supply point `pk` of the user's customers (`compute` answers
    404 for anyone else's): what was kept is used only while its customer (`customer_id`) is one
    of the user's linked customers of this request; otherwise it is looked up again."""
    value = cached(name, request.user, (pk,), compute)
    if customer_id(value) not in {customer.pk for customer in request.portal.customers}:
        return compute()
    return value


def cached_listing(
    request: Any, name: str, parts: tuple, per_page: int, compute: Callable[[Any], T]
) -> T:
    """`cached` for one page of a paginated list (a dataclass with the Django page as `page`),
    `compute(page_number)` given the page number of the request: the list is kept with the page
    as its number and the length of the list, and the page is made again from them. A page
    number that is no short number is not kept (the list shows its first page for it)."""
    number = request.GET.get("page")
    if number is not None and not (number.isdigit() and len(number) <= 4):
        return compute(number)

    def kept() -> tuple[int, int, T]:
        listing = compute(number)
        page = listing.page  # type: ignore[attr-defined]
        return page.number, page.paginator.count, dataclasses.replace(listing, page=None)

    shown, count, listing = cached(name, request.user, (*parts, number), kept)
    return dataclasses.replace(listing, page=Paginator(range(count), per_page).get_page(shown))


# --- The user's linked customers ----------------------------------------------------------------
#
# Every portal request needs them (who may see what); they change with a new data generation
# (ZIS changed a customer, or a link ended: `CustomerLink.objects.end` starts one) or when a
# link is made or removed in the portal or the admin: each such save or delete renews the user's
# link stamp, now and once its transaction commits, so a request that read the links meanwhile
# keeps them under a stamp no longer used.


def _links_stamp(user_pk: Any) -> str:
    return generations.current(f"portal-links:{user_pk}", timeout=TIMEOUT)


def _renew_links_stamp(user_pk: Any) -> None:
    generations.bump(f"portal-links:{user_pk}", timeout=TIMEOUT)


def _link_changed(instance: Any, **kwargs: Any) -> None:
    user_pk = instance.user_id
    _renew_links_stamp(user_pk)
    transaction.on_commit(lambda: _renew_links_stamp(user_pk))


for _signal in (post_save, post_delete):
    _signal.connect(
        _link_changed,
        sender="portal.CustomerLink",
        dispatch_uid=f"pramen-portal-links-{_signal is post_save}",
    )


def linked_customers(user: Any) -> list[Customer]:
    """The customers linked to `user` by customer number (`customers.linked_customers`), kept
    for the data generation and the user's link stamp (no query when kept)."""
    stamp = _links_stamp(user.pk)  # read before the links, so a change meanwhile renews it
    entry_key = f"pramen:portal-links:{generations.current()}:{user.pk}:{stamp}"
    found = cache.get(entry_key)
    if found is not None:
        return found
    linked = customer_links.linked_customers(user)
    cache.set(entry_key, linked, TIMEOUT)
    return linked
