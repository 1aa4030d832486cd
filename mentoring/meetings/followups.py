"""A meeting request nobody answers: closed once every proposed time has passed, or by an admin.

Each is the shared guarded move (:mod:`mentoring.asks.followups`): running one twice or from
two processes does nothing twice, and every notice carries a dedupe key. Reminders are in
:mod:`mentoring.meetings.reminders`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.asks import followups
from mentoring.asks.lifecycle import ensure_pending
from mentoring.core.actors import Actor
from mentoring.core.errors import InvalidInput, NotAllowed
from mentoring.meetings.asking import load_meeting
from mentoring.meetings.views import MeetingView


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
