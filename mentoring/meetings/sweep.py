"""The meeting part of the sweep: remind, close when every time has passed, day-before notice.

Everything is derived from the database and ``now``; each move is guarded (see
:mod:`mentoring.meetings.followups`), so a late, doubled or concurrent sweep does nothing twice.
Pending meeting requests are few (each mentee has a small pending limit), so they are handled
one by one; on PostgreSQL the rows are claimed with ``FOR UPDATE SKIP LOCKED`` so two sweepers
split them.

The day-before reminder goes to accepted meetings within a day that were not announced yet
(``meeting_reminded_at`` empty). A meeting accepted less than a day ahead has that column set
at acceptance (:func:`mentoring.meetings.asking.accept_slot`): the acceptance notices announce it,
and
a "coming up" reminder minutes later would only repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.actors import SYSTEM_SWEEP
from mentoring.core.errors import DomainError
from mentoring.meetings.followups import expire, remind, remind_tomorrow
from mentoring.meetings.rules import TOMORROW, next_meeting_reminder_at
from mentoring.meetings.views import parse_time
from mentoring.program.settings import ProgramSettings
from store.enums import RequestStatus
from store.models import MeetingRequest


@dataclass(frozen=True, slots=True)
class MeetingSweep:
    """What one sweep did to meeting requests."""

    reminded: int = 0
    expired: int = 0
    announced: int = 0  # accepted meetings both people were reminded of the day before

    def __add__(self, other: MeetingSweep) -> MeetingSweep:
        return MeetingSweep(
            self.reminded + other.reminded,
            self.expired + other.expired,
            self.announced + other.announced,
        )


def sweep_meetings(
    *, session: Session, team_id: str, settings: ProgramSettings, now: datetime
) -> MeetingSweep:
    """Remind, close and announce what is due among one workspace's meeting requests."""
    pending = session.execute(
        select(
            MeetingRequest.id,
            MeetingRequest.created_at,
            MeetingRequest.reminder_count,
            MeetingRequest.last_reminded_at,
            MeetingRequest.proposed_times,
        )
        .where(MeetingRequest.team_id == team_id, MeetingRequest.status == RequestStatus.PENDING)
        .order_by(MeetingRequest.id)
        .with_for_update(skip_locked=True)
    ).all()
    reminded = expired = 0
    for meeting_id, created_at, count, last, raw_times in pending:
        times = [parse_time(t) for t in raw_times]
        try:
            if all(t <= now for t in times):
                expire(session=session, team_id=team_id, meeting_id=meeting_id, now=now)
                expired += 1
                continue
            due = next_meeting_reminder_at(created_at, count, last, times, now, settings)
            if due is not None and due <= now:
                remind(
                    session=session,
                    team_id=team_id,
                    meeting_id=meeting_id,
                    actor=SYSTEM_SWEEP,
                    now=now,
                )
                reminded += 1
        except DomainError:
            continue  # moved by someone else since it was read: nothing left to do
    upcoming = session.scalars(
        select(MeetingRequest.id)
        .where(
            MeetingRequest.team_id == team_id,
            MeetingRequest.status == RequestStatus.ACCEPTED,
            MeetingRequest.meeting_reminded_at.is_(None),
            MeetingRequest.meeting_at > now,
            MeetingRequest.meeting_at <= now + TOMORROW,
        )
        .order_by(MeetingRequest.id)
        .with_for_update(skip_locked=True)
    ).all()
    announced = 0
    for meeting_id in upcoming:
        try:
            remind_tomorrow(session=session, team_id=team_id, meeting_id=meeting_id, now=now)
        except DomainError:
            continue
        announced += 1
    return MeetingSweep(reminded, expired, announced)
