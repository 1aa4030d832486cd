"""The calendar invitation of an accepted meeting, as a
:class:`mentoring.meetings.ics.CalendarEvent`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from mentoring.core.errors import AlreadyHandled
from mentoring.core.members import member_by_id
from mentoring.meetings.asking import load_meeting
from mentoring.meetings.ics import Attendee, CalendarEvent
from mentoring.program.settings import get_settings
from store.enums import RequestStatus
from store.models import Member


def _attendee(member: Member) -> Attendee | None:
    return Attendee(member.display_name, member.email) if member.email else None


def calendar_event(*, session: Session, team_id: str, meeting_id: int) -> CalendarEvent:
    """The accepted meeting as a calendar event, in UTC, with both people when emails are known.

    Raises:
        NotFound: no such meeting request.
        AlreadyHandled: it is not an accepted meeting.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    if meeting.status is not RequestStatus.ACCEPTED or meeting.meeting_at is None:
        raise AlreadyHandled("This meeting request was not accepted.")
    words = get_settings(session=session, team_id=team_id).terminology
    mentor = member_by_id(session, team_id, meeting.mentor_id)
    mentee = member_by_id(session, team_id, meeting.mentee_id)
    description = (
        f"A one-time {words.mentor} meeting between {mentor.display_name} ({words.mentor}) and "
        f"{mentee.display_name} ({words.mentee}).\n\nTopic: {meeting.topic}\n\n"
        f"{mentee.display_name} wrote:\n{meeting.message}"
    )
    people = [a for a in (_attendee(mentor), _attendee(mentee)) if a is not None]
    return CalendarEvent(
        uid=f"meeting-{meeting.id}-{team_id.lower()}@mentor-match",
        start=meeting.meeting_at,
        end=meeting.meeting_at + _minutes(meeting.duration_minutes),
        summary=f"{meeting.topic} ({mentor.display_name} and {mentee.display_name})",
        description=description,
        organizer=_attendee(mentor),
        attendees=tuple(people),
    )


def _minutes(count: int) -> timedelta:
    return timedelta(minutes=count)
