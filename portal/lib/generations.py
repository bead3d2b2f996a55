"""Data generations: version stamps of the customers' data, kept in the shared cache.

Whatever is derived from the imported data and kept for long (a rendered PDF, the check for
customer links that ended) carries the generation it was made from. Every succeeded ZIS import,
and every change of the utility's identity, starts a new generation (`bump`), so nothing made
from older data is used again; checking costs one cache read instead of recomputing anything.

The stamp lives in the cache (Redis in production, shared by every server and worker). Should it
be lost (an evicted key, a flushed Redis), a new one is made: derived things are made again once,
never served stale.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

DATA = "data"  # the ZIS data and the utility's identity
# What the portal computes from the data for the dashboard: the outage notices at the supply
# points, the open consumption warnings and the advance advisor's projections.
NEWS = "news"
# The customers' requests (self-readings, address and advance changes): every save, delete and
# queryset update of one starts a new generation (portal/requests/models.py), so what is kept of
# them is never stale.
REQUESTS = "requests"


def _key(name: str) -> str:
    return f"pramen:generation:{name}"


def current(name: str = DATA, timeout: int | None = None) -> str:
    """The current generation `name` (a new one when none is known). `timeout`: seconds a
    generation is remembered (None: until bumped), for per-user generations that must not pile
    up in the cache."""
    generation = cache.get(_key(name))
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(_key(name), generation, timeout):
            generation = cache.get(_key(name), generation)
    return generation


def bump(name: str = DATA, timeout: int | None = None) -> str:
    """Start a new generation `name` now; returns it."""
    generation = uuid.uuid4().hex
    cache.set(_key(name), generation, timeout)
    return generation


def bump_on_commit(name: str = DATA) -> None:
    """Start a new generation now and again once the current transaction commits: a request
    that made something from the old data meanwhile stamped it with a generation then dropped."""
    bump(name)
    transaction.on_commit(lambda: bump(name))


def _utility_changed(**kwargs: object) -> None:
    if kwargs.get("created"):  # made on first use with the defaults documents already used
        return
    bump_on_commit()  # the utility's identity is printed on every document


def _news_changed(**kwargs: object) -> None:
    bump_on_commit(NEWS)


for _signal in (post_save, post_delete):
    for _sender in ("portal.ConsumptionWarning", "portal.AdvanceProjection", "portal.NoticePage"):
        _signal.connect(
            _news_changed,
            sender=_sender,
            dispatch_uid=f"pramen-generation-news-{_sender}-{_signal is post_save}",
        )
    _signal.connect(
        _utility_changed,
        sender="cms_pages.UtilitySettings",
        dispatch_uid=f"pramen-generation-utility-{_signal is post_save}",
    )
