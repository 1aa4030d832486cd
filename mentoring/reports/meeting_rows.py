"""Meeting requests on the admins' dashboard: their rows, Remind now and Close.

The dashboard pages through meeting requests exactly as through mentoring requests
(:mod:`mentoring.reports.dashboard` picks the rows by status and age); this module turns meeting
requests into rows and holds the two admin actions on a pending one. Both take an ``Actor``
the bot layer has verified as an admin, and refuse any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.asks.followups import check_admin_remind_gap
from mentoring.asks.lifecycle import ensure_pending
from mentoring.core.actors import Actor, require_admin
from mentoring.core.members import get_members
from mentoring.core.views import MemberView
from mentoring.meetings import followups as meeting_followups
from mentoring.meetings.asking import load_meeting
from mentoring.meetings.views import MeetingView
from mentoring.reports.undelivered import failed_by_item
from store.enums import RequestStatus
from store.models import OutboxMessage


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting request on the dashboard, with both people and its failed notifications."""

    meeting: MeetingView
    mentee: MemberView
    mentor: MemberView
    failed_deliveries: int  # outbox rows about this meeting request that Slack refused for good

    @property
    def can_close(self) -> bool:
        return self.meeting.status is RequestStatus.PENDING

    def can_remind(self, now: datetime) -> bool:
        """Pending with a proposed time still ahead: there is something left to accept."""
        return self.can_close and bool(self.meeting.open_times(now))


def meeting_rows(
    session: Session, team_id: str, meetings: Sequence[MeetingView]
) -> tuple[MeetingRow, ...]:
    """The dashboard rows of ``meetings``, in their order (two queries whatever their number)."""
    if not meetings:
        return ()
    failed = failed_by_item(session, team_id, OutboxMessage.meeting_id, [m.id for m in meetings])
    people = get_members(
        session=session,
        team_id=team_id,
        ids={m.mentee_id for m in meetings} | {m.mentor_id for m in meetings},
    )
    return tuple(
        MeetingRow(
            meeting=m,
            mentee=people[m.mentee_id],
            mentor=people[m.mentor_id],
            failed_deliveries=failed.get(m.id, 0),
        )
        for m in meetings
    )


def meeting_row(*, session: Session, team_id: str, meeting_id: int) -> MeetingRow:
    """One meeting request as a dashboard row, whatever its status.

    Raises:
        NotFound: no such meeting request in this workspace.
    """
    meeting = MeetingView.of(load_meeting(session, team_id, meeting_id))
    return meeting_rows(session, team_id, [meeting])[0]


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
    meeting = load_meeting(session, team_id, meeting_id)
    check_admin_remind_gap(meeting.last_reminded_at, now)
    meeting_followups.remind(
        session=session,
        team_id=team_id,
        meeting_id=meeting_id,
        actor=actor.user_id,
        now=now,
        at_once=True,
    )
    return meeting_row(session=session, team_id=team_id, meeting_id=meeting_id)


def close_meeting_request(
    *,
    session: Session,
    team_id: str,
    meeting_id: int,
    actor: Actor,
    reason: str,
    now: datetime,
) -> MeetingRow:
    """An admin closes a pending meeting request; the mentee reads ``reason``.

    Raises:
        NotAllowed: the actor is not an admin.
        InvalidInput: no reason, or one too long (``field="reason"``).
        NotFound, AlreadyHandled: as for any transition.
    """
    meeting_followups.close_by_admin(
        session=session,
        team_id=team_id,
        meeting_id=meeting_id,
        actor=actor,
        reason=reason,
        now=now,
    )
    return meeting_row(session=session, team_id=team_id, meeting_id=meeting_id)
