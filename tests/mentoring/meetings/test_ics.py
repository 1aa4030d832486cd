"""The calendar builder against RFC 5545: CRLF, folding at 75 octets, text escaping, UTC times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentoring.meetings.ics import (
    Attendee,
    CalendarEvent,
    build_ics,
    escape_text,
    fold,
    param_value,
)

START = datetime(2026, 3, 5, 19, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 10:00 UTC
STAMP = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def event(**changes: object) -> CalendarEvent:
    fields: dict[str, object] = {
        "uid": "meeting-7-t0test@mentor-match",
        "start": START,
        "end": START + timedelta(minutes=30),
        "summary": "Promotion review prep",
        "description": "",
    }
    fields.update(changes)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def unfolded(text: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", text)[:-2].split("\r\n")


def test_a_minimal_calendar_in_utc_with_crlf() -> None:
    text = build_ics(event(), stamp=STAMP)
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    assert physical_lines(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mentor Match//Flash mentoring//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        "UID:meeting-7-t0test@mentor-match",
        "DTSTAMP:20260302T090000Z",
        "DTSTART:20260305T100000Z",
        "DTEND:20260305T103000Z",
        "SUMMARY:Promotion review prep",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d") == "a\\\\b\\;c\\,d"
    assert escape_text("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert escape_text("bell\x07 and tab\tstay") == "bell and tab\tstay"
    text = build_ics(
        event(summary="Career, growth; and C:\\paths", description="Line one\nLine, two"),
        stamp=STAMP,
    )
    lines = unfolded(text)
    assert "SUMMARY:Career\\, growth\\; and C:\\\\paths" in lines
    assert "DESCRIPTION:Line one\\nLine\\, two" in lines


def test_long_lines_fold_at_75_octets_and_unfold_to_the_original() -> None:
    description = "Let's talk about promotion cases, " * 10
    text = build_ics(event(description=description), stamp=STAMP)
    for line in physical_lines(text):
        assert len(line.encode("utf-8")) <= 75
    continuation = [line for line in physical_lines(text) if line.startswith(" ")]
    assert len(continuation) >= 4
    assert f"DESCRIPTION:{escape_text(description)}" in unfolded(text)


def test_folding_never_splits_a_multi_octet_character() -> None:
    line = "SUMMARY:" + "日本語のメンタリング🎌" * 8
    folded = fold(line)
    for part in folded.split("\r\n"):
        encoded = part.encode("utf-8")
        assert len(encoded) <= 75
        assert encoded.decode("utf-8") == part  # whole characters only
    assert re.sub(r"\r\n ", "", folded) == line


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400))
def test_fold_round_trips_any_text(value: str) -> None:
    line = "DESCRIPTION:" + escape_text(value)
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert re.sub(r"\r\n ", "", folded) == line


def test_organizer_and_attendees_with_quoted_names() -> None:
    maya = Attendee("Maya Chen", "maya@example.org")
    finn = Attendee('Ito, Finn "F"', "finn@example.org")
    text = build_ics(event(organizer=maya, attendees=(maya, finn)), stamp=STAMP)
    lines = unfolded(text)
    assert "ORGANIZER;CN=Maya Chen:mailto:maya@example.org" in lines
    assert (
        "ATTENDEE;CN=\"Ito, Finn 'F'\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:"
        "mailto:finn@example.org"
    ) in lines
    assert param_value("a:b") == '"a:b"' and param_value("plain") == "plain"


def test_naive_times_and_empty_events_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_ics(event(start=datetime(2026, 3, 5, 10), end=START), stamp=STAMP)  # noqa: DTZ001
    with pytest.raises(ValueError, match="end after it starts"):
        build_ics(event(end=START), stamp=STAMP)
