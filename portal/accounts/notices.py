"""Telling a user, once, that a customer link ended (ZIS no longer holds the customer)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import CustomerLink
from portal.lib import generations

SESSION_LINKS_CHECKED = "portal_links_checked"  # the data generation last looked in


def announce_ended_links(request: HttpRequest) -> int:
    """Add a message for each of the user's links that ended since the last visit and mark it
    told; returns how many (one query when there is nothing to tell).

    Links end only with a new data generation (`CustomerLink.objects.end`, ZIS imports), so a
    session that looked in the current generation does not look again (no query)."""
    generation = generations.current()
    if request.session.get(SESSION_LINKS_CHECKED) == generation:
        return 0
    ended = list(CustomerLink.objects.ended_unannounced(request.user))
    request.session[SESSION_LINKS_CHECKED] = generation
    for link in ended:
        messages.warning(
            request,
            _(
                "Customer %(number)s (%(name)s) is no longer linked to your account: our billing "
                "system no longer holds this customer, for example because the contract ended. "
                "If you think this is a mistake, please contact us."
            )
            % {"number": link.customer_number, "name": link.customer_name},
        )
    if ended:
        CustomerLink.objects.filter(pk__in=[link.pk for link in ended]).update(
            announced_at=timezone.now()
        )
    return len(ended)
