"""The people behind the health report's figures: how fast each mentor answers, who is full,
and which mentees are still without a mentor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from mentoring.core.figures import DurationStats
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.models import Member, Relationship, Request


@dataclass(frozen=True, slots=True)
class MentorResponse:
    """How fast one mentor answers the requests mentees send them."""

    member_id: int
    slack_user_id: str
    display_name: str
    answered: int  # accepted or declined by the mentor
    pending: int  # still waiting for the mentor
    average: timedelta | None  # answered_at - created_at over the answered ones
    median: timedelta | None


@dataclass(frozen=True, slots=True)
class MentorLoad:
    """A mentor and how many active relationships they have against their capacity."""

    member_id: int
    slack_user_id: str
    display_name: str
    active: int
    capacity: int


@dataclass(frozen=True, slots=True)
class MenteeRow:
    member_id: int
    slack_user_id: str
    display_name: str
    enrolled_at: datetime


def mentor_response(timings: list[Timing]) -> tuple[MentorResponse, ...]:
    # Only requests mentees sent: the mentee answers an offer (and preferences are not in the
    # timings at all), so those timings say nothing about how the mentor answers.
    durations: dict[int, list[timedelta]] = {}
    pending: dict[int, int] = {}
    names: dict[int, tuple[str, str]] = {}
    for t in timings:
        if t.kind != RequestKind.MENTEE_REQUEST:
            continue
        names[t.mentor_id] = (t.slack_user_id, t.display_name)
        durations.setdefault(t.mentor_id, [])
        pending.setdefault(t.mentor_id, 0)
        if t.status == RequestStatus.PENDING:
            pending[t.mentor_id] += 1
        elif t.answered_at is not None:
            durations[t.mentor_id].append(t.answered_at - t.created_at)

    rows = []
    for mentor_id, (slack_user_id, display_name) in names.items():
        stats = DurationStats.of(durations[mentor_id])
        rows.append(
            MentorResponse(
                member_id=mentor_id,
                slack_user_id=slack_user_id,
                display_name=display_name,
                answered=stats.count,
                pending=pending[mentor_id],
                average=stats.average,
                median=stats.median,
            )
        )
    # Mentors who have answered nothing yet (only pending requests) come first: they are the
    # slowest of all. Then the slowest average; ties by name, then Slack id for stability.
    rows.sort(
        key=lambda r: (
            r.average is not None,
            -(r.average or timedelta()),
            r.display_name,
            r.slack_user_id,
        )
    )
    return tuple(rows)


def mentors_at_capacity(session: Session, team_id: str) -> tuple[MentorLoad, ...]:
    active = func.count(Relationship.id)
    rows = session.execute(
        select(Member.id, Member.slack_user_id, Member.display_name, active, Member.mentor_capacity)
        .join(
            Relationship,
            and_(
                Relationship.mentor_id == Member.id,
                Relationship.status == RelationshipStatus.ACTIVE,
            ),
        )
        .where(Member.team_id == team_id, Member.is_mentor.is_(True))
        .group_by(Member.id, Member.slack_user_id, Member.display_name, Member.mentor_capacity)
        # ">=" rather than "==": a capacity lowered by an admin below the current load still
        # means the mentor is full.
        .having(active >= Member.mentor_capacity)
        .order_by(Member.display_name, Member.slack_user_id)
    )
    return tuple(MentorLoad(*row) for row in rows)


def mentees_without_mentor(
    session: Session, team_id: str, *, never_asked: bool
) -> tuple[MenteeRow, ...]:
    """Enrolled mentees with no active relationship; with ``never_asked``, only those who have
    never sent a request or preference (a mentor's offer is not one they sent), ever."""
    has_mentor = (
        select(Relationship.id)
        .where(
            Relationship.mentee_id == Member.id,
            Relationship.status == RelationshipStatus.ACTIVE,
        )
        .exists()
    )
    query = select(Member.id, Member.slack_user_id, Member.display_name, Member.enrolled_at).where(
        Member.team_id == team_id, Member.is_mentee.is_(True), ~has_mentor
    )
    if never_asked:
        has_asked = (
            select(Request.id)
            .where(Request.mentee_id == Member.id, Request.kind != RequestKind.MENTOR_OFFER)
            .exists()
        )
        query = query.where(~has_asked)
    rows = session.execute(
        query.order_by(Member.enrolled_at, Member.display_name, Member.slack_user_id)
    )
    return tuple(MenteeRow(*row) for row in rows)


@dataclass(frozen=True, slots=True)
class Timing:
    mentor_id: int
    slack_user_id: str
    display_name: str
    kind: RequestKind
    status: RequestStatus
    created_at: datetime
    answered_at: datetime | None
