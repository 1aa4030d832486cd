"""The meeting requests a member's App Home shows, gathered in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mentoring.core.members import find_member, get_members
from mentoring.core.views import MemberView
from mentoring.meetings.views import MeetingView
from mentoring.program.settings import get_settings
from store.enums import RequestStatus
from store.models import MeetingRequest

RECENT_ANSWERED = 3
RECENT_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class MeetingLine:
    meeting: MeetingView
    other: MemberView  # the person on the other side


@dataclass(frozen=True, slots=True)
class MeetingsHome:
    enabled: bool  # the program offers one-time meetings
    to_answer: tuple[MeetingLine, ...]  # pending, sent to me (oldest first)
    upcoming: tuple[MeetingLine, ...]  # accepted and still ahead, either role (soonest first)
    sent: tuple[MeetingLine, ...]  # mine as a mentee: pending, then the last few answered

    @property
    def empty(self) -> bool:
        return not (self.to_answer or self.upcoming or self.sent)


def meetings_home(
    *, session: Session, team_id: str, slack_user_id: str, now: datetime
) -> MeetingsHome:
    """The member's meeting requests to answer, upcoming meetings, and requests sent."""
    enabled = get_settings(session=session, team_id=team_id).flash_mentoring_enabled
    member = find_member(session, team_id, slack_user_id)
    if member is None:
        return MeetingsHome(enabled, (), (), ())
    me = member.id
    rows = session.scalars(
        select(MeetingRequest)
        .where(
            MeetingRequest.team_id == team_id,
            or_(MeetingRequest.mentee_id == me, MeetingRequest.mentor_id == me),
            or_(
                MeetingRequest.status == RequestStatus.PENDING,
                MeetingRequest.meeting_at > now,
                MeetingRequest.answered_at >= now - RECENT_WINDOW,
            ),
        )
        .order_by(MeetingRequest.created_at, MeetingRequest.id)
        .limit(60)
    ).all()
    people = get_members(
        session=session,
        team_id=team_id,
        ids={m.mentee_id for m in rows} | {m.mentor_id for m in rows},
    )
    to_answer: list[MeetingLine] = []
    upcoming: list[MeetingLine] = []
    pending_sent: list[MeetingLine] = []
    answered_sent: list[MeetingLine] = []
    for meeting in map(MeetingView.of, rows):
        other = people[meeting.mentee_id if meeting.mentor_id == me else meeting.mentor_id]
        line = MeetingLine(meeting, other)
        if meeting.status is RequestStatus.PENDING:
            (to_answer if meeting.mentor_id == me else pending_sent).append(line)
        elif meeting.meeting_at is not None and meeting.meeting_at > now:
            upcoming.append(line)
        elif meeting.mentee_id == me:
            answered_sent.append(line)
    upcoming.sort(key=lambda line: line.meeting.meeting_at or now)
    answered_sent.sort(key=lambda line: line.meeting.answered_at or now, reverse=True)
    return MeetingsHome(
        enabled,
        tuple(to_answer),
        tuple(upcoming),
        tuple(pending_sent + answered_sent[:RECENT_ANSWERED]),
    )
