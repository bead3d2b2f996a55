"""The activation-code lockout holds when attempts arrive at the same moment: at most
PRAMEN_LINK_MAX_FAILURES codes are checked per window, however many requests race."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.accounts import services
from portal.models import LinkAttempt
from tests.factories.accounts import UserFactory
from tests.factories.billing import ActivationCodeFactory, CustomerFactory

RACERS = 12
LIMIT = 5

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason=(
            "SQLite lets one transaction write at a time, so attempts cannot race there; the "
            "locks under test are PostgreSQL's (CI runs this in its PostgreSQL pass)"
        ),
    ),
]


def race(calls) -> list[str]:
    """Run `calls` in threads released at the same moment; the outcome of each."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("linked")
        except services.LinkError as refused:
            outcomes.append(refused.outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twelve_accounts_racing_for_one_customer_number_get_five_checks(settings):
    settings.PRAMEN_LINK_MAX_FAILURES = LIMIT
    customer = CustomerFactory(number="300100")
    ActivationCodeFactory(customer=customer, code="ABCD-EFGH-JKLM")
    users = [UserFactory() for _ in range(RACERS)]

    outcomes = race(
        [
            lambda user=user: services.link_customer(user, "300100", "NOPE-NOPE-NOPE")
            for user in users
        ]
    )

    assert sorted(outcomes) == sorted(["wrong"] * LIMIT + ["locked"] * (RACERS - LIMIT))
    assert LinkAttempt.objects.filter(outcome="wrong").count() == LIMIT
    assert LinkAttempt.objects.filter(outcome="locked").count() == RACERS - LIMIT


def test_one_account_racing_over_many_numbers_gets_five_checks(settings):
    settings.PRAMEN_LINK_MAX_FAILURES = LIMIT
    user = UserFactory()
    numbers = [f"4001{n:02d}" for n in range(RACERS)]
    for number in numbers:
        CustomerFactory(number=number)

    outcomes = race(
        [
            lambda number=number: services.link_customer(user, number, "NOPE-NOPE-NOPE")
            for number in numbers
        ]
    )

    assert outcomes.count("wrong") == LIMIT
    assert outcomes.count("locked") == RACERS - LIMIT
    assert LinkAttempt.objects.filter(user=user, outcome="wrong").count() == LIMIT
