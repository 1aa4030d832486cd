"""What an admin does to one pending ask from the dashboard: remind now, close with a reason.

Each takes an ``Actor`` the bot layer has verified as an admin (and refuses any other), acts
through the lifecycle every ask shares, and returns the row as the dashboard now shows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.asks.followups import check_remind_now
from mentoring.asks.lifecycle import ensure_pending, load_request
from mentoring.core.actors import Actor, require_admin
from mentoring.core.errors import InvalidInput, NotAllowed
from mentoring.meetings import followups as meeting_followups
from mentoring.meetings import reminders as meeting_reminders
from mentoring.meetings.asking import load_meeting
from mentoring.reports.dashboard import PipelineRow, pipeline_row
from mentoring.reports.meeting_rows import MeetingRow, meeting_row
from mentoring.requests.followups import close_by_admin, remind
from store.enums import RequestKind

PREFERENCE_REFUSAL = (
    "That is one of {a_mentee}'s preferences, which nobody answers themself: assign one or close "
    "them from `/mentor-admin queue`."
)


def pending_row(*, session: Session, team_id: str, request_id: int) -> PipelineRow:
    """A request an admin is about to act on, which must still be pending.

    Raises:
        NotFound: no such request in this workspace.
        AlreadyHandled: it was answered (or closed) meanwhile; the message says how.
        NotAllowed: a preference of an admin-routed submission (decided in the queue).
    """
    request = load_request(session, team_id, request_id)
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise NotAllowed(PREFERENCE_REFUSAL)
    ensure_pending(request)
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)


def remind_now(
    *, session: Session, team_id: str, request_id: int, actor: Actor, now: datetime
) -> PipelineRow:
    """An admin's "remind now": queue a reminder to whoever should answer, at once.

    It counts as one of the request's reminders (the sweep's numbering continues after it),
    and the event log names the admin.

    Raises:
        NotAllowed: the actor is not an admin.
        NotFound: no such request in this workspace.
        AlreadyHandled: the request is no longer pending, or was reminded less than an hour
            ago (:data:`mentoring.requests.followups.ADMIN_REMIND_GAP`).
        InvalidInput: an admin-routed preference, which no member answers.
    """
    require_admin(actor)
    request = load_request(session, team_id, request_id)
    check_remind_now(request, actor, now)
    if request.kind is RequestKind.ADMIN_ROUTED:
        raise InvalidInput(PREFERENCE_REFUSAL)
    remind(session=session, team_id=team_id, request_id=request_id, actor=actor.user_id, now=now)
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)


def close_request(
    *, session: Session, team_id: str, request_id: int, actor: Actor, reason: str, now: datetime
) -> PipelineRow:
    """An admin closes a pending request; the mentee sees ``reason``, the mentor's card updates.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        NotFound, AlreadyHandled: as for any transition.
    """
    close_by_admin(
        session=session, team_id=team_id, request_id=request_id, actor=actor, reason=reason, now=now
    )
    return pipeline_row(session=session, team_id=team_id, request_id=request_id)


def pending_meeting_row(*, session: Session, team_id: str, meeting_id: int) -> MeetingRow:
    """A meeting request an admin is about to act on, which must still be pending.

    Raises:
        NotFound: no such meeting request in this workspace.
        AlreadyHandled: it was answered (or closed) meanwhile; the message says how.
    """
    ensure_pending(load_meeting(session, team_id, meeting_id))
    return meeting_row(session=session, team_id=team_id, meeting_id=meeting_id)


def remind_meeting_now(
    *, session: Session, team_id: str, meeting_id: int, actor: Actor, now: datetime
) -> MeetingRow:
    """An admin's "remind now": the mentor gets the request again, at once, whatever the hour.

    It counts as one of the request's reminders (the sweep's numbering continues after it),
    and the event log names the admin.

    Raises:
        NotAllowed: the actor is not an admin.
        NotFound: no such meeting request in this workspace.
        AlreadyHandled: no longer pending, every proposed time has passed, or it was reminded
            less than an hour ago (:data:`mentoring.requests.followups.ADMIN_REMIND_GAP`).
    """
    require_admin(actor)
    check_remind_now(load_meeting(session, team_id, meeting_id), actor, now)
    meeting_reminders.remind(
        session=session,
        team_id=team_id,
        meeting_id=meeting_id,
        actor=actor.user_id,
        now=now,
        at_once=True,
    )
    return meeting_row(session=session, team_id=team_id, meeting_id=meeting_id)


def close_meeting_request(
    *, session: Session, team_id: str, meeting_id: int, actor: Actor, reason: str, now: datetime
) -> MeetingRow:
    """An admin closes a pending meeting request; the mentee reads ``reason``.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        NotFound, AlreadyHandled: as for any transition.
    """
    meeting_followups.close_by_admin(
        session=session, team_id=team_id, meeting_id=meeting_id, actor=actor, reason=reason, now=now
    )
    return meeting_row(session=session, team_id=team_id, meeting_id=meeting_id)
