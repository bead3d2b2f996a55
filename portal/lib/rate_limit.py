"""Counting a client's requests in fixed windows, in the shared cache, so that every worker and
server counts together (public forms that send e-mail or take a secret are limited this way)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(key: str, *, window: int) -> int:
    """Count one request under `key` in the current window of `window` seconds; returns how many
    requests the window has seen, this one included."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def digest(value: str) -> str:
    """A short hash of a secret or a personal value, so that the cache key does not hold it."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]
