"""E-mails to customers as the request flow queues them: sample contexts and `queue`.

The contexts belong to customer 300100 Jana Nováková (the `customer` persona's customer), so a
queued notification is tied to that customer when the test has created it.
"""

from __future__ import annotations

from typing import Any

from portal.models import Notification
from portal.notifications.services import queue_notification

READING: dict[str, str] = {
    "kind": "self_reading",
    "customer_number": "300100",
    "customer_name": "Jana Nováková",
    "meter_serial": "VM-2024-0042",
    "reading_date": "2026-11-15",
    "reading_value": "1234.456",
    "address": "",
    "effective_date": "",
    "reason": "",
    "tracker_path": "/portal/moje-udaje/pozadavky/",
}

ADDRESS: dict[str, str] = {
    **READING,
    "kind": "address_change",
    "meter_serial": "",
    "reading_date": "",
    "reading_value": "",
    "address": "Zelinářská 515/2, Dejvice, 160 00 Praha 6",
    "effective_date": "2026-12-01",
}


def queue(
    template: str = "request_approved",
    context: dict[str, Any] | None = None,
    language: str = "cs",
    to: str = "jana.novakova@example.cz",
    **kwargs: Any,
) -> Notification:
    """Queue an e-mail (by default: Jana's approved self-reading, in Czech)."""
    return queue_notification(
        to=to, template=template, context=context or READING, language=language, **kwargs
    )
