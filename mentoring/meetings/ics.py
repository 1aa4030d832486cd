"""Calendar invitations as iCalendar text (RFC 5545), built by a pure function.

Only what a one-time meeting needs: one VCALENDAR holding one VEVENT with its UID, DTSTAMP,
start and end in UTC ("Z" form, so no VTIMEZONE is needed and every calendar shows the meeting
in its reader's own zone), SUMMARY, DESCRIPTION and optionally ORGANIZER and ATTENDEEs.

The RFC's details that calendar programs are strict about:

* lines end with CRLF (section 3.1);
* a content line longer than 75 octets is folded: CRLF followed by one space, never inside a
  multi-octet UTF-8 character (section 3.1);
* TEXT values escape backslash, semicolon, comma and newlines (section 3.3.11);
* parameter values holding ``:``, ``;`` or ``,`` are quoted, and cannot hold a DQUOTE
  (section 3.2);
* control characters other than HTAB are not allowed in values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Mentor Match//Flash mentoring//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Attendee:
    """A person on the invitation; without an email address there is no calendar address."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event: ``start`` and ``end`` are timezone-aware; ``uid`` is globally unique."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value: backslash, ``;`` and ``,`` escaped, newlines as ``\\n``, no controls."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _NEWLINES.sub("\\\\n", value)
    return _CONTROL.sub("", value)


def param_value(value: str) -> str:
    """A parameter value (e.g. CN): quoted when it holds ``:;,``; DQUOTEs cannot appear."""
    value = _CONTROL.sub("", _NEWLINES.sub(" ", value)).replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. ``20260305T100000Z``."""
    if moment.utcoffset() is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, continuation lines led by a space.

    Splits only between characters, so a multi-octet UTF-8 character is never cut in two.
    """
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # the leading space takes one octet
        current += char
        size += octets
    parts.append(current)
    return (CRLF + " ").join(parts)


def _address(role: str, person: Attendee, extra: str = "") -> str:
    email = _CONTROL.sub("", person.email).strip()
    return f"{role};CN={param_value(person.name)}{extra}:mailto:{email}"


def build_ics(event: CalendarEvent, *, stamp: datetime, prodid: str = PRODID) -> str:
    """The iCalendar text of ``event``; ``stamp`` is when this invitation was created (DTSTAMP).

    Raises:
        ValueError: a naive datetime, or an end that is not after the start.
    """
    start, end = utc_stamp(event.start), utc_stamp(event.end)
    if event.end <= event.start:
        raise ValueError("an event must end after it starts")
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.organizer is not None:
        lines.append(_address("ORGANIZER", event.organizer))
    lines.extend(
        _address("ATTENDEE", person, ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED")
        for person in event.attendees
    )
    lines += ["STATUS:CONFIRMED", "SEQUENCE:0", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
