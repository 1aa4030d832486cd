"""Reading admin-routed submissions: the read models, the queue, a mentee's latest one.

A submission is a mentee's ADMIN_ROUTED requests created together, one per preferred mentor,
with ``preference_rank`` 1..3 (the rules are in :mod:`mentoring.routing.preferences`). Its id is
the id of
its rank-1 row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.lifecycle import load_request
from mentoring.core.errors import AlreadyHandled, NotFound
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RelationshipView, RequestView
from mentoring.directory.fit import active_mentees, open_slots, pair_score
from mentoring.directory.matching import MatchScore
from store.enums import RequestKind, RequestStatus
from store.models import Request

RECENT_SUBMISSION = timedelta(days=30)  # how long Home keeps showing a decided submission


class SubmissionStatus(StrEnum):
    PENDING = "pending"  # waiting for an admin
    ASSIGNED = "assigned"  # an admin matched the mentee with one of the preferences
    CLOSED = "closed"  # an admin closed it with a reason
    WITHDRAWN = "withdrawn"  # the mentee took it back
    EXPIRED = "expired"  # waited longer than the auto-close setting
    CANCELLED = "cancelled"  # the mentee found a mentor another way


_FROM_REQUEST = {
    RequestStatus.PENDING: SubmissionStatus.PENDING,
    RequestStatus.ACCEPTED: SubmissionStatus.ASSIGNED,
    RequestStatus.CLOSED_BY_ADMIN: SubmissionStatus.CLOSED,
    RequestStatus.WITHDRAWN: SubmissionStatus.WITHDRAWN,
    RequestStatus.EXPIRED: SubmissionStatus.EXPIRED,
    RequestStatus.CANCELLED: SubmissionStatus.CANCELLED,
    RequestStatus.DECLINED: SubmissionStatus.CLOSED,  # never happens: nobody declines these
}


@dataclass(frozen=True, slots=True)
class Preference:
    """One ranked mentor of a submission, with how well and how soon they could take them."""

    request: RequestView
    rank: int
    mentor: MemberView
    score: MatchScore
    active_mentees: int
    open_slots: int
    paused: bool


@dataclass(frozen=True, slots=True)
class Submission:
    """A mentee's ranked preferences as one thing to decide on."""

    id: int  # the rank-1 preference's request id
    mentee: MemberView
    message: str
    created_at: datetime
    answered_at: datetime | None
    status: SubmissionStatus
    preferences: tuple[Preference, ...]
    close_reason: str | None

    @property
    def assigned(self) -> MemberView | None:
        """The mentor an admin assigned, once assigned."""
        return next(
            (p.mentor for p in self.preferences if p.request.status is RequestStatus.ACCEPTED),
            None,
        )


@dataclass(frozen=True, slots=True)
class Queue:
    """Pending submissions, oldest first, and how many there are in all."""

    submissions: tuple[Submission, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Assignment:
    submission: Submission
    relationship: RelationshipView


def split_runs(rows: Sequence[Request]) -> list[list[Request]]:
    """Split one mentee's ADMIN_ROUTED rows (in id order) into submissions.

    Each submission starts with its rank-1 row and holds the rows after it; grouping by the rank
    rather than by timestamp keeps two submissions made within the same instant apart.
    """
    runs: list[list[Request]] = []
    for row in rows:
        if row.preference_rank == 1 or not runs or runs[-1][0].mentee_id != row.mentee_id:
            runs.append([row])
        else:
            runs[-1].append(row)
    return runs


def rows_of(session: Session, request: Request) -> list[Request]:
    """Every preference of the submission ``request`` belongs to, by rank."""
    rows = session.scalars(
        select(Request)
        .where(
            Request.team_id == request.team_id,
            Request.mentee_id == request.mentee_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.created_at == request.created_at,
        )
        .order_by(Request.id)
    ).all()
    run = next(run for run in split_runs(rows) if request in run)
    return sorted(run, key=lambda r: (r.preference_rank or 0, r.id))


def status_of(rows: Sequence[Request]) -> SubmissionStatus:
    """The state of one submission from its rows (rank 1 first): assigned when one was accepted,
    else what happened to all of them (they move together)."""
    if any(row.status is RequestStatus.ACCEPTED for row in rows):
        return SubmissionStatus.ASSIGNED
    head = min(rows, key=lambda r: (r.preference_rank or 0, r.id))
    return _FROM_REQUEST[head.status]


def submissions_of(
    session: Session, team_id: str, runs: Sequence[Sequence[Request]], now: datetime
) -> tuple[Submission, ...]:
    """Read models of these submissions (rows grouped by :func:`split_runs`), scored at ``now``."""
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentee_id for run in runs for r in run} | {r.mentor_id for run in runs for r in run},
    )
    loads = active_mentees(session, {r.mentor_id for run in runs for r in run})
    out = []
    for run in runs:
        rows = sorted(run, key=lambda r: (r.preference_rank or 0, r.id))
        mentee = people[rows[0].mentee_id]
        preferences = []
        for row in rows:
            mentor = people[row.mentor_id]
            active = loads.get(mentor.id, 0)
            slots = open_slots(mentor, active)
            preferences.append(
                Preference(
                    request=RequestView.of(row),
                    rank=row.preference_rank or 0,
                    mentor=mentor,
                    score=pair_score(mentee, mentor, open_slots=slots, now=now),
                    active_mentees=active,
                    open_slots=slots,
                    paused=mentor.is_paused(now),
                )
            )
        status = status_of(rows)
        out.append(
            Submission(
                id=rows[0].id,
                mentee=mentee,
                message=rows[0].message,
                created_at=rows[0].created_at,
                answered_at=rows[0].answered_at,
                status=status,
                preferences=tuple(preferences),
                close_reason=rows[0].close_reason,
            )
        )
    return tuple(out)


