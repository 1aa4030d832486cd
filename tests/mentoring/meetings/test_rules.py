"""Pure rules of a meeting request: times across clock changes, lengths, decline reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mentoring.core.errors import InvalidInput
from mentoring.core.wording import Words
from mentoring.meetings.rules import (
    MAX_TOPIC_LENGTH,
    local_time,
    meeting_decline_reasons,
    validated_duration,
    validated_times,
    validated_topic,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUIDES = Words("guide", "learner")


@pytest.mark.parametrize(
    ("day", "clock", "tz", "said"),
    [
        # London springs forward at 01:00 GMT on the last Sunday of March: 01:00-01:59 never happen.
        (
            "2026-03-29",
            "01:30",
            "Europe/London",
            "01:30 doesn't exist on March 29, 2026 in Europe/London",
        ),
        ("2026-03-29", "01:00", "Europe/London", "01:00 doesn't exist on March 29, 2026"),
        # New York springs forward at 02:00 on the second Sunday of March.
        (
            "2026-03-08",
            "02:30",
            "America/New_York",
            "02:30 doesn't exist on March 8, 2026 in America/New_York",
        ),
    ],
)
def test_a_time_the_clocks_skip_is_refused_by_name(
    day: str, clock: str, tz: str, said: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        local_time(day, clock, tz, "slot_2")
    assert caught.value.field == "slot_2"
    assert said in caught.value.message and "the clocks go forward" in caught.value.message


def test_the_minutes_around_a_skipped_hour_are_kept_as_picked() -> None:
    london = "Europe/London"
    assert local_time("2026-03-29", "00:59", london, "slot_1") == datetime(
        2026, 3, 29, 0, 59, tzinfo=UTC
    )
    assert local_time("2026-03-29", "02:00", london, "slot_1") == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    # The same wall time on another day is a plain time.
    assert local_time("2026-03-22", "01:30", london, "slot_1") == datetime(
        2026, 3, 22, 1, 30, tzinfo=UTC
    )


def test_a_time_that_happens_twice_is_its_first_occurrence() -> None:
    # London falls back at 02:00 BST on 25 October 2026: 01:30 happens at 00:30 and 01:30 UTC.
    assert local_time("2026-10-25", "01:30", "Europe/London", "slot_1") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    # New York falls back on 1 November 2026: 01:30 EDT (UTC-4) comes first.
    assert local_time("2026-11-01", "01:30", "America/New_York", "slot_1") == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_an_unknown_timezone_reads_the_time_in_utc() -> None:
    assert local_time("2026-03-29", "01:30", "Mars/Olympus", "slot_1") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_input_errors_fill_their_numbers_as_values() -> None:
    with pytest.raises(InvalidInput) as caught:
        validated_topic("x" * (MAX_TOPIC_LENGTH + 1))
    assert caught.value.template == "Please keep the topic under {max} characters."
    assert caught.value.message == f"Please keep the topic under {MAX_TOPIC_LENGTH} characters."
    with pytest.raises(InvalidInput) as caught:
        validated_duration(90)
    assert caught.value.message == "Choose a length of 30, 45, 60 minutes."
    times = [datetime(2026, 3, day, 10, 0, tzinfo=UTC) for day in (4, 5, 6, 9)]
    with pytest.raises(InvalidInput) as caught:
        validated_times(times, NOW)
    assert (caught.value.message, caught.value.field) == ("Propose at most 3 times.", "slot_4")


def test_meeting_decline_reasons_fit_a_one_time_meeting_in_the_programs_words() -> None:
    reasons = meeting_decline_reasons(GUIDES)
    assert reasons == (
        "None of the proposed times work for me",
        "I don't have time for a meeting right now",
        "Another guide would know more about this topic",
        "Other",
    )
    assert not [r for r in reasons if "limit" in r or "{" in r]
    assert meeting_decline_reasons(Words("coach", "advisee"))[2] == (
        "Another coach would know more about this topic"
    )
