"""Seasonal water consumption of a supply point and the meters that measure it.

All volumes are whole litres (``int``) so that sums stay exact; the exchange format gets m³ with
three decimals. The model: a supply point draws ``annual_litres`` a year at a daily rate of
``annual / 365.25 * (1 + amplitude * cos(2π (day - mid-July) / 365.25))`` — more in summer
(gardens, pools), less in winter. Between two readings a manually read meter advances by the
integral of that rate times a random factor (0.85-1.15), so readings rise steadily but not
mechanically. A remote-read meter advances day by day, each day's volume being the rate times a
random factor, and its readings are exactly the sum of the daily values it reported.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

YEAR_DAYS = 365.25
PEAK_ORDINAL = date(2000, 7, 15).toordinal()  # the seasonal peak: mid-July
HOUSEHOLD_LITRES_PER_PERSON = 35_000  # ~35 m³ per person and year
PERSONS = (1, 2, 3, 4, 5)
PERSON_WEIGHTS = (25, 33, 18, 17, 7)

DailySink = Callable[[date, int], None]


@dataclass(slots=True)
class UsageProfile:
    """How much a supply point draws in a year and how strongly that follows the seasons."""

    annual_litres: float
    amplitude: float
    weekday_only: bool = False  # businesses draw little at weekends

    def cumulative(self, day: date) -> float:
        """Litres drawn by the model from an arbitrary origin up to the start of ``day``."""
        t = day.toordinal()
        phase = 2 * math.pi * (t - PEAK_ORDINAL) / YEAR_DAYS
        scale = self.amplitude * YEAR_DAYS / (2 * math.pi)
        return self.annual_litres / YEAR_DAYS * (t + scale * math.sin(phase))

    def expected(self, start: date, end: date) -> float:
        """Litres the model expects drawn from ``start`` (inclusive) to ``end`` (exclusive)."""
        return max(0.0, self.cumulative(end) - self.cumulative(start))

    def daily_rate(self, day: date) -> float:
        t = day.toordinal()
        seasonal = 1 + self.amplitude * math.cos(2 * math.pi * (t - PEAK_ORDINAL) / YEAR_DAYS)
        rate = self.annual_litres / YEAR_DAYS * seasonal
        if self.weekday_only:
            rate *= 0.3 if day.weekday() >= 5 else 1.28
        return rate


def household_profile(rng: random.Random) -> UsageProfile:
    """A household of 1-5 persons, ~35 m³ per person and year, ±25 %."""
    persons = rng.choices(PERSONS, PERSON_WEIGHTS)[0]
    annual = persons * HOUSEHOLD_LITRES_PER_PERSON * rng.lognormvariate(0, 0.22)
    return UsageProfile(annual_litres=annual, amplitude=rng.uniform(0.15, 0.35))


def business_profile(rng: random.Random) -> UsageProfile:
    """A business: from a small office (~40 m³/year) to a hotel or laundry (thousands of m³)."""
    annual = 1000 * min(8000.0, max(30.0, rng.lognormvariate(math.log(250), 0.9)))
    return UsageProfile(annual_litres=annual, amplitude=rng.uniform(0.05, 0.3), weekday_only=True)


def garden_profile(rng: random.Random, main: UsageProfile) -> UsageProfile:
    """A second meter (garden, workshop): a fifth of the main draw, strongly seasonal."""
    return UsageProfile(annual_litres=main.annual_litres * rng.uniform(0.1, 0.3), amplitude=0.8)


@dataclass(slots=True)
class MeterClock:
    """The true register of a meter: litres counted so far, and the day it was advanced to."""

    profile: UsageProfile
    litres: int
    day: date
    remote: bool

    def advance(self, rng: random.Random, to: date, daily: DailySink | None = None) -> int:
        """Move the register to the start of ``to`` and return it; remote meters report each day."""
        if to <= self.day:
            return self.litres
        if self.remote and daily is not None:
            self._advance_daily(rng, to, daily)
        else:
            drawn = self.profile.expected(self.day, to) * rng.uniform(0.85, 1.15)
            self.litres += int(drawn)
            self.day = to
        return self.litres

    def _advance_daily(self, rng: random.Random, to: date, daily: DailySink) -> None:
        day, one = self.day, timedelta(days=1)
        rate, gauss = self.profile.daily_rate, rng.gauss
        total = self.litres
        while day < to:
            litres = max(0, int(rate(day) * gauss(1.0, 0.25)))
            daily(day, litres)
            total += litres
            day += one
        self.litres, self.day = total, to

    def estimate(self, since_litres: int, since: date, to: date) -> int:
        """An estimated register (what ZIS computes without a reading), never above the truth."""
        guess = since_litres + int(self.profile.expected(since, to))
        return max(since_litres, min(guess, self.litres))
