"""Hypothesis's settings for the property-based tests here.

The "pramen" profile (the default) keeps the example counts small so the suite stays fast, has no
deadline (a request's time depends on the machine, and speed belongs to `make bench`) and keeps no
example database in the work tree. `HYPOTHESIS_PROFILE=thorough pytest tests/security` tries many
more examples.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    "database": None,
    # The Django client and the database are fixtures of the test, shared by its examples on
    # purpose: each example only reads (GET). Very long values are what the tests are after, and
    # a request takes what it takes on a busy machine: neither is a problem of the strategy.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("pramen", max_examples=60, **COMMON)
settings.register_profile("thorough", max_examples=2000, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pramen"))
