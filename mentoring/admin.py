"""Admin views of the pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentoring.members import get_members
from mentoring.settings import get_settings
from mentoring.views import MemberView, RequestView
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
    """The requests that have waited longest for an answer."""
    query = select(Request).where(
        Request.team_id == team_id, Request.status == RequestStatus.PENDING
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


@dataclass(frozen=True, slots=True)
class Digest:
    pending: int
    oldest: tuple[PendingLine, ...]
    expiring_soon: tuple[PendingLine, ...]  # closing automatically within EXPIRY_WARNING


EXPIRY_WARNING = timedelta(days=2)


def weekly_digest(*, session: Session, team_id: str, now: datetime) -> Digest:
    """What admins get on Monday: how many wait, who waits longest, what closes soon."""
    settings = get_settings(session=session, team_id=team_id)
    pending = (
        session.scalar(
            select(func.count()).where(
                Request.team_id == team_id, Request.status == RequestStatus.PENDING
            )
        )
        or 0
    )
    oldest = oldest_pending(session=session, team_id=team_id, limit=5)
    closes_before = now + EXPIRY_WARNING - timedelta(days=settings.auto_close_after_days)
    expiring = oldest_pending(
        session=session, team_id=team_id, limit=10, created_before=closes_before
    )
    return Digest(pending, oldest, expiring)


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
