"""The thresholds of the warning rules and the legal benchmark consumption.

Each threshold is a Django setting (see docs/configuration.md) read when a computation starts, so
tests and operators can change it without a restart of anything but the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

# The legal benchmark and the household size assumed without one are the advisor's, so that the
# projection, the comparison and the warnings use one figure.
from portal.advisor.projection import (  # noqa: F401  (re-exported for the insights modules)
    BENCHMARK_PER_PERSON_YEAR,
    DEFAULT_PEOPLE,
    benchmark_per_year,
)


@dataclass(frozen=True)
class Thresholds:
    flow_min: Decimal  # m³ a day that count as "water flowing" (PRAMEN_INSIGHTS_FLOW_MIN_M3)
    flow_days: int  # days in a row above flow_min (PRAMEN_INSIGHTS_FLOW_DAYS)
    step_factor: Decimal  # last week's mean against the median before (PRAMEN_INSIGHTS_STEP_FACTOR)
    step_days: int  # the "recent" days compared (PRAMEN_INSIGHTS_STEP_DAYS)
    history_days: int  # the days before them that give the median (PRAMEN_INSIGHTS_HISTORY_DAYS)
    step_min: Decimal  # the least rise in m³ a day that counts (PRAMEN_INSIGHTS_STEP_MIN_M3)
    reading_factor: Decimal  # a reading's daily average against the history
    # (PRAMEN_INSIGHTS_READING_FACTOR)
    min_group: int  # the fewest similar supply points a comparison is shown for
    # (PRAMEN_INSIGHTS_MIN_GROUP)

    @classmethod
    def current(cls) -> Thresholds:
        return cls(
            flow_min=Decimal(str(getattr(settings, "PRAMEN_INSIGHTS_FLOW_MIN_M3", "0.5"))),
            flow_days=int(getattr(settings, "PRAMEN_INSIGHTS_FLOW_DAYS", 7)),
            step_factor=Decimal(str(getattr(settings, "PRAMEN_INSIGHTS_STEP_FACTOR", "2"))),
            step_days=int(getattr(settings, "PRAMEN_INSIGHTS_STEP_DAYS", 7)),
            history_days=int(getattr(settings, "PRAMEN_INSIGHTS_HISTORY_DAYS", 28)),
            step_min=Decimal(str(getattr(settings, "PRAMEN_INSIGHTS_STEP_MIN_M3", "0.1"))),
            reading_factor=Decimal(str(getattr(settings, "PRAMEN_INSIGHTS_READING_FACTOR", "2"))),
            min_group=max(20, int(getattr(settings, "PRAMEN_INSIGHTS_MIN_GROUP", 20))),
        )

    @property
    def window_days(self) -> int:
        """How many days back the remote-read rules look."""
        return max(self.flow_days, self.step_days + self.history_days)


def benchmark_per_day(people: int | None) -> Decimal:
    """The legal benchmark's daily consumption of a household of `people` (m³ a day)."""
    return benchmark_per_year(people) / Decimal(365)