def submission_of(session: Session, rows: Sequence[Request], now: datetime) -> Submission:
    """The read model of one submission's rows."""
    return submissions_of(session, rows[0].team_id, [rows], now)[0]


def pending_queue(*, session: Session, team_id: str, now: datetime, limit: int = 10) -> Queue:
    """Submissions waiting for an admin, oldest first, with each preference's score and load.

    Args:
        session: an open session (nothing is written).
        team_id: the workspace.
        now: the current time (scores and pauses are taken at this instant).
        limit: how many submissions to return; ``total`` counts them all.
    """
    rows = session.scalars(
        select(Request)
        .where(
            Request.team_id == team_id,
            Request.status == RequestStatus.PENDING,
            Request.kind == RequestKind.ADMIN_ROUTED,
        )
        .order_by(Request.mentee_id, Request.id)
    ).all()
    runs = sorted(split_runs(rows), key=lambda run: (run[0].created_at, run[0].id))
    return Queue(submissions_of(session, team_id, runs[:limit], now), len(runs))


def get_submission(*, session: Session, team_id: str, request_id: int, now: datetime) -> Submission:
    """The submission a preference belongs to."""
    request = load_preference(session, team_id, request_id)
    return submission_of(session, rows_of(session, request), now)


def latest_submission(
    *, session: Session, team_id: str, mentee_id: int, now: datetime
) -> Submission | None:
    """The mentee's newest submission while pending, or for a while after it was decided."""
    head = session.scalar(
        select(Request)
        .where(
            Request.team_id == team_id,
            Request.mentee_id == mentee_id,
            Request.kind == RequestKind.ADMIN_ROUTED,
            Request.preference_rank == 1,
        )
        .order_by(Request.id.desc())
        .limit(1)
    )
    if head is None:
        return None
    if head.status is not RequestStatus.PENDING and (
        head.answered_at is None or head.answered_at < now - RECENT_SUBMISSION
    ):
        return None
    return submission_of(session, rows_of(session, head), now)


def load_preference(session: Session, team_id: str, request_id: int) -> Request:
    request = load_request(session, team_id, request_id)
    if request.kind is not RequestKind.ADMIN_ROUTED:
        raise NotFound("That isn't a submitted preference.")
    return request


def require_pending(rows: Sequence[Request]) -> None:
    if not any(r.status is RequestStatus.PENDING for r in rows):
        words = {
            RequestStatus.ACCEPTED: "assigned",
            RequestStatus.CLOSED_BY_ADMIN: "closed by a program admin",
            RequestStatus.WITHDRAWN: "withdrawn",
            RequestStatus.EXPIRED: "closed automatically after waiting too long",
            RequestStatus.CANCELLED: "closed because the {mentee} found {a_mentor}",
        }
        status = next(
            (r.status for r in rows if r.status is RequestStatus.ACCEPTED), rows[0].status
        )
        raise AlreadyHandled(
            "These preferences were already " + words.get(status, "answered") + "."
        )
