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

from mentoring.core.members import get_members
from mentoring.core.views import MemberView
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
