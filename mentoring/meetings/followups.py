"""What happens to a meeting request over time: reminders, closing, the day-before reminder.

An admin can also remind the mentor at once, or close the request with a reason.

Each is a guarded move (the sweep or an admin runs them; running one twice or from two
processes does nothing twice) and every notice carries a dedupe key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from mentoring.asks import followups
from mentoring.asks.lifecycle import ensure_pending, notify_once
from mentoring.asks.reminders import next_working_moment
from mentoring.core.actors import SYSTEM_SWEEP, Actor
from mentoring.core.audit import Notice, record_event
from mentoring.core.errors import AlreadyHandled, InvalidInput, NotAllowed
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


def expire(*, session: Session, team_id: str, meeting_id: int, now: datetime) -> MeetingView:
    """Close a meeting request whose every proposed time has passed; both are told.

    Raises:
        AlreadyHandled: it was answered meanwhile.
        InvalidInput: a proposed time is still ahead.
    """
    meeting = load_meeting(session, team_id, meeting_id)
    ensure_pending(meeting)
    if MeetingView.of(meeting).open_times(now):
        raise InvalidInput("A proposed time of this meeting request is still ahead.")
    followups.expire(session, meeting, now)
    return MeetingView.of(meeting)


def close_by_admin(
    *,
    session: Session,
    team_id: str,
    meeting_id: int,
    actor: Actor,
    reason: str,
    now: datetime,
) -> MeetingView:
    """An admin closes a pending meeting request with a reason the mentee reads.

    The mentee is told with the reason; the mentor's card loses its buttons and says why.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        NotFound / AlreadyHandled: unknown meeting request, or it is no longer pending.
    """
    if not actor.is_admin:  # before anything is read: a refusal reveals nothing
        raise NotAllowed("Only program admins can close meeting requests.")
    meeting = load_meeting(session, team_id, meeting_id)
    followups.close_by_admin(session, meeting, actor=actor, reason=reason, now=now)
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
