"""Time zones grouped by their UTC offset at a minute: a search asks the scorer about a few
dozen offsets instead of some 600 zone names."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from mentoring.directory.matching import zone_offset_minutes


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    # Every zone a profile can hold (enrollment validates with ZoneInfo); slow to list.
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=2)
def _zones_by_offset(minute: datetime) -> dict[int, tuple[str, ...]]:
    """Every zone grouped by its UTC offset at ``minute``.

    tzdata moves clocks on whole minutes, so one table per minute is exact.
    """
    groups: defaultdict[int, list[str]] = defaultdict(list)
    for zone in _zones():
        offset = zone_offset_minutes(zone, minute)
        if offset is not None:
            groups[offset].append(zone)
    return {offset: tuple(zones) for offset, zones in groups.items()}


def zone_groups(now: datetime) -> dict[int, tuple[str, ...]]:
    return _zones_by_offset(now.replace(second=0, microsecond=0))
