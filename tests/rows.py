"""Raw request, meeting and relationship rows, for tests that need many or states in the past.

The mentoring operations stamp ``now`` and check every rule, which is what most tests want;
these builders write the rows the operations would have left behind, fast, at any time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.meetings.views import store_time
from store.enums import OutboxStatus, RelationshipStatus, RequestKind, RequestStatus
from store.models import MeetingRequest, OutboxMessage, Relationship, Request
from tests.conftest import TEAM

MESSAGE = "Could you help me grow as an engineer?"
STAMP = {
    RequestStatus.ACCEPTED: "accepted_at",
    RequestStatus.DECLINED: "declined_at",
    RequestStatus.WITHDRAWN: "withdrawn_at",
    RequestStatus.EXPIRED: "expired_at",
    RequestStatus.CLOSED_BY_ADMIN: "closed_at",
    RequestStatus.CANCELLED: "cancelled_at",
}


def add_request(
    session: Session,
    mentee: int,
    mentor: int,
    created: datetime,
    status: RequestStatus = RequestStatus.PENDING,
    answered: datetime | None = None,
    *,
    kind: RequestKind = RequestKind.MENTEE_REQUEST,
    reason: str | None = None,
    message: str = MESSAGE,
    team_id: str = TEAM,
) -> Request:
    """A request as it would be after its last transition (``answered`` stamps it)."""
    request = Request(
        team_id=team_id,
        mentee_id=mentee,
        mentor_id=mentor,
        kind=kind,
        message=message,
        status=status,
        created_at=created,
        answered_at=answered,
        decline_reason=reason if status is RequestStatus.DECLINED else None,
        close_reason=reason if status is RequestStatus.CLOSED_BY_ADMIN else None,
    )
    if status in STAMP:
        setattr(request, STAMP[status], answered)
    session.add(request)
    session.flush()
    return request


def add_meeting(
    session: Session,
    mentee: int,
    mentor: int,
    created: datetime,
    status: RequestStatus = RequestStatus.PENDING,
    answered: datetime | None = None,
    *,
    times: Sequence[datetime],
    meeting_at: datetime | None = None,
    reason: str | None = None,
    topic: str = "A one-time question",
    message: str = MESSAGE,
    team_id: str = TEAM,
) -> MeetingRequest:
    """A meeting request as it would be after its last transition (``answered`` stamps it)."""
    meeting = MeetingRequest(
        team_id=team_id,
        mentee_id=mentee,
        mentor_id=mentor,
        topic=topic,
        message=message,
        proposed_times=[store_time(t) for t in times],
        duration_minutes=30,
        status=status,
        created_at=created,
        answered_at=answered,
        meeting_at=meeting_at,
        decline_reason=reason if status is RequestStatus.DECLINED else None,
        close_reason=reason if status is RequestStatus.CLOSED_BY_ADMIN else None,
    )
    if status in STAMP:
        setattr(meeting, STAMP[status], answered)
    session.add(meeting)
    session.flush()
    return meeting


def add_relationship(
    session: Session,
    mentor: int,
    mentee: int,
    started: datetime,
    request: Request | None = None,
    *,
    ended: datetime | None = None,
    team_id: str = TEAM,
) -> None:
    session.add(
        Relationship(
            team_id=team_id,
            mentor_id=mentor,
            mentee_id=mentee,
            request_id=request.id if request else None,
            status=RelationshipStatus.FINISHED if ended else RelationshipStatus.ACTIVE,
            started_at=started,
            ended_at=ended,
        )
    )


def add_failed_notice(
    session: Session,
    at: datetime,
    *,
    meeting_id: int | None = None,
    request_id: int | None = None,
    team_id: str = TEAM,
) -> None:
    """A notification about a meeting request (or a request) that Slack refused for good."""
    session.add(
        OutboxMessage(
            team_id=team_id,
            kind="meeting.received" if meeting_id else "request.received",
            meeting_id=meeting_id,
            request_id=request_id,
            status=OutboxStatus.FAILED,
            last_error="channel_not_found",
            created_at=at,
            next_attempt_at=at,
        )
    )
