"""What the sweep finds due among meeting requests, and the day-before reminder.

A pending meeting request expires once every proposed time has passed; its mentor is reminded
by the program's reminder rule brought forward before the earliest time still ahead
(:func:`mentoring.meetings.rules.next_meeting_reminder_at`), in their working hours unless that
would be too close to the time (:data:`mentoring.meetings.reminders.URGENT`). The moves
themselves are the shared ones (:func:`mentoring.asks.sweep.apply_due`).

The day-before reminder goes to accepted meetings within a day that were not announced yet
(``meeting_reminded_at`` empty). A meeting accepted less than a day ahead has that column set
at acceptance (:func:`mentoring.meetings.asking.accept_slot`): the acceptance notices announce
it, and a "coming up" reminder minutes later would only repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.kinds import MEETING
from mentoring.asks.reminders import next_working_moment
from mentoring.asks.sweep import Due, Move
from mentoring.core.errors import DomainError
from mentoring.meetings.reminders import URGENT, remind_tomorrow
from mentoring.meetings.rules import TOMORROW, next_meeting_reminder_at
from mentoring.meetings.views import parse_time
from mentoring.program.settings import ProgramSettings
from store.enums import RequestStatus
from store.models import MeetingRequest, Member


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


@dataclass(frozen=True, slots=True)
class MeetingSweeper:
    """Pending meeting requests: expired when every time has passed, reminded before them."""

    def due(
        self, session: Session, team_id: str, settings: ProgramSettings, now: datetime
    ) -> list[Due]:
        pending = session.execute(
            select(
                MeetingRequest.id,
                MeetingRequest.created_at,
                MeetingRequest.reminder_count,
                MeetingRequest.last_reminded_at,
                MeetingRequest.proposed_times,
                MeetingRequest.mentee_id,
                MeetingRequest.mentor_id,
                Member.tz,
            )
            .join(Member, Member.id == MeetingRequest.mentor_id)
            .where(
                MeetingRequest.team_id == team_id,
                MeetingRequest.status == RequestStatus.PENDING,
            )
            .order_by(MeetingRequest.id)
            .with_for_update(skip_locked=True, of=MeetingRequest)
        ).all()
        found: list[Due] = []
        for id_, created_at, count, last, raw_times, mentee_id, mentor_id, tz in pending:
            times = [parse_time(t) for t in raw_times]
            ahead = [t for t in times if t > now]
            if not ahead:
                found.append(Due(MEETING, MeetingRequest, id_, Move.EXPIRE, mentee_id, mentor_id))
                continue
            next_at = next_meeting_reminder_at(created_at, count, last, times, now, settings)
            if next_at is not None and next_at <= now:
                working = next_working_moment(now, tz, settings)
                deliver_at = working if working <= min(ahead) - URGENT else now
                found.append(
                    Due(
                        MEETING,
                        MeetingRequest,
                        id_,
                        Move.REMIND,
                        mentee_id,
                        mentor_id,
                        count,
                        deliver_at,
                    )
                )
        return found


def announce_tomorrow(*, session: Session, team_id: str, now: datetime) -> int:
    """Tell both people of every accepted meeting within a day, once; how many were told."""
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
    return announced
