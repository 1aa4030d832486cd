"""What the sweep finds due among admin-routed submissions: auto-close and escalation.

Preferences are never reminded (their mentors were not asked anything), but a queue nobody
works through must not keep a mentee waiting for ever: a submission still waiting after
``auto_close_after_days`` is closed whole, and its mentee told once. Its rows are claimed under
the mentees' locks, which assigning, closing and withdrawing take too, so a submission is
expired whole or not at all, never half-way through an admin's assignment. One waiting past
``escalate_after_days`` is escalated to the admins once (its rank-1 row carries
``escalated_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.asks.auto_close import due_to_close
from mentoring.asks.kinds import PREFERENCE
from mentoring.asks.sweep import Due, Move
from mentoring.core.audit import Notice
from mentoring.core.members import lock_members
from mentoring.core.outbox import insert_ignoring_duplicates, outbox_row
from mentoring.program.settings import ProgramSettings
from mentoring.routing.queue import overdue_submissions
from store.enums import RequestKind, RequestStatus
from store.models import Request


@dataclass(frozen=True, slots=True)
class SubmissionSweeper:
    """Preferences of admin-routed submissions: closed whole after ``auto_close``."""

    escalate: bool = False

    def due(
        self, session: Session, team_id: str, settings: ProgramSettings, now: datetime
    ) -> list[Due]:
        overdue = (
            Request.team_id == team_id,
            Request.status == RequestStatus.PENDING,
            Request.kind == RequestKind.ADMIN_ROUTED,
            due_to_close(now, settings),
        )
        found: list[Due] = []
        mentees = session.scalars(select(Request.mentee_id).where(*overdue).distinct()).all()
        if mentees:
            lock_members(session, *mentees)
            rows = session.execute(
                select(Request.id, Request.mentee_id, Request.mentor_id)
                .where(*overdue)
                .order_by(Request.mentee_id, Request.id)
            )
            found = [
                Due(PREFERENCE, Request, id_, Move.EXPIRE, mentee, mentor)
                for id_, mentee, mentor in rows
            ]
        if self.escalate and settings.escalate_after_days is not None:
            before = now - timedelta(days=settings.escalate_after_days)
            expiring = {d.id for d in found}
            heads = overdue_submissions(session=session, team_id=team_id, created_before=before)
            found.extend(
                Due(PREFERENCE, Request, head, Move.ESCALATE, 0, 0)
                for head in heads
                if head not in expiring
            )
        return found


def tell_expired(session: Session, team_id: str, moved: list[Due], now: datetime) -> int:
    """Tell each mentee, once per submission, that their preferences were closed.

    Returns:
        How many submissions the sweep closed.
    """
    if not moved:
        return 0
    rows = session.execute(
        select(Request.id, Request.mentee_id, Request.preference_rank)
        .where(Request.id.in_([d.id for d in moved]))
        .order_by(Request.mentee_id, Request.id)
    ).all()
    heads: list[tuple[int, int]] = []  # (first moved row of each submission, its mentee)
    for id_, mentee_id, rank in rows:
        if rank == 1 or not heads or heads[-1][1] != mentee_id:
            heads.append((id_, mentee_id))
    insert_ignoring_duplicates(
        session,
        [
            outbox_row(
                team_id,
                Notice.MATCH_EXPIRED,
                now,
                recipient_id=mentee_id,
                request_id=head,
                dedupe_key=f"submission-expired:{head}",
            )
            for head, mentee_id in heads
        ],
    )
    return len(heads)
