"""Admin views of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.members import get_members
from mentoring.views import MemberView, RequestView
from store.enums import RequestStatus
from store.models import Request


@dataclass(frozen=True, slots=True)
class PendingLine:
    request: RequestView
    mentee: MemberView
    mentor: MemberView


def oldest_pending(*, session: Session, team_id: str, limit: int = 10) -> tuple[PendingLine, ...]:
    """The requests that have waited longest for an answer."""
    rows = session.scalars(
        select(Request)
        .where(Request.team_id == team_id, Request.status == RequestStatus.PENDING)
        .order_by(Request.created_at, Request.id)
        .limit(limit)
    ).all()
    people = get_members(
        session=session,
        team_id=team_id,
        ids={r.mentee_id for r in rows} | {r.mentor_id for r in rows},
    )
    return tuple(
        PendingLine(RequestView.of(r), people[r.mentee_id], people[r.mentor_id]) for r in rows
    )
