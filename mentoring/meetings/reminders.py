"""The meeting reminders: to the mentor while a request waits, and to both the day before.

The mentor is reminded by the program's reminder rule brought forward before the earliest
proposed time still ahead (:func:`mentoring.meetings.rules.next_meeting_reminder_at`), in their
working hours unless that would come too close to the time (:data:`URGENT`); an admin's
"remind now" goes at once. An accepted meeting is announced to both the day before, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from mentoring.asks import followups
from mentoring.asks.lifecycle import ensure_pending, notify_once
from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput
from mentoring.core.members import member_by_id
from mentoring.meetings.asking import load_meeting
from mentoring.meetings.rules import TOMORROW
from mentoring.meetings.views import MeetingView
from mentoring.program.settings import get_settings
from store.enums import RequestStatus
from store.models import MeetingRequest

# A reminder waiting for working hours must still reach the mentor this long before the time.
URGENT = timedelta(hours=6)


def remind(
    *,
    session: Session,
    team_id: str,
    meeting_id: int,
    actor: str,
    now: datetime,
    at_once: bool = False,
) -> MeetingView:
    """Remind the mentor of a meeting request still waiting (the card is posted again).

    The reminder reaches the mentor in their working hours, unless that would be too close to
    the earliest proposed time still ahead: then it goes now. With ``at_once`` (an admin's
    "remind now") it goes now whatever the hour.

    Raises:
        AlreadyHandled: it was answered, every proposed time has passed, or it was reminded a
            moment ago by someone else.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    ensure_pending(meeting)
    upcoming = MeetingView.of(meeting).open_times(now)
    if not upcoming:
        raise AlreadyHandled("Every proposed time of this meeting request has passed.")
    mentor = member_by_id(session, team_id, meeting.mentor_id)
    settings = get_settings(session=session, team_id=team_id)
    working = next_working_moment(now, mentor.tz, settings)
    deliver_at = working if not at_once and working <= upcoming[0][1] - URGENT else now
    followups.remind(session, meeting, actor=actor, now=now, deliver_at=deliver_at)
    return MeetingView.of(meeting)


def remind_tomorrow(
    *, session: Session, team_id: str, meeting_id: int, now: datetime
) -> MeetingView:
    """Tell both people, once, that their accepted meeting is within a day.

    Raises:
        AlreadyHandled: not accepted, already announced, or the meeting has begun.
        InvalidInput: the meeting is more than a day away.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    at = meeting.meeting_at
    if meeting.status is not RequestStatus.ACCEPTED or at is None or at <= now:
        raise AlreadyHandled("This meeting is not coming up.")
    if at - TOMORROW > now:
        raise InvalidInput("This meeting is more than a day away.")
    result = session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.id == meeting.id,
            MeetingRequest.status == RequestStatus.ACCEPTED,
            MeetingRequest.meeting_reminded_at.is_(None),
        )
        .values(meeting_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled("Both were already reminded of this meeting.")
    session.refresh(meeting)
    record_event(
        session,
        team_id=team_id,
        actor=SYSTEM_SWEEP,
        action="meeting.tomorrow",
        subject_type="meeting",
        subject_id=meeting.id,
        after={"meeting_at": at.isoformat()},
        at=now,
    )
    for recipient in (meeting.mentee_id, meeting.mentor_id):
        notify_once(
            session,
            meeting,
            Notice.MEETING_TOMORROW,
            recipient,
            now,
            f"meeting-tomorrow:{meeting.id}:{recipient}",
        )
    return MeetingView.of(meeting)
