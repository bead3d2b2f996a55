"""Publishing a notice in the admin announces it (see `services.announce`)."""

from __future__ import annotations

from typing import Any


def notice_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import NoticePage
    from .services import announce

    if isinstance(instance, NoticePage):
        announce(instance)
