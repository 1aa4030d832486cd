"""When reminders are due: the program's reminder rule and the answerer's working hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentoring.program.settings import ProgramSettings


def next_reminder_at(
    created_at: datetime,
    reminder_count: int,
    last_reminded_at: datetime | None,
    settings: ProgramSettings,
) -> datetime | None:
    """When the next reminder is due: N days after the request, then every R days, K at most.

    Counting repeats from the last reminder means an admin's "remind now" pushes the next
    automatic one back instead of sending two close together.
    """
    if reminder_count >= settings.max_reminders:
        return None
    if reminder_count == 0 or last_reminded_at is None:
        return created_at + timedelta(days=settings.remind_after_days)
    return last_reminded_at + timedelta(days=settings.remind_every_days)


def next_working_moment(moment: datetime, tz_name: str, settings: ProgramSettings) -> datetime:
    """``moment`` if it falls in working hours (Mon-Fri) in ``tz_name``, else the next start."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    start, end = settings.working_hours_start, settings.working_hours_end
    if local.weekday() < 5 and start <= local.hour < end:
        return moment
    day = local.date() if local.hour < start else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(start), tzinfo=zone).astimezone(moment.tzinfo)
