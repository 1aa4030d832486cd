"""Figures shared by the reports: summaries of durations, and how far back a report may look."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

# Two years and a leap day: wide enough for "the last two years", bounded so the weekly trend
# and the rows loaded stay small.
MAX_RANGE = timedelta(days=731)


@dataclass(frozen=True, slots=True)
class DurationStats:
    """How many durations there were, and their mean and median (``None`` when none)."""

    count: int
    average: timedelta | None
    median: timedelta | None

    @classmethod
    def of(cls, durations: Iterable[timedelta]) -> DurationStats:
        """Summarise durations; the median of an even count is the mean of the middle two."""
        ordered = sorted(durations)
        n = len(ordered)
        if n == 0:
            return cls(count=0, average=None, median=None)
        mid = n // 2
        median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
        return cls(count=n, average=sum(ordered, timedelta()) / n, median=median)
