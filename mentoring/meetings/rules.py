"""The rules of a meeting request's input and timing, as pure functions (no database)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentoring.asks.reminders import next_reminder_at
from mentoring.core.errors import InvalidInput
from mentoring.core.wording import RoleWords, fill
from mentoring.program.settings import ProgramSettings

MAX_PROPOSED_TIMES = 3
DURATIONS = (30, 45, 60)  # minutes a mentee can ask for
DEFAULT_DURATION = 30
MAX_TOPIC_LENGTH = 150
# A reminder is due this long before the earliest proposed time still ahead...
REMIND_BEFORE_TIME = timedelta(days=1)
# ...but never sooner than this after the request or the previous reminder.
MIN_REMINDER_GAP = timedelta(hours=12)
TOMORROW = timedelta(days=1)  # both are reminded this long before an accepted meeting

# A mentor declining a meeting request picks from these, not from the program's decline
# reasons: those are written for taking someone on ("I'm at my mentoring limit") and a
# one-time meeting counts toward no limit. They are templates in the program's words for the
# roles (see meeting_decline_reasons).
TIMES_DONT_WORK = "None of the proposed times work for me"
MEETING_DECLINE_REASONS = (
    TIMES_DONT_WORK,
    "I don't have time for a meeting right now",
    "Another {mentor} would know more about this topic",
    "Other",
)


def meeting_decline_reasons(words: RoleWords) -> tuple[str, ...]:
    """The reasons a mentor declines a meeting request with, in the program's words."""
    return tuple(fill(reason, words) for reason in MEETING_DECLINE_REASONS)


def slot_field(index: int) -> str:
    """The name errors use for the proposed time at ``index`` (0-based): ``slot_1``..."""
    return f"slot_{index + 1}"


def local_time(day: str | None, clock: str | None, tz: str, field: str) -> datetime | None:
    """A date picker's day and a time picker's ``HH:MM`` in ``tz``, as an aware UTC datetime.

    Clock changes: a time that does not exist in ``tz`` that day (the hour skipped when the
    clocks go forward, e.g. 01:30 in London on the last Sunday of March) is refused rather
    than moved, so nobody is sent an hour they did not pick. A time that happens twice (the
    hour repeated when the clocks go back) is read as its first occurrence, before the change
    (``fold=0``), as calendar programs read it; everyone sees the result in their own
    timezone, so nothing is left ambiguous after that.

    Returns ``None`` when both are empty (a proposal left out).

    Raises:
        InvalidInput: only one of the two is given, either is malformed, or the time does not
            exist in ``tz`` on that day.
    """
    if not day and not clock:
        return None
    if not day or not clock:
        raise InvalidInput("Pick both a date and a time for this proposal.", field=field)
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    try:
        wall = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))
    except ValueError as exc:
        raise InvalidInput("Pick the date and time from the pickers.", field=field) from exc
    moment = wall.replace(tzinfo=zone).astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != wall:  # skipped by the clocks
        raise InvalidInput(
            "{clock} doesn't exist on {day} in {tz}: the clocks go forward then. "
            "Pick another time.",
            field=field,
            clock=f"{wall:%H:%M}",
            day=f"{wall:%B} {wall.day}, {wall:%Y}",
            tz=zone.key,
        )
    return moment


def validated_times(proposed: Sequence[datetime | None], now: datetime) -> tuple[datetime, ...]:
    """The proposed times in the mentee's order, once each is checked.

    ``proposed`` may hold ``None`` for a proposal left empty; errors name the position.

    Raises:
        InvalidInput: no time, more than three, a time not in the future, or one given twice.
    """
    given = [(i, t) for i, t in enumerate(proposed) if t is not None]
    if not given:
        raise InvalidInput("Propose at least one time for the meeting.", field=slot_field(0))
    if len(given) > MAX_PROPOSED_TIMES:
        raise InvalidInput(
            "Propose at most {most} times.", field=slot_field(given[-1][0]), most=MAX_PROPOSED_TIMES
        )
    seen: set[datetime] = set()
    times: list[datetime] = []
    for index, moment in given:
        if moment.utcoffset() is None:
            raise InvalidInput("A proposed time needs a timezone.", field=slot_field(index))
        moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
        if moment <= now:
            raise InvalidInput(
                "This time has already passed: propose a time in the future.",
                field=slot_field(index),
            )
        if moment in seen:
            raise InvalidInput(
                "You proposed this time already: choose a different one.", field=slot_field(index)
            )
        seen.add(moment)
        times.append(moment)
    return tuple(times)


def validated_topic(topic: str) -> str:
    text = " ".join((topic or "").split())
    if not text:
        raise InvalidInput("Say in a few words what you'd like to talk about.", field="topic")
    if len(text) > MAX_TOPIC_LENGTH:
        raise InvalidInput(
            "Please keep the topic under {max} characters.", field="topic", max=MAX_TOPIC_LENGTH
        )
    return text


def validated_duration(minutes: int | None) -> int:
    if minutes is None:
        return DEFAULT_DURATION
    if minutes not in DURATIONS:
        choices = ", ".join(str(d) for d in DURATIONS)
        raise InvalidInput(
            "Choose a length of {choices} minutes.", field="duration", choices=choices
        )
    return minutes


def next_meeting_reminder_at(
    created_at: datetime,
    reminder_count: int,
    last_reminded_at: datetime | None,
    proposed: Sequence[datetime],
    now: datetime,
    settings: ProgramSettings,
) -> datetime | None:
    """When the mentor should next be reminded of a meeting request (``None``: never again).

    The program's reminder rule (N days after, every R days, K at most), brought forward to a
    day before the earliest proposed time still ahead: a meeting request is about dates, so a
    reminder after they have passed would be no use. Reminders stay at least
    ``MIN_REMINDER_GAP`` apart, and none is due once every proposed time has passed.
    """
    upcoming = [t for t in proposed if t > now]
    if not upcoming:
        return None
    usual = next_reminder_at(created_at, reminder_count, last_reminded_at, settings)
    if usual is None:
        return None
    due = min(usual, min(upcoming) - REMIND_BEFORE_TIME)
    return max(due, (last_reminded_at or created_at) + MIN_REMINDER_GAP)
