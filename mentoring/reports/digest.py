"""Admin views of the pipeline: the requests waiting longest, the weekly digest, escalations.

Requests here are the ones a member answers (mentees' requests, mentors' offers). Preferences of
admin-routed submissions wait for an admin, not for a member: the digest counts those
submissions on their own, once each (:mod:`mentoring.routing.queue`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.asks.auto_close import sent_before_closing
from mentoring.core.members import get_members
from mentoring.core.views import MemberView, RequestView
from mentoring.program.settings import get_settings
from mentoring.relationships.oversight import PairLine, oversight
from mentoring.routing.queue import NOT_A_PREFERENCE, QueueSummary, queue_summary
from store.enums import RequestStatus
from store.models import Request


@dataclass(frozen=True, slots=True)
class PendingLine:
    request: RequestView
    mentee: MemberView
    mentor: MemberView


def oldest_pending(
    *,
    session: Session,
    team_id: str,
    limit: int = 10,
    created_before: datetime | None = None,
) -> tuple[PendingLine, ...]:
    """The requests that have waited longest for an answer (preferences are not listed)."""
    query = select(Request).where(
        Request.team_id == team_id, Request.status == RequestStatus.PENDING, NOT_A_PREFERENCE
    )
    if created_before is not None:
        query = query.where(Request.created_at < created_before)
    rows = session.scalars(query.order_by(Request.created_at, Request.id).limit(limit)).all()
    return _lines(session, team_id, rows)


def _lines(session: Session, team_id: str, rows: Sequence[Request]) -> tuple[PendingLine, ...]:
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentee_id for r in rows} | {r.mentor_id for r in rows},
    )
    return tuple(
        PendingLine(RequestView.of(r), people[r.mentee_id], people[r.mentor_id]) for r in rows
    )


NOTHING_QUEUED = QueueSummary(waiting=0, oldest=None)


@dataclass(frozen=True, slots=True)
class Digest:
    pending: int  # requests and offers waiting for an answer
    oldest: tuple[PendingLine, ...]
    expiring_soon: tuple[PendingLine, ...]  # closing automatically within EXPIRY_WARNING
    # Admin-routed submissions waiting in the matching queue, and how many of them close
    # automatically within EXPIRY_WARNING.
    queue: QueueSummary = NOTHING_QUEUED
    queue_closing_soon: int = 0
    # Relationships: pairs at risk (the longest first, a few named) and terms ending soon.
    at_risk: tuple[PairLine, ...] = ()
    at_risk_count: int = 0
    ending_soon: int = 0


EXPIRY_WARNING = timedelta(days=2)


def weekly_digest(*, session: Session, team_id: str, now: datetime) -> Digest:
    """What admins get on Monday: how many wait, who waits longest, what closes soon.

    Submissions in the matching queue are counted apart, once each, with the oldest's age.
    """
    settings = get_settings(session=session, team_id=team_id)
    pending = (
        session.scalar(
            select(func.count()).where(
                Request.team_id == team_id,
                Request.status == RequestStatus.PENDING,
                NOT_A_PREFERENCE,
            )
        )
        or 0
    )
    oldest = oldest_pending(session=session, team_id=team_id, limit=5)
    closes_before = sent_before_closing(now + EXPIRY_WARNING, settings)
    expiring = oldest_pending(
        session=session, team_id=team_id, limit=10, created_before=closes_before
    )
    queue = queue_summary(session=session, team_id=team_id)
    closing = (
        queue_summary(session=session, team_id=team_id, created_before=closes_before).waiting
        if queue.waiting
        else 0
    )
    pairs = oversight(session=session, team_id=team_id, now=now)
    return Digest(
        pending,
        oldest,
        expiring,
        queue,
        closing,
        at_risk=pairs.at_risk[:5],
        at_risk_count=pairs.at_risk_count,
        ending_soon=pairs.ending_count,
    )


def pending_lines(
    *, session: Session, team_id: str, request_ids: list[int]
) -> tuple[PendingLine, ...]:
    """Specific requests with both people, oldest first (for escalations)."""
    rows = session.scalars(
        select(Request)
        .where(Request.team_id == team_id, Request.id.in_(request_ids))
        .order_by(Request.created_at, Request.id)
    ).all()
    return _lines(session, team_id, rows)
